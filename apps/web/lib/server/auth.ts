/**
 * Who is calling, and may they call this route. Every route handler declares its owner and calls
 * `authorize` first; the answer is one of:
 *
 * | caller sends                              | owner is a party      | owner is the meter host | owner is public |
 * |-------------------------------------------|-----------------------|-------------------------|-----------------|
 * | no `Authorization`                        | 401 UNAUTHENTICATED   | passes to device checks | passes          |
 * | a bearer token no party holds             | 401 UNAUTHENTICATED   | 401 UNAUTHENTICATED     | passes          |
 * | another party's token                     | 403 FORBIDDEN         | 403 FORBIDDEN           | passes          |
 * | the owner's token                         | passes                | —                       | passes          |
 *
 * A meter host holds no bearer credential: a meter is authenticated by the relay itself — an
 * uplink by its device signature against the registered certificate, a registration by the public
 * world registry (only a home's meter may register), a wake or acknowledgement only for meters
 * registered in that world. A party's token on a meter-host route is refused: parties do not speak
 * for meters. Tokens are compared in constant time.
 */
import { timingSafeEqual } from 'node:crypto';
import type { NextResponse } from 'next/server';
import { errorResponse } from './http';
import { dccToken } from './parties/dcc';
import { dnoToken } from './parties/dno';
import { supplierToken } from './parties/supplier';
import { telecareToken } from './parties/telecare';

/** A caller that holds a credential. */
export type Principal = 'dcc' | 'supplier' | 'dno' | 'telecare';

/** Every principal, in the order consoles list them. */
export const PRINCIPALS: readonly Principal[] = ['dcc', 'supplier', 'dno', 'telecare'];

/** Who may call a route. */
export type RouteOwner = { parties: readonly Principal[] } | 'meter-host' | 'public';

const tokenOf: Record<Principal, () => string> = { dcc: dccToken, supplier: supplierToken, dno: dnoToken, telecare: telecareToken };


/** The demo credential of a principal (for the dashboard's "view as" switcher only). */
export function credentialOf(principal: Principal): string {
  return tokenOf[principal]();
}

function equal(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The principal a request's bearer credential belongs to: null when it sends none, 'invalid'
 * when it sends one that no party holds (or a malformed header).
 */
export function authenticate(request: Request): Principal | null | 'invalid' {
  const header = request.headers.get('authorization');
  if (header === null) return null;
  const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(header);
  if (!match?.[1]) return 'invalid';
  let found: Principal | null = null;
  // Compare against every token (no early exit) so timing does not say which party is close.
  for (const principal of PRINCIPALS) if (equal(match[1], tokenOf[principal]()) && found === null) found = principal;
  return found ?? 'invalid';
}

const label: Record<Principal, string> = { dcc: 'DCC (relay)', supplier: 'energy supplier', dno: 'DNO', telecare: 'telecare provider' };

/**
 * Checks the caller against a route's owner.
 * @param route - how the refusal names the route, e.g. "GET /api/supplier/bills".
 * @returns the authenticated principal (null for meter-host and public callers), or the refusal.
 */
export function authorize(request: Request, owner: RouteOwner, route: string): { principal: Principal | null } | { refusal: NextResponse } {
  const principal = authenticate(request);
  if (owner === 'public') return { principal: principal === 'invalid' ? null : principal };
  if (principal === 'invalid') {
    return { refusal: errorResponse(401, 'UNAUTHENTICATED', `${route}: the bearer credential is not one any party holds; send your own party's token (from .hydra/secrets.env) or none`) };
  }
  if (owner === 'meter-host') {
    if (principal === null) return { principal: null };
    return {
      refusal: errorResponse(403, 'FORBIDDEN', `${route}: this route is for meter hosts, which are authenticated by device signature and registration; a party (${label[principal]}) cannot speak for a meter — use your own routes`),
    };
  }
  const owners = owner.parties.map((p) => `the ${label[p]}`).join(' or ');
  if (principal === null) {
    return { refusal: errorResponse(401, 'UNAUTHENTICATED', `${route} needs ${owners}'s credential: send Authorization: Bearer <token> (that party's HYDRA_<PARTY>_TOKEN from .hydra/secrets.env)`) };
  }
  if (!owner.parties.includes(principal)) {
    return { refusal: errorResponse(403, 'FORBIDDEN', `${route} belongs to ${owners}; you are authenticated as the ${label[principal]}, whose data is only under its own routes`) };
  }
  return { principal };
}
