'use server';
// Server action behind the "view as" switcher: remembers which party's credential the dashboard
// uses to render consoles.
import { cookies } from 'next/headers';
import { revalidatePath } from 'next/cache';
import { PRINCIPALS } from '@/lib/server/auth';
import { VIEW_AS_COOKIE } from '@/lib/server/view-as';

/** Sets the party from the form's `party` field; ignores anything that is not a party. */
export async function setViewAs(form: FormData): Promise<void> {
  const party = PRINCIPALS.find((principal) => principal === form.get('party'));
  if (!party) return;
  (await cookies()).set(VIEW_AS_COOKIE, party, { path: '/', sameSite: 'lax', httpOnly: true });
  const back = form.get('path');
  revalidatePath(typeof back === 'string' && back.startsWith('/') ? back : '/');
}
