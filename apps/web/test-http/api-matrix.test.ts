// Every API route × every credential, against the built app over HTTP on its own database: only
// the route's owner gets through — no credential or a token nobody holds is 401, another party's
// token is 403 — and a refused request changes nothing in any table. The route list is checked
// against the route files on disk, so a new route without a row here fails this test.
//
//   npm run build && npx vitest run -c apps/web/vitest.http.config.ts test-http/api-matrix.test.ts
import { createTestDatabase, type TestDatabase } from '@hydra/db/testing';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSecrets, startWeb, type PartySecrets, type WebServer } from './web-server';

type Credential = 'dcc' | 'supplier' | 'dno' | 'telecare' | 'none' | 'wrong';
const CREDENTIALS: readonly Credential[] = ['dcc', 'supplier', 'dno', 'telecare', 'none', 'wrong'];
type Owner = readonly Credential[] | 'public';

interface RouteCase {
  method: 'GET' | 'POST';
  path: string;
  /** The route file's URL pattern, to match the inventory. */
  pattern: string;
  owner: Owner;
  body?: () => BodyInit;
  contentType?: string;
}

const worldId = 'matrix';
const unknownMeter = 'matrix-m9999';
const hex32 = '0'.repeat(32);
const key = `02${'11'.repeat(32)}`;
const json = (value: unknown) => () => JSON.stringify(value);
/** An envelope-shaped body: the routes must refuse the caller before looking at it. */
const bytes = () => () => new Uint8Array(256).fill(7);

