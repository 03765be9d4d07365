/**
 * Canonical JSON — object keys sorted, no whitespace, undefined members left out — the bytes a
 * party signs and an applet verifies (the applets' `canonicalJson`, e.g.
 * packages/meter-sim/applets/load-control.js, is the same function, so both ends agree byte for byte).
 */

/** Canonical JSON text of `value`. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .filter((k) => record[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
