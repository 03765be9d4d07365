'use server';
// The relay console's one write: retry a dead letter, through the DCC's API under the credential
// the dashboard is viewing as (a non-DCC party is refused by the API).
import { revalidatePath } from 'next/cache';
import { currentViewAs, partyPost } from '@/lib/server/view-as';

/** Retries the dead letter named by the form's `messageId`. */
export async function retryDeadLetter(form: FormData): Promise<void> {
  const messageId = form.get('messageId');
  if (typeof messageId !== 'string') return;
  const party = await currentViewAs('dcc');
  const result = await partyPost<{ delivered: boolean }>(party, '/api/dcc/dead-letters/retry', { messageId });
  if (!result.ok) console.error(`[hydra] retry ${messageId} refused: ${result.code} ${result.message}`);
  revalidatePath('/relay');
}
