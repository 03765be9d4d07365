'use server';
// The telecare console's writes, through the telecare provider's API under the credential the
// dashboard is viewing as: sign a home up with its meter's proof of consent; acknowledge an alert.
import { revalidatePath } from 'next/cache';
import { currentViewAs, partyPost } from '@/lib/server/view-as';

/** What a telecare form shows after a submit. */
export interface TelecareFormState {
  error: string | null;
  done: string | null;
  /** What was submitted, kept after a refusal (React resets a form to its defaults after an action). */
  text?: string;
}

/** Posts the pasted proof to the provider's enrolment route. */
export async function enrolHomeAction(_previous: TelecareFormState, form: FormData): Promise<TelecareFormState> {
  const text = form.get('proof');
  if (typeof text !== 'string' || text.trim() === '') return { error: 'proof: paste the proof of consent the in-home display gave the householder', done: null, text: '' };
  let proof: unknown;
  try {
    proof = JSON.parse(text);
  } catch {
    return { error: 'proof: not JSON — paste it exactly as the in-home display shows it ({ "statement": …, "signature": … })', done: null, text };
  }
  const result = await partyPost<{ meterId: string; state: string }>(await currentViewAs('telecare'), '/api/telecare/enrolments', { proof });
  if (!result.ok) return { error: `${result.message} (${result.status} ${result.code})`, done: null, text };
  revalidatePath('/telecare');
  return { error: null, done: result.data.state === 'admitted' ? `Enrolled ${result.data.meterId}: its telecare applet is collected from its next wake.` : `${result.data.meterId} withdrew: nothing more is collected.` };
}

/** Acknowledges one alert with the operator's note. */
export async function acknowledgeAlertAction(_previous: TelecareFormState, form: FormData): Promise<TelecareFormState> {
  const alertId = form.get('alertId');
  const note = form.get('note');
  const result = await partyPost<{ alert: { acknowledgedAt: string } }>(await currentViewAs('telecare'), '/api/telecare/alerts/ack', {
    alertId: typeof alertId === 'string' ? alertId : '',
    ...(typeof note === 'string' && note.trim() !== '' ? { note } : {}),
  });
  if (!result.ok) return { error: `${result.message} (${result.status} ${result.code})`, done: null };
  revalidatePath('/telecare');
  return { error: null, done: 'Acknowledged' };
}
