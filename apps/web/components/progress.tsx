// Progress bar with the ARIA progressbar role (value, range and a spoken value text).
import type { ReactNode } from 'react';
import { cn } from '@/lib/class-names';
import { colorOf, type ChartColorVar } from '@/lib/parties';

/** Props for {@link Progress}. */
export interface ProgressProps {
  /** Accessible and visible name, e.g. "Simulating 2026". */
  label: string;
  /** Current value in [0, max]; `null` for an indeterminate bar. Out-of-range values are clamped. */
  value: number | null;
  /** Default 100. */
  max?: number;
  /** Spoken and shown value, e.g. "Day 120 of 365". Default: the rounded percentage. */
  valueText?: string;
  /** Hide the label row (the bar keeps its accessible name). */
  hideLabel?: boolean;
  /** Bar colour; default the accent colour. */
  colorVar?: ChartColorVar;
  /** Extra content on the label row's right, instead of the value text. */
  trailing?: ReactNode;
  className?: string;
}

/**
 * A horizontal bar. Exposes `role="progressbar"` with `aria-valuenow`/`min`/`max`/`valuetext`;
 * an indeterminate bar omits `aria-valuenow` as ARIA specifies.
 */
export function Progress({ label, value, max = 100, valueText, hideLabel = false, colorVar, trailing, className }: ProgressProps) {
  if (!(max > 0)) throw new RangeError(`Progress max: expected a positive number, got ${max}`);
  const clamped = value === null ? null : Math.min(Math.max(value, 0), max);
  const percent = clamped === null ? null : (clamped / max) * 100;
  const text = valueText ?? (percent === null ? 'In progress' : `${Math.round(percent)}%`);
  const fill = colorVar !== undefined ? colorOf(colorVar) : 'var(--accent)';

  return (
    <div className={cn('space-y-1.5', className)}>
      {!hideLabel && (
        <div className="flex items-baseline justify-between gap-3 text-sm">
          <span className="font-medium text-foreground">{label}</span>
          <span className="text-muted-foreground tabular-nums">{trailing ?? text}</span>
        </div>
      )}
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={clamped ?? undefined}
        aria-valuetext={text}
        className="h-2 w-full overflow-hidden rounded-full bg-muted"
      >
        {percent === null ? (
          <div className="h-full w-1/3 animate-pulse rounded-full" style={{ backgroundColor: fill }} />
        ) : (
          <div
            className="h-full rounded-full transition-[width] duration-300"
            style={{ width: `${percent}%`, backgroundColor: fill }}
          />
        )}
      </div>
    </div>
  );
}
