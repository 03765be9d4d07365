'use client';

// The secure element's event log, newest first: every refused access (firewall, DAP) with who
// tried what and why, and — unless filtered out — the management events around them; plus the
// commands the meter core refused before they reached the card.
import { isRefusal, type MeterState, type SeEvent } from '@hydra/meter-sim';
import { londonDateOf } from '@hydra/meter-sim/calendar';
import { useState } from 'react';
import { Badge } from '@/components/badge';
import { EmptyState } from '@/components/empty-state';
import { actorName } from './aid-name';

const KIND_TEXT: Partial<Record<SeEvent['kind'], string>> = {
  'firewall.channel-foreign-applet': 'another domain’s applet',
  'firewall.unsecured-select': 'applet selected without a channel',
  'firewall.foreign-domain': 'another domain’s content',
  'firewall.owner-mismatch': 'package for another owner',
  'firewall.shareable-refused': 'no shareable grant',
  'firewall.capability-refused': 'capability withheld',
  'firewall.send-refused': 'message class not declared',
  'dap.refused': 'package signature refused',
};

/** Props for {@link FirewallEvents}. */
export interface FirewallEventsProps {
  events: readonly SeEvent[];
  refusals: MeterState['refusals'];
}

export function FirewallEvents({ events, refusals }: FirewallEventsProps) {
  const [refusalsOnly, setRefusalsOnly] = useState(true);
  const shown = [...events].reverse().filter((event) => !refusalsOnly || isRefusal(event));
  const routing = [...refusals].reverse();
  return (
    <div className="flex flex-col gap-4">
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={refusalsOnly} onChange={(event) => setRefusalsOnly(event.target.checked)} className="size-4 accent-[var(--accent)]" />
        Refusals only (untick to see channels opened, packages loaded and other management events)
      </label>
      {shown.length === 0 ? (
        <EmptyState
          headingLevel={3}
          title={refusalsOnly ? 'No refusals recorded' : 'No events recorded'}
          description={
            refusalsOnly
              ? 'Nothing has tried what it may not on this card. Run a probe below to watch the firewall refuse one (on a copy: this log stays as it is).'
              : 'The card has recorded nothing yet.'
          }
        />
      ) : (
        <ol aria-label="Secure element events, newest first" className="flex flex-col divide-y divide-border rounded-lg border border-border">
          {shown.map((event, i) => (
            <li key={`${event.at}-${i}`} className="flex flex-col gap-1 px-3 py-2 text-sm">
              <div className="flex flex-wrap items-center gap-2">
                <Badge tone={isRefusal(event) ? 'danger' : event.kind === 'applet.fault' ? 'warning' : 'neutral'}>{event.kind}</Badge>
                {KIND_TEXT[event.kind] && <span className="font-medium">{KIND_TEXT[event.kind]}</span>}
                <span className="text-xs text-muted-foreground">{londonDateOf(event.at)}</span>
              </div>
              <p>
                <span className="text-muted-foreground">who:</span> {actorName(event.actor)} · <span className="text-muted-foreground">what:</span> {actorName(event.target)}
              </p>
              <p className="text-muted-foreground">{event.detail}</p>
            </li>
          ))}
        </ol>
      )}
      <div>
        <h3 className="mb-2 text-sm font-semibold">Refused by the meter core before the card</h3>
        {routing.length === 0 ? (
          <p className="text-sm text-muted-foreground">None: every command so far was addressed right and passed the card’s secure messaging check.</p>
        ) : (
          <ol aria-label="Meter core refusals, newest first" className="flex flex-col divide-y divide-border rounded-lg border border-border">
            {routing.map((refusal, i) => (
              <li key={`${refusal.messageId}-${i}`} className="px-3 py-2 text-sm">
                <span className="font-medium">{refusal.partyId}</span> · <span className="font-mono text-xs">{refusal.messageId.slice(0, 12)}…</span> — {refusal.reason}
              </li>
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}
