// Error state: a failure the user can see, what it means and what to do next.
import type { ReactNode } from 'react';
import { cn } from '@/lib/class-names';
import { AlertIcon } from './icons';

/** Props for {@link ErrorState}. */
export interface ErrorStateProps {
  /** Default "Something went wrong". */
  title?: ReactNode;
  /** What failed and what the user can do about it. */
  description?: ReactNode;
  /** A retry button or a link elsewhere. */
  action?: ReactNode;
  /** Technical detail (error code, digest), shown in monospace. */
  detail?: ReactNode;
  /** Heading level matching the page outline. Default 2. */
  headingLevel?: 1 | 2 | 3 | 4;
  className?: string;
}

/** An alert panel (`role="alert"`, announced when it appears). */
export function ErrorState({
  title = 'Something went wrong',
  description,
  action,
  detail,
  headingLevel = 2,
  className,
}: ErrorStateProps) {
  const Heading = `h${headingLevel}` as const;
  return (
    <div
      role="alert"
      className={cn('flex gap-4 rounded-xl border p-5', className)}
      style={{
        borderColor: 'color-mix(in oklab, var(--danger) 40%, var(--border))',
        backgroundColor: 'var(--danger-soft)',
      }}
    >
      <div className="mt-0.5 text-danger">
        <AlertIcon width={20} height={20} />
      </div>
      <div className="min-w-0 space-y-2">
        <Heading className="text-base font-semibold text-foreground">{title}</Heading>
        {description !== undefined && <div className="text-sm text-foreground/80">{description}</div>}
        {detail !== undefined && (
          <p className="font-mono text-xs break-all text-muted-foreground">{detail}</p>
        )}
        {action !== undefined && <div className="pt-1">{action}</div>}
      </div>
    </div>
  );
}
