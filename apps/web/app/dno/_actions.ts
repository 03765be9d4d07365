'use server';
// The DNO console's write: create a load-control campaign through the DNO's API under the
// credential the dashboard is viewing as (another party is refused by the API, and the form shows it).
import { revalidatePath } from 'next/cache';
import { currentViewAs, partyPost } from '@/lib/server/view-as';

/** What the campaign form shows after a submit. */
export interface CampaignFormState {
  /** The field the API named in its refusal (or null for a refusal of the whole request). */
  field: string | null;
  error: string | null;
  created: { campaignId: string; targets: number } | null;
  /** What was submitted, kept after a refusal so the form shows it again to correct. */
  values: Record<string, string> | null;
  /** Submissions so far: the form remounts with each, so every control (selects too) shows `values`. */
  attempt: number;
}

const FIELDS = ['feederId', 'device', 'action', 'limitKw', 'start', 'durationSeconds', 'randomisationSeconds'];
const INPUTS = ['feederId', 'device', 'action', 'limitKw', 'start', 'durationMinutes', 'randomisationSeconds'];

/** Reads the form, posts the campaign, and says what happened. */
export async function createCampaignAction(previous: CampaignFormState, form: FormData): Promise<CampaignFormState> {
  const attempt = previous.attempt + 1;
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' ? value.trim() : '';
  };
  const number = (name: string) => (text(name) === '' || !Number.isFinite(Number(text(name))) ? text(name) : Number(text(name)));
  // datetime-local has no zone: the form's label says the start is UTC.
  const start = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(text('start')) ? `${text('start')}:00Z` : text('start');
  const minutes = number('durationMinutes');
  const body = {
    worldId: text('worldId'),
    feederId: text('feederId'),
    device: text('device'),
    action: text('action'),
    limitKw: text('action') === 'off' ? 0 : number('limitKw'),
    start,
    durationSeconds: typeof minutes === 'number' ? Math.round(minutes * 60) : minutes,
    randomisationSeconds: number('randomisationSeconds'),
  };
  const party = await currentViewAs('dno');
  const result = await partyPost<{ campaign: { campaignId: string; targets: unknown[] } }>(party, '/api/dno/campaigns', body);
  if (!result.ok) {
    const named = /^([a-zA-Z]+): /.exec(result.message)?.[1] ?? null;
    const field = named === 'durationSeconds' ? 'durationMinutes' : named && FIELDS.includes(named) ? named : null;
    const values = Object.fromEntries(INPUTS.map((name) => [name, text(name)]));
    return { field, error: `${result.message} (${result.status} ${result.code})`, created: null, values, attempt };
  }
  revalidatePath('/dno');
  return { field: null, error: null, created: { campaignId: result.data.campaign.campaignId, targets: result.data.campaign.targets.length }, values: null, attempt };
}
