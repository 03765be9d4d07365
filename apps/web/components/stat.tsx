// Stat: one figure with its label, e.g. "Homes · 240" or "Bill total · £84.12".
import type { ReactNode } from 'react';
import { cn } from '@/lib/class-names';
import { colorOf, parties, type Party } from '@/lib/parties';

/** Props for {@link Stat}. */
export interface StatProps {
  /** What the figure is. */
  label: ReactNode;
  /** The figure, already formatted. */
  value: ReactNode;
  /** Unit after the figure, e.g. "kWh". */
  unit?: ReactNode;
  /** A line of context under the figure. */
  hint?: ReactNode;
  /** Mark the stat with a party's colour. */
  party?: Party;
  className?: string;
}

/**
 * A description list of one term (the label) and its value. Label above, figure below, in
 * tabular figures so columns of stats line up.
 */
export function Stat({ label, value, unit, hint, party, className }: StatProps) {
  return (
    <dl className={cn('min-w-0 space-y-1', className)}>
      <dt className="flex items-center gap-2 text-sm text-muted-foreground">
        {party !== undefined && (
          <span
            aria-hidden="true"
            className="size-2 shrink-0 rounded-full"
            style={{ backgroundColor: colorOf(parties[party].colorVar) }}
          />
        )}
        {label}
      </dt>
      <dd className="text-2xl font-semibold tracking-tight text-foreground tabular-nums">
        {value}
        {unit !== undefined && <span className="ml-1 text-sm font-medium text-muted-foreground">{unit}</span>}
      </dd>
      {hint !== undefined && <dd className="text-xs text-muted-foreground">{hint}</dd>}
    </dl>
  );
}
