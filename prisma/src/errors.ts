// Prisma error helpers for code using `@hydra/db`. With driver adapters (Prisma 6.19) a unique
// violation is P2002 whose fields live in `meta.driverAdapterError.cause.constraint.fields`, not
// in `meta.target` as with the native engine (TOOLCHAIN.md); both places are read here.

interface KnownRequestErrorLike {
  code: string;
  meta?: Record<string, unknown>;
}

function isKnownRequestError(error: unknown): error is KnownRequestErrorLike {
  // Duck-typed: each generated client re-exports the runtime's error class, and an error thrown by
  // either must be recognised.
  return (
    error instanceof Error &&
    error.name === 'PrismaClientKnownRequestError' &&
    typeof (error as { code?: unknown }).code === 'string'
  );
}

/**
 * Whether `error` is a unique-constraint violation (Prisma P2002) from either provider.
 *
 * @param error - anything caught from a Prisma call
 */
export function isUniqueViolation(error: unknown): boolean {
  return isKnownRequestError(error) && error.code === 'P2002';
}

function stringArray(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}

function property(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * The columns of the unique constraint `error` violated, e.g. `['meterId', 'period']`.
 *
 * @param error - anything caught from a Prisma call
 * @returns the field names (PostgreSQL's quoting removed), `[]` when the driver named none, or
 *   `undefined` when `error` is not a unique violation
 */
export function uniqueViolationFields(error: unknown): string[] | undefined {
  if (!isKnownRequestError(error) || error.code !== 'P2002') return undefined;
  const meta = error.meta ?? {};
  const fromAdapter = stringArray(property(property(property(meta.driverAdapterError, 'cause'), 'constraint'), 'fields'));
  const fromEngine = typeof meta.target === 'string' ? [meta.target] : stringArray(meta.target);
  // PostgreSQL reports `Key ("meterId", period)`: identifiers that need quoting keep their quotes.
  return (fromAdapter ?? fromEngine ?? []).map((field) => field.trim().replace(/^"(.*)"$/, '$1'));
}
