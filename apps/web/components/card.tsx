// Card: a bordered surface grouping related content, optionally titled.
import { useId, type HTMLAttributes, type ReactNode } from 'react';
import { cn } from '@/lib/class-names';

/** Props for {@link Card}. */
export interface CardProps extends Omit<HTMLAttributes<HTMLElement>, 'title'> {
  /** Heading text; when given the card is a `<section>` labelled by it. */
  title?: ReactNode;
  /** One line under the title. */
  description?: ReactNode;
  /** Controls aligned to the right of the title (buttons, badges). */
  actions?: ReactNode;
  /** Heading level of the title, matching the page outline. Default 2. */
  headingLevel?: 2 | 3 | 4;
  /** Remove the body padding (for edge-to-edge tables and diagrams). */
  flush?: boolean;
  children?: ReactNode;
}

/**
 * A bordered, padded surface. With a `title` it renders as a `<section aria-labelledby>` so it
 * appears as a named region to assistive technology.
 */
export function Card({ title, description, actions, headingLevel = 2, flush = false, className, children, ...rest }: CardProps) {
  const headingId = useId();
  const Heading = `h${headingLevel}` as const;
  const surface = cn('rounded-xl border border-border bg-card text-foreground shadow-[0_1px_2px_rgb(0_0_0/0.04)]', className);
  const hasHeader = title !== undefined || actions !== undefined;

  const body = (
    <>
      {hasHeader && (
        <div className={cn('flex flex-wrap items-start justify-between gap-3 px-5 pt-5', flush && 'pb-4')}>
          <div className="min-w-0 space-y-1">
            {title !== undefined && (
              <Heading id={headingId} className="text-base font-semibold tracking-tight text-foreground">
                {title}
              </Heading>
            )}
            {description !== undefined && <p className="text-sm text-muted-foreground">{description}</p>}
          </div>
          {actions !== undefined && <div className="flex shrink-0 items-center gap-2">{actions}</div>}
        </div>
      )}
      <div className={cn(!flush && 'p-5', !flush && hasHeader && 'pt-4')}>{children}</div>
    </>
  );

  if (title !== undefined) {
    return (
      <section aria-labelledby={headingId} className={surface} {...rest}>
        {body}
      </section>
    );
  }
  return (
    <div className={surface} {...rest}>
      {body}
    </div>
  );
}
