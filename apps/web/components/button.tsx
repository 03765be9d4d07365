// Button with variants. `buttonClasses` gives the same look to links (`<Link className=…>`).
import type { ButtonHTMLAttributes } from 'react';
import { cn } from '@/lib/class-names';

/** Visual weight: one `primary` action per view; `danger` for destructive actions. */
export type ButtonVariant = 'primary' | 'secondary' | 'ghost' | 'danger';
/** Control height: `sm` 32 px, `md` 36 px, `icon` a 36 px square for icon-only buttons. */
export type ButtonSize = 'sm' | 'md' | 'icon';

const base =
  'inline-flex shrink-0 items-center justify-center gap-2 rounded-md font-medium whitespace-nowrap transition-colors select-none disabled:pointer-events-none disabled:opacity-50';

const variants: Record<ButtonVariant, string> = {
  primary: 'bg-accent text-accent-foreground shadow-sm hover:bg-accent/90',
  secondary: 'border border-border-strong bg-card text-foreground shadow-sm hover:bg-muted',
  ghost: 'text-foreground hover:bg-muted',
  danger: 'bg-danger text-white shadow-sm hover:bg-danger/90 dark:text-background',
};

const sizes: Record<ButtonSize, string> = {
  sm: 'h-8 px-3 text-sm',
  md: 'h-9 px-4 text-sm',
  icon: 'size-9',
};

/**
 * Class names for a button look, for elements that are not `<button>` (links).
 * @param options.variant defaults to `secondary`.
 * @param options.size defaults to `md`.
 */
export function buttonClasses(options: { variant?: ButtonVariant; size?: ButtonSize; className?: string } = {}): string {
  const { variant = 'secondary', size = 'md', className } = options;
  return cn(base, variants[variant], sizes[size], className);
}

/** Props: every `<button>` attribute plus `variant` and `size`. `type` defaults to `"button"`. */
export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: ButtonSize;
}

/**
 * A `<button>`. Icon-only buttons (`size="icon"`) must have an `aria-label`.
 */
export function Button({ variant, size, className, type = 'button', ...props }: ButtonProps) {
  return <button type={type} className={buttonClasses({ variant, size, className })} {...props} />;
}