// Meter-host routes have no bearer credential: their owner is "none" (then the relay checks the
// device signature / registration, and refuses these unregistered meters).
const ROUTES: RouteCase[] = [
  { method: 'GET', path: `/api/dcc/log?worldId=${worldId}`, pattern: '/api/dcc/log', owner: ['dcc'] },
  { method: 'GET', path: '/api/dcc/queues', pattern: '/api/dcc/queues', owner: ['dcc'] },
  { method: 'GET', path: '/api/dcc/dead-letters', pattern: '/api/dcc/dead-letters', owner: ['dcc'] },
  { method: 'POST', path: '/api/dcc/dead-letters/retry', pattern: '/api/dcc/dead-letters/retry', owner: ['dcc'], body: json({ messageId: hex32 }) },
  { method: 'GET', path: '/api/dcc/refusals', pattern: '/api/dcc/refusals', owner: ['dcc'] },
  { method: 'POST', path: '/api/dcc/downlink', pattern: '/api/dcc/downlink', owner: ['supplier', 'dno', 'telecare'], body: bytes(), contentType: 'application/octet-stream' },
  { method: 'POST', path: '/api/dcc/uplink', pattern: '/api/dcc/uplink', owner: ['none'], body: bytes(), contentType: 'application/octet-stream' },
  {
    method: 'POST',
    path: '/api/dcc/meters',
    pattern: '/api/dcc/meters',
    owner: ['none'],
    body: json({ registrations: [{ worldId, meterId: unknownMeter, devicePublicKey: key, domains: [{ partyId: 'supplier', aid: 'A000000151535550', publicKey: key }] }] }),
  },
  { method: 'POST', path: '/api/dcc/wake', pattern: '/api/dcc/wake', owner: ['none'], body: json({ worldId, meterIds: [unknownMeter] }) },
  { method: 'POST', path: '/api/dcc/downlinks/stream', pattern: '/api/dcc/downlinks/stream', owner: ['none'], body: json({ worldId, meterIds: [unknownMeter] }) },
  { method: 'POST', path: '/api/dcc/ack', pattern: '/api/dcc/ack', owner: ['none'], body: json({ acks: [{ meterId: unknownMeter, messageIds: [hex32] }] }) },
  { method: 'POST', path: '/api/worlds/no-such-world/progress', pattern: '/api/worlds/[worldId]/progress', owner: ['none'], body: json({ reached: '2025-01-01' }) },
  { method: 'GET', path: `/api/supplier/bills?worldId=${worldId}`, pattern: '/api/supplier/bills', owner: ['supplier'] },
  { method: 'GET', path: `/api/supplier/accounts?worldId=${worldId}`, pattern: '/api/supplier/accounts', owner: ['supplier'] },
  { method: 'GET', path: `/api/supplier/tariffs?worldId=${worldId}`, pattern: '/api/supplier/tariffs', owner: ['supplier'] },
  { method: 'GET', path: `/api/supplier/reads?worldId=${worldId}`, pattern: '/api/supplier/reads', owner: ['supplier'] },
  { method: 'POST', path: '/api/supplier/inbox', pattern: '/api/supplier/inbox', owner: ['dcc'], body: bytes(), contentType: 'application/octet-stream' },
  {
    method: 'POST',
    path: '/api/supplier/meters',
    pattern: '/api/supplier/meters',
    owner: ['dcc'],
    body: json({ worldId: 'no-such-world', meterId: unknownMeter, aid: 'A000000151535550', domainPublicKey: key }),
  },
  { method: 'GET', path: `/api/dcc/enrolments?worldId=${worldId}`, pattern: '/api/dcc/enrolments', owner: ['dcc'] },
  // Only a consent-gated party carries a meter's proof of consent (this one is malformed: 400 for the owner).
  { method: 'POST', path: '/api/dcc/enrolments', pattern: '/api/dcc/enrolments', owner: ['telecare'], body: json({ statement: '{}', signature: '00' }) },
  { method: 'POST', path: '/api/dno/inbox', pattern: '/api/dno/inbox', owner: ['dcc'], body: bytes(), contentType: 'application/octet-stream' },
  { method: 'POST', path: '/api/dno/meters', pattern: '/api/dno/meters', owner: ['dcc'], body: json({ worldId, meterId: unknownMeter, aid: 'F04859445201646E6F', domainPublicKey: key }) },
  { method: 'GET', path: `/api/dno/feeders?worldId=${worldId}`, pattern: '/api/dno/feeders', owner: ['dno'] },
  { method: 'GET', path: `/api/dno/events?worldId=${worldId}`, pattern: '/api/dno/events', owner: ['dno'] },
  { method: 'GET', path: `/api/dno/campaigns?worldId=${worldId}`, pattern: '/api/dno/campaigns', owner: ['dno'] },
  {
    method: 'POST',
    path: '/api/dno/campaigns',
    pattern: '/api/dno/campaigns',
    owner: ['dno'],
    // Over the DCP204 limit of 600 s: the owner gets a 400 naming the field; nothing is stored.
    body: json({ worldId, device: 'ev', action: 'off', limitKw: 0, start: '2025-01-01T18:00:00Z', durationSeconds: 600, randomisationSeconds: 601, meterIds: [unknownMeter] }),
  },
  { method: 'POST', path: '/api/telecare/inbox', pattern: '/api/telecare/inbox', owner: ['dcc'], body: bytes(), contentType: 'application/octet-stream' },
  { method: 'POST', path: '/api/telecare/meters', pattern: '/api/telecare/meters', owner: ['dcc'], body: json({ worldId, meterId: unknownMeter, aid: 'F0485944520174656C65', domainPublicKey: key }) },
  { method: 'POST', path: '/api/telecare/withdrawals', pattern: '/api/telecare/withdrawals', owner: ['dcc'], body: json({ worldId, meterId: unknownMeter }) },
  { method: 'POST', path: '/api/telecare/enrolments', pattern: '/api/telecare/enrolments', owner: ['telecare'], body: json({ proof: { statement: '{}', signature: '00' } }) },
  { method: 'GET', path: `/api/telecare/homes?worldId=${worldId}`, pattern: '/api/telecare/homes', owner: ['telecare'] },
  { method: 'GET', path: `/api/telecare/alerts?worldId=${worldId}`, pattern: '/api/telecare/alerts', owner: ['telecare'] },
  { method: 'POST', path: '/api/telecare/alerts/ack', pattern: '/api/telecare/alerts/ack', owner: ['telecare'], body: json({ alertId: 'alert-matrix-m9999-no-activity-by-deadline-1' }) },
  // Conventional mode (the comparison): the central store takes raw reads from meter hosts and
  // answers every party. This world is a Hydra world, so the owner's post is refused too.
  { method: 'POST', path: '/api/dcc/conventional/reads', pattern: '/api/dcc/conventional/reads', owner: ['none'], body: json({ worldId, reads: [{}] }) },
  { method: 'GET', path: `/api/conventional/reads?worldId=${worldId}`, pattern: '/api/conventional/reads', owner: ['dcc', 'supplier', 'dno', 'telecare'] },
  // The public registry and the applet catalog: anyone, read-only.
  { method: 'GET', path: '/api/catalog', pattern: '/api/catalog', owner: 'public' },
  { method: 'GET', path: `/api/worlds/${worldId}`, pattern: '/api/worlds/[worldId]', owner: 'public' },
];
// Simulation control, not a party's data: the dashboard's operator advances the clock. It writes
// by design, so it is listed here and covered by the world spec rather than the no-change check.
const NOT_IN_MATRIX = ['POST /api/worlds/[worldId]/clock', 'POST /api/worlds'];

const apiRoot = fileURLToPath(new URL('../app/api', import.meta.url));

function routeInventory(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === 'route.ts') {
        const url = `/api/${relative(apiRoot, dir).split('\\').join('/')}`;
        for (const match of readFileSync(path, 'utf8').matchAll(/export async function (GET|POST|PUT|PATCH|DELETE)\b/g)) out.push(`${match[1]} ${url}`);
      }
    }
  };
  walk(apiRoot);
  return out.sort();
}

