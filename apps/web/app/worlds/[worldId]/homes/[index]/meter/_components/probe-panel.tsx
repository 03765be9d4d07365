'use client';

// Student probes: try what the firewall forbids against a copy of this meter's state in this page
// (never saved, never sent) and see the status word, its meaning and the event the card records.
import { describeStatusWord } from '@hydra/globalplatform';
import { isRefusal, runProbe, type MeterState, type ProbeKind, type ProbeResult, type TracedExchange } from '@hydra/meter-sim';
import { useState, type RefObject } from 'react';
import { Badge } from '@/components/badge';
import { Button } from '@/components/button';
import { actorName } from './aid-name';

const PROBES: readonly { kind: ProbeKind; label: string; explains: string }[] = [
  { kind: 'foreign-select', label: 'Another party’s channel SELECTs billing', explains: 'The DNO opens its own SCP11b channel through the meter core, then asks for the supplier’s applet.' },
  { kind: 'unsigned-load', label: 'Load an unsigned package', explains: 'The applet owner loads a package that carries no DAP signature.' },
  { kind: 'tampered-load', label: 'Load a tampered package', explains: 'The published signature, but one character of the source changed after signing.' },
  { kind: 'replay', label: 'Replay the last wrapped command', explains: 'The newest secured command in the trace, sent again as a captured copy.' },
];

const secureRandom = (length: number) => crypto.getRandomValues(new Uint8Array(length));

/** Props for {@link ProbePanel}. */
export interface ProbePanelProps {
  state: RefObject<MeterState | null>;
  trace: readonly TracedExchange[];
  signatures: Readonly<Record<string, string>>;
}

function StatusWord({ sw }: { sw: number }) {
  const info = describeStatusWord(sw);
  return (
    <span className="flex flex-wrap items-center gap-2">
      <Badge tone={info.category === 'success' ? 'success' : info.category === 'warning' ? 'warning' : 'danger'}>{info.hex}</Badge>
      <span className="text-sm">
        {info.name}: {info.meaning}
      </span>
    </span>
  );
}

export function ProbePanel({ state, trace, signatures }: ProbePanelProps) {
  const [result, setResult] = useState<ProbeResult | null>(null);
  const [busy, setBusy] = useState<ProbeKind | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = (kind: ProbeKind) => {
    const meter = state.current;
    if (!meter) {
      setError('This meter has no state in this browser yet.');
      return;
    }
    setBusy(kind);
    setError(null);
    // Yield a frame so the button shows it is working (an SCP11b set-up takes a few ECDH operations).
    setTimeout(() => {
      try {
        setResult(runProbe(kind, { state: meter, random: secureRandom, trace, signatures }));
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      } finally {
        setBusy(null);
      }
    }, 16);
  };

  return (
    <div className="flex flex-col gap-4">
      <ul className="grid gap-3 sm:grid-cols-2">
        {PROBES.map((probe) => (
          <li key={probe.kind} className="flex flex-col gap-2 rounded-lg border border-border p-3">
            <Button variant="secondary" size="sm" onClick={() => run(probe.kind)} disabled={busy !== null} className="self-start">
              {busy === probe.kind ? 'Running…' : probe.label}
            </Button>
            <p className="text-xs text-muted-foreground">{probe.explains}</p>
          </li>
        ))}
      </ul>
      {error && <p className="text-sm text-danger">{error}</p>}
      {result && (
        <section aria-label="Probe result" data-testid="probe-result" aria-live="polite" className="flex flex-col gap-3 rounded-lg border border-border p-4">
          <p className="text-sm">{result.summary}</p>
          {result.problem ? (
            <p className="text-sm text-warning">The probe could not run: {result.problem}.</p>
          ) : (
            <>
              <div className="flex flex-wrap items-center gap-3">
                <span className="text-sm font-medium">{result.refused ? 'Refused:' : 'Answered:'}</span>
                {result.sw !== null && <StatusWord sw={result.sw} />}
              </div>
              <p className="text-sm">
                {result.registryUnchanged ? (
                  <Badge tone="success">registry unchanged</Badge>
                ) : (
                  <Badge tone="danger">the registry changed</Badge>
                )}{' '}
                <span className="text-muted-foreground">Ran on a copy of this meter’s state in this page: nothing was saved and nothing left the browser.</span>
              </p>
            </>
          )}
          <div>
            <h3 className="mb-1 text-sm font-semibold">What the card and the meter core recorded</h3>
            {result.events.length === 0 && result.refusals.length === 0 ? (
              <p className="text-sm text-muted-foreground">Nothing.</p>
            ) : (
              <ul aria-label="Probe records" className="flex flex-col gap-1 text-sm">
                {result.events.map((event, i) => (
                  <li key={`e${i}`} className="flex flex-wrap items-center gap-2">
                    <Badge tone={isRefusal(event) ? 'danger' : 'neutral'}>{event.kind}</Badge>
                    <span>
                      {actorName(event.actor)} → {actorName(event.target)}: {event.detail}
                    </span>
                  </li>
                ))}
                {result.refusals.map((refusal, i) => (
                  <li key={`r${i}`} className="flex flex-wrap items-center gap-2">
                    <Badge tone="danger">meter-core refusal</Badge>
                    <span>
                      {refusal.partyId}: {refusal.reason}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </div>
          {result.steps.length > 0 && (
            <details>
              <summary className="cursor-pointer text-sm font-medium text-accent">The {result.steps.length} APDUs the probe sent</summary>
              <ol className="mt-2 flex flex-col gap-1 font-mono text-xs">
                {result.steps.map((step, i) => (
                  <li key={i} className="grid grid-cols-[minmax(12rem,18rem)_1fr_4rem] gap-2">
                    <span className="font-sans">{step.label}</span>
                    <span className="truncate" title={step.command}>
                      {step.command.toUpperCase()}
                    </span>
                    <span className="text-right">{step.response === '' ? 'no answer' : step.response.slice(-4).toUpperCase()}</span>
                  </li>
                ))}
              </ol>
            </details>
          )}
        </section>
      )}
    </div>
  );
}
