// Page header: the page's <h1>, a short description and page-level actions.
import type { ReactNode } from 'react';
import { cn } from '@/lib/class-names';

/** Props for {@link PageHeader}. */
export interface PageHeaderProps {
  /** The page's single `<h1>`. */
  title: ReactNode;
  /** One or two sentences under the title. */
  description?: ReactNode;
  /** Small text above the title (section, world name). */
  eyebrow?: ReactNode;
  /** Buttons aligned to the right on wide screens. */
  actions?: ReactNode;
  className?: string;
}

/** Top of a page. Every page renders exactly one. */
export function PageHeader({ title, description, eyebrow, actions, className }: PageHeaderProps) {
  return (
    <div className={cn('flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between', className)}>
      <div className="max-w-3xl space-y-2">
        {eyebrow !== undefined && <p className="text-sm font-medium text-accent">{eyebrow}</p>}
        <h1 className="text-3xl font-semibold tracking-tight text-balance text-foreground sm:text-4xl">{title}</h1>
        {description !== undefined && (
          <div className="text-base leading-relaxed text-pretty text-muted-foreground">{description}</div>
        )}
      </div>
      {actions !== undefined && <div className="flex shrink-0 flex-wrap gap-2">{actions}</div>}
    </div>
  );
}
