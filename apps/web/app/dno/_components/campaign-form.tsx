'use client';
// The load-control campaign form: target feeder, switch, action, cap, start (UTC), duration and
// randomisation window (≤ 600 s). The DNO's API validates every field; its refusal is shown next to
// the field it names, and nothing is sent.
import { useActionState } from 'react';
import { Button } from '@/components/button';
import { createCampaignAction, type CampaignFormState } from '../_actions';

/** Props for {@link CampaignForm}. */
export interface CampaignFormProps {
  worldId: string;
  /** Feeders with DNO meters, and how many each has. */
  feeders: { feederId: string; dnoMeters: number }[];
  /** Default start: the world clock plus an hour, as `YYYY-MM-DDTHH:mm` (UTC). */
  defaultStart: string;
}

const initial: CampaignFormState = { field: null, error: null, created: null, values: null, attempt: 0 };
const control = 'h-9 rounded-md border border-border-strong bg-card px-2 text-sm aria-[invalid=true]:border-danger';

/** The form. */
export function CampaignForm({ worldId, feeders, defaultStart }: CampaignFormProps) {
  const [state, action, pending] = useActionState(createCampaignAction, initial);
  const invalid = (name: string) => state.field === name;
  const describedBy = (name: string) => (invalid(name) ? 'campaign-error' : undefined);
  // After a refusal the form shows what was submitted (React resets a form to its defaults after an action).
  const value = (name: string, fallback: string) => state.values?.[name] ?? fallback;
  return (
    <form key={state.attempt} action={action} noValidate className="flex flex-col gap-4" aria-label="New load-control campaign">
      <input type="hidden" name="worldId" value={worldId} />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-muted-foreground">Target feeder</span>
          <select name="feederId" className={control} aria-invalid={invalid('feederId')} aria-describedby={describedBy('feederId')} defaultValue={value('feederId', feeders[0]?.feederId ?? '')}>
            {feeders.map((f) => (
              <option key={f.feederId} value={f.feederId}>
                {f.feederId} ({f.dnoMeters} meters)
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-muted-foreground">Device</span>
          <select name="device" className={control} aria-invalid={invalid('device')} aria-describedby={describedBy('device')} defaultValue={value('device', 'ev')}>
            <option value="ev">EV charger</option>
            <option value="heat-pump">Heat pump</option>
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-muted-foreground">Action</span>
          <select name="action" className={control} aria-invalid={invalid('action')} aria-describedby={describedBy('action')} defaultValue={value('action', 'limit')}>
            <option value="limit">Limit to a cap</option>
            <option value="off">Switch off</option>
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-muted-foreground">Cap (kW, with Limit)</span>
          <input name="limitKw" type="number" step="0.1" min="0" max="50" defaultValue={value('limitKw', '3.6')} className={control} aria-invalid={invalid('limitKw')} aria-describedby={describedBy('limitKw')} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-muted-foreground">Start (UTC)</span>
          <input name="start" type="datetime-local" defaultValue={value('start', defaultStart)} className={control} aria-invalid={invalid('start')} aria-describedby={describedBy('start')} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-muted-foreground">Duration (minutes)</span>
          <input name="durationMinutes" type="number" min="1" max="1440" defaultValue={value('durationMinutes', '120')} className={control} aria-invalid={invalid('durationMinutes')} aria-describedby={describedBy('durationMinutes')} />
        </label>
        <label className="flex flex-col gap-1 text-sm">
          <span className="text-muted-foreground">Randomisation window (s, ≤ 600)</span>
          <input name="randomisationSeconds" type="number" min="0" max="600" defaultValue={value('randomisationSeconds', '600')} className={control} aria-invalid={invalid('randomisationSeconds')} aria-describedby={describedBy('randomisationSeconds')} />
        </label>
        <div className="flex items-end">
          <Button type="submit" variant="primary" disabled={pending || feeders.length === 0}>
            {pending ? 'Signing and sending…' : 'Sign and send campaign'}
          </Button>
        </div>
      </div>
      <div aria-live="polite">
        {state.error && (
          <p id="campaign-error" role="alert" className="rounded-md border border-danger/40 bg-danger-soft px-3 py-2 text-sm text-foreground">
            {state.error}
          </p>
        )}
        {state.created && (
          <p role="status" className="rounded-md border border-border bg-muted px-3 py-2 text-sm text-foreground">
            Campaign <span className="font-mono text-xs">{state.created.campaignId}</span> signed and queued to {state.created.targets} meter(s). Acknowledgements arrive as the meters wake.
          </p>
        )}
      </div>
    </form>
  );
}
