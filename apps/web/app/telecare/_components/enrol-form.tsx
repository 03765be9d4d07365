'use client';
// Sign a home up: the operator pastes the proof of consent the householder's in-home display gave
// them; the provider carries it to the relay, which checks it against the meter's device key.
import { useActionState } from 'react';
import { Button } from '@/components/button';
import { enrolHomeAction, type TelecareFormState } from '../_actions';

const initial: TelecareFormState = { error: null, done: null };

/** The enrolment form. */
export function EnrolForm() {
  const [state, action, pending] = useActionState(enrolHomeAction, initial);
  return (
    <form action={action} className="flex flex-col gap-3" aria-label="Enrol a home">
      <label className="flex flex-col gap-1 text-sm">
        <span className="text-muted-foreground">Proof of consent (from the in-home display)</span>
        <textarea
          name="proof"
          rows={4}
          defaultValue={state.text ?? ''}
          spellCheck={false}
          placeholder='{ "statement": "{\"kind\":\"hydra-consent/v1\",…}", "signature": "…" }'
          aria-invalid={state.error !== null}
          aria-describedby={state.error ? 'enrol-error' : undefined}
          className="rounded-md border border-border-strong bg-card p-2 font-mono text-xs aria-[invalid=true]:border-danger"
        />
      </label>
      <div>
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? 'Enrolling…' : 'Enrol home'}
        </Button>
      </div>
      <div aria-live="polite">
        {state.error && (
          <p id="enrol-error" role="alert" className="rounded-md border border-danger/40 bg-danger-soft px-3 py-2 text-sm text-foreground">
            {state.error}
          </p>
        )}
        {state.done && (
          <p role="status" className="rounded-md border border-border bg-muted px-3 py-2 text-sm text-foreground">
            {state.done}
          </p>
        )}
      </div>
    </form>
  );
}
