/**
 * The dashboard's "view as" switcher, server side (DESIGN.md Decisions 8 and 14). The chosen
 * party is a cookie; the dashboard server holds the demo credentials and renders a console by
 * calling that party's API under the chosen party's token — so a console viewed as the wrong party
 * shows the API's own refusal, not a hidden panel. The console pages never read the database.
 */
import { cookies } from 'next/headers';
import { credentialOf, PRINCIPALS, type Principal } from './auth';
import { serverEnv } from './env';

/** The cookie holding the chosen party. */
export const VIEW_AS_COOKIE = 'hydra-view-as';

/** The party the dashboard currently acts as; `fallback` when none was chosen. */
export async function currentViewAs(fallback: Principal): Promise<Principal> {
  const value = (await cookies()).get(VIEW_AS_COOKIE)?.value;
  return PRINCIPALS.find((principal) => principal === value) ?? fallback;
}

/** A party API answer: the data, or the refusal as the API gave it. */
export type PartyApiResult<T> = { ok: true; data: T } | { ok: false; status: number; code: string; message: string };

/**
 * GETs `path` from the app's own API under `principal`'s credential.
 * @returns the JSON body, or the refusal (status, code, message) — never throws for an HTTP error.
 */
export async function partyGet<T>(principal: Principal, path: string): Promise<PartyApiResult<T>> {
  return partyRequest<T>(principal, path, { method: 'GET' });
}

/** POSTs JSON to `path` under `principal`'s credential. */
export async function partyPost<T>(principal: Principal, path: string, body: unknown): Promise<PartyApiResult<T>> {
  return partyRequest<T>(principal, path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
}

async function partyRequest<T>(principal: Principal, path: string, init: RequestInit): Promise<PartyApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(`${serverEnv().internalUrl}${path}`, {
      ...init,
      headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${credentialOf(principal)}` },
      cache: 'no-store',
    });
  } catch {
    return { ok: false, status: 503, code: 'UNREACHABLE', message: `the API at ${serverEnv().internalUrl} did not answer; is HYDRA_INTERNAL_URL right?` };
  }
  const body = (await response.json().catch(() => null)) as (T & { error?: { code?: string; message?: string } }) | null;
  if (response.ok && body) return { ok: true, data: body };
  return { ok: false, status: response.status, code: body?.error?.code ?? 'HTTP_ERROR', message: body?.error?.message ?? `HTTP ${response.status}` };
}
