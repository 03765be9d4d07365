/**
 * Edge helpers for route handlers: bounded body reading, bearer credentials compared in constant
 * time, and one mapping from typed errors to JSON error responses.
 */
import { timingSafeEqual } from 'node:crypto';
import { RelayError } from '@hydra/dcc';
import { PartyError } from '@hydra/suppliers';
import { NextResponse } from 'next/server';
import { z } from 'zod';

/** An error response: `{ error: { code, message } }`. */
export function errorResponse(status: number, code: string, message: string): NextResponse {
  return NextResponse.json({ error: { code, message } }, { status });
}

/**
 * Maps a thrown error to a response; unknown errors are 500 without internals. The one status
 * table is each package's (`RELAY_ERROR_STATUS`, `PARTY_ERROR_STATUS`); edge errors carry theirs.
 */
export function toErrorResponse(error: unknown): NextResponse {
  if (isTyped(error, RelayError, 'RelayError')) {
    const response = errorResponse(error.status, error.code, error.message);
    if (error.retryAfterSeconds !== undefined) response.headers.set('retry-after', String(error.retryAfterSeconds));
    return response;
  }
  if (isTyped(error, PartyError, 'PartyError')) return errorResponse(error.status, error.code, error.message);
  if (error instanceof BodyError) return errorResponse(error.status, error.code, error.message);
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    return errorResponse(400, 'INVALID_BODY', issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid body');
  }
  // Name, code and where — never the message, which for a database error may quote row values.
  const where = error instanceof Error ? (error.stack ?? '').split('\n').slice(1, 4).map((line) => line.trim()).join(' < ') : '';
  const code = error && typeof error === 'object' && 'code' in error ? String((error as { code: unknown }).code) : '';
  console.error('[hydra] unexpected error', error instanceof Error ? error.name : typeof error, code, where);
  return errorResponse(500, 'INTERNAL', 'the server failed to handle this request');
}

/**
 * Whether `error` is one of the packages' typed errors. By class, or by name and shape: the
 * process-wide services (relay, party contexts) may have been created from another server bundle
 * layer than the route handling the request, whose copy of the class then differs.
 */
function isTyped<T extends Error & { code: string; status: number }>(error: unknown, type: abstract new (...args: never[]) => T, name: string): error is T {
  if (error instanceof type) return true;
  // By the name the class sets on its instances (a bundler may rename the class itself).
  if (!(error instanceof Error) || error.name !== name) return false;
  const { code, status } = error as Error & { code?: unknown; status?: unknown };
  return typeof code === 'string' && typeof status === 'number';
}

/** A request body problem. */
export class BodyError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

/** Reads a binary body of at most `max` bytes. */
export async function readBytes(request: Request, max: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > max) throw new BodyError(413, 'ENVELOPE_OVERSIZED', `body: at most ${max} bytes, got ${declared}`);
  const buffer = new Uint8Array(await request.arrayBuffer());
  if (buffer.length > max) throw new BodyError(413, 'ENVELOPE_OVERSIZED', `body: at most ${max} bytes, got ${buffer.length}`);
  if (buffer.length === 0) throw new BodyError(400, 'ENVELOPE_MALFORMED', 'body: expected envelope bytes, got nothing');
  return buffer;
}

/** Reads and validates a JSON body of at most `max` bytes. */
export async function readJson<T>(request: Request, schema: z.ZodType<T>, max = 256 * 1024): Promise<T> {
  const text = await request.text();
  if (text.length > max) throw new BodyError(413, 'BODY_TOO_LARGE', `body: at most ${max} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BodyError(400, 'INVALID_JSON', 'body: not valid JSON');
  }
  return schema.parse(value);
}

/** True when the request carries `Authorization: Bearer <expected>`. */
export function hasBearer(request: Request, expected: string): boolean {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer (.+)$/.exec(header);
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1]);
  const want = Buffer.from(expected);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** 401 unless the request carries the expected bearer credential. */
export function requireBearer(request: Request, expected: string, who: string): NextResponse | null {
  if (hasBearer(request, expected)) return null;
  return errorResponse(401, 'UNAUTHENTICATED', `this route needs the ${who} credential (Authorization: Bearer …)`);
}

/** An id in a query string (world, meter, party, class): lower-case letters, digits, dashes. */
export const idPattern = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** The body a meter host sends to wake or stream its meters: the world and its meters there. */
export const hostMetersSchema = z.object({
  worldId: z.string().regex(idPattern),
  meterIds: z.array(z.string().regex(idPattern)).min(1).max(5000),
});

/**
 * Reads optional query parameters, each checked against `idPattern` (or its own pattern).
 * @throws {BodyError} 400 INVALID_QUERY naming the parameter.
 */
export function readQuery<K extends string>(request: Request, names: readonly K[], patterns: Partial<Record<K, RegExp>> = {}): Partial<Record<K, string>> {
  const params = new URL(request.url).searchParams;
  const out: Partial<Record<K, string>> = {};
  for (const name of names) {
    const value = params.get(name);
    if (value === null || value === '') continue;
    const pattern = patterns[name] ?? idPattern;
    if (!pattern.test(value)) throw new BodyError(400, 'INVALID_QUERY', `${name}: expected ${pattern === idPattern ? 'lower-case letters, digits and dashes' : pattern.source}, got ${JSON.stringify(value.slice(0, 80))}`);
    out[name] = value;
  }
  return out;
}
