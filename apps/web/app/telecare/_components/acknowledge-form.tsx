'use client';
// Acknowledge one alert, with an optional note; the API's refusal (already acknowledged, another
// party's credential) is shown beside it.
import { useActionState } from 'react';
import { Button } from '@/components/button';
import { acknowledgeAlertAction, type TelecareFormState } from '../_actions';

const initial: TelecareFormState = { error: null, done: null };

/** Props for {@link AcknowledgeForm}. */
export interface AcknowledgeFormProps {
  alertId: string;
  /** How the button names the alert for assistive technology. */
  label: string;
}

/** The per-alert form. */
export function AcknowledgeForm({ alertId, label }: AcknowledgeFormProps) {
  const [state, action, pending] = useActionState(acknowledgeAlertAction, initial);
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="alertId" value={alertId} />
      <input name="note" maxLength={280} placeholder="Note (optional)" aria-label={`Note for ${label}`} className="h-8 w-44 rounded-md border border-border-strong bg-card px-2 text-xs" />
      <Button type="submit" size="sm" disabled={pending} aria-label={`Acknowledge ${label}`}>
        Acknowledge
      </Button>
      {state.error && (
        <span role="alert" className="text-xs text-danger">
          {state.error}
        </span>
      )}
    </form>
  );
}
