// Joins class names, skipping falsy entries: `cn('a', cond && 'b')`.

/** A class-name fragment; falsy values are dropped. */
export type ClassValue = string | false | null | undefined;

/** Join the truthy class names with single spaces. */
export function cn(...values: ClassValue[]): string {
  return values.filter(Boolean).join(' ');
}