describe('every API route × every credential', () => {
  let database: TestDatabase;
  let server: WebServer;
  let secrets: PartySecrets;

  const headersFor = (credential: Credential, route: RouteCase): Record<string, string> => {
    const headers: Record<string, string> = route.body ? { 'content-type': route.contentType ?? 'application/json' } : {};
    if (credential === 'none') return headers;
    const token = credential === 'wrong' ? 'not-a-token-any-party-holds-0123456789' : secrets[credential];
    return { ...headers, authorization: `Bearer ${token}` };
  };

  const snapshot = async () => {
    const db = database.db.client;
    const [counts, states, worlds] = await Promise.all([
      Promise.all([
        db.world.count(),
        db.home.count(),
        db.dccMeter.count(),
        db.dccParty.count(),
        db.dccSecurityDomain.count(),
        db.dccMessage.count(),
        db.dccRefusal.count(),
        db.supplierKey.count(),
        db.supplierAccount.count(),
        db.supplierTariff.count(),
        db.supplierBill.count(),
        db.supplierReceipt.count(),
        db.supplierSession.count(),
        db.dccEnrolment.count(),
        db.dnoKey.count(),
        db.dnoMeter.count(),
        db.dnoSession.count(),
        db.dnoPowerQualityEvent.count(),
        db.dnoFeederShare.count(),
        db.dnoFeederLoad.count(),
        db.dnoCampaign.count(),
        db.dnoCampaignTarget.count(),
        db.dnoReceipt.count(),
        db.telecareHome.count(),
        db.telecareSession.count(),
        db.telecareAlert.count(),
        db.telecareReceipt.count(),
        db.conventionalRead.count(),
      ]),
      db.dccMessage.groupBy({ by: ['state'], _count: { _all: true }, orderBy: { state: 'asc' } }),
      db.world.findMany({ select: { id: true, clock: true, hostProgress: true }, orderBy: { id: 'asc' } }),
    ]);
    return JSON.stringify({ counts, states, worlds });
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    const start = new Date('2025-01-01T00:00:00Z');
    await database.db.client.world.create({ data: { id: worldId, name: 'Matrix', seed: 'm', homeCount: 1, startDate: '2025-01-01', clock: start, hostProgress: start } });
    await database.db.client.home.create({ data: { id: `${worldId}-h0001`, worldId, index: 0, meterId: `${worldId}-m0001`, archetype: 'family', feederId: 'f1' } });
    secrets = makeSecrets();
    server = await startWeb({ databaseUrl: database.url, secrets, env: { HYDRA_RELAY_DRAIN_MS: '0' } });
    // First use creates the supplier's and the DNO's keys and registers the parties: do it before any snapshot.
    const warm = await fetch(`${server.origin}/api/dcc/queues`, { headers: { authorization: `Bearer ${secrets.dcc}` } });
    expect(warm.status).toBe(200);
  });
  afterAll(async () => {
    await server?.kill();
    await database?.dispose();
  });

  it('lists every route the app serves', () => {
    const listed = [...ROUTES.map((route) => `${route.method} ${route.pattern}`), ...NOT_IN_MATRIX].sort();
    // A route missing here: add a row to ROUTES above (its owner and a body), so it is checked too.
    expect(listed, 'every route file must have a row in ROUTES (apps/web/test-http/api-matrix.test.ts)').toEqual(routeInventory());
  });

  for (const route of ROUTES) {
    describe(`${route.method} ${route.pattern}`, () => {
      for (const credential of CREDENTIALS) {
        const owner = route.owner === 'public' || route.owner.includes(credential);
        it(`${credential}: ${owner ? 'gets through' : credential === 'none' || credential === 'wrong' ? '401' : '403'}`, async () => {
          const before = await snapshot();
          const response = await fetch(`${server.origin}${route.path}`, {
            method: route.method,
            headers: headersFor(credential, route),
            ...(route.body ? { body: route.body() } : {}),
          });
          const body = (await response.json()) as { error?: { code: string; message: string } };
          if (owner) {
            expect([401, 403], `${credential} is an owner of ${route.pattern}: ${JSON.stringify(body)}`).not.toContain(response.status);
            // Meter-host routes with these unregistered meters or unsigned bytes: refused by the relay, not by the edge.
            if (route.owner !== 'public' && route.owner[0] === 'none') expect(response.status).toBeGreaterThanOrEqual(400);
            return;
          }
          const expected = credential === 'none' || credential === 'wrong' ? 401 : 403;
          expect(response.status, JSON.stringify(body)).toBe(expected);
          expect(body.error?.code).toBe(expected === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN');
          // Every refusal says what to do.
          expect(body.error?.message).toMatch(/credential|token|route|Bearer/);
          expect(await snapshot()).toBe(before);
        });
      }
    });
  }
});
