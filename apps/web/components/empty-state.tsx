// Empty state: says that there is nothing here yet and, where possible, what to do about it.
import type { ReactNode } from 'react';
import { cn } from '@/lib/class-names';
import { InboxIcon } from './icons';

/** Props for {@link EmptyState}. */
export interface EmptyStateProps {
  /** What is missing, e.g. "No worlds yet". */
  title: ReactNode;
  /** Why, and what the user can do. */
  description?: ReactNode;
  /** A button or link that resolves it. */
  action?: ReactNode;
  /** Replaces the default tray icon. */
  icon?: ReactNode;
  /** Heading level matching the page outline (1 when it is the whole page). Default 2. */
  headingLevel?: 1 | 2 | 3 | 4;
  className?: string;
}

/** A centred, dashed-border panel for "nothing here yet". */
export function EmptyState({ title, description, action, icon, headingLevel = 2, className }: EmptyStateProps) {
  const Heading = `h${headingLevel}` as const;
  return (
    <div
      className={cn(
        'flex flex-col items-center justify-center gap-3 rounded-xl border border-dashed border-border-strong px-6 py-12 text-center',
        className,
      )}
    >
      <div className="grid size-10 place-items-center rounded-full bg-muted text-muted-foreground">
        {icon ?? <InboxIcon width={20} height={20} />}
      </div>
      <Heading className="text-base font-semibold text-foreground">{title}</Heading>
      {description !== undefined && <p className="max-w-md text-sm text-muted-foreground">{description}</p>}
      {action !== undefined && <div className="mt-2">{action}</div>}
    </div>
  );
}
