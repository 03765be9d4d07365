// Badge: a short label, either for a party (in that party's colour) or with a status tone.
import type { ReactNode } from 'react';
import { cn } from '@/lib/class-names';
import { colorOf, parties, type Party } from '@/lib/parties';

/** Status tones for badges that are not about a party. */
export type BadgeTone = 'neutral' | 'accent' | 'success' | 'warning' | 'danger';

/** Props for {@link Badge}. Give `party` or `tone` (default tone `neutral`). */
export interface BadgeProps {
  /** Colour the badge as this party; the text defaults to the party's short name. */
  party?: Party;
  tone?: BadgeTone;
  /** Text; defaults to the party's short name when `party` is set. */
  children?: ReactNode;
  className?: string;
  /** Accessible description, e.g. the party's full name when the text is abbreviated. */
  title?: string;
}

const toneVar: Record<BadgeTone, string> = {
  neutral: 'var(--muted-foreground)',
  accent: 'var(--accent)',
  success: 'var(--success)',
  warning: 'var(--warning)',
  danger: 'var(--danger)',
};

/**
 * An inline pill. The colour is a dot plus a tinted border and background; the text stays in the
 * foreground colour so it keeps full contrast in both themes.
 */
export function Badge({ party, tone = 'neutral', children, className, title }: BadgeProps) {
  const color = party !== undefined ? colorOf(parties[party].colorVar) : toneVar[tone];
  const text = children ?? (party !== undefined ? parties[party].shortLabel : null);
  return (
    <span
      title={title ?? (party !== undefined ? parties[party].label : undefined)}
      className={cn(
        'inline-flex items-center gap-1.5 rounded-full border px-2 py-0.5 text-xs leading-5 font-medium whitespace-nowrap text-foreground',
        className,
      )}
      style={{
        borderColor: `color-mix(in oklab, ${color} 45%, var(--border))`,
        backgroundColor: `color-mix(in oklab, ${color} 12%, var(--card))`,
      }}
    >
      <span aria-hidden="true" className="size-1.5 shrink-0 rounded-full" style={{ backgroundColor: color }} />
      {text}
    </span>
  );
}
