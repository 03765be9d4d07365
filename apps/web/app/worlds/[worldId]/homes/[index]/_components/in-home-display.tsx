'use client';

// The in-home display as the householder sees it: insights from their own applet, the data-sharing
// choice and consent to telecare — each read from or done on the meter in this tab's worker
// (useMeterHost), locally: nothing here goes through the relay. Choices are signed in the worker
// with the householder key the host keeps, checked by the card and kept in IndexedDB.
import Link from 'next/link';
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { SharingSetting } from '@hydra/meter-sim';
import { Badge } from '@/components/badge';
import { Button } from '@/components/button';
import { Card } from '@/components/card';
import { Chart } from '@/components/chart';
import { CodeBlock } from '@/components/code-block';
import { EmptyState } from '@/components/empty-state';
import { Progress } from '@/components/progress';
import { Stat } from '@/components/stat';
import type { DisplayView, HouseholderAction } from '@/worker/protocol';
import { useMeterHost, type MeterHostWorld } from '../../../_components/use-meter-host';

const pounds = (pence: number) => `£${(pence / 100).toFixed(2)}`;
const kwh = (wh: number) => Math.round(wh / 100) / 10;

/** The sharing choices, as the householder reads them. */
const SHARING: { value: SharingSetting; label: string; detail: string }[] = [
  { value: 'monthly', label: 'Monthly bill only', detail: 'Your supplier gets one statement a month: the amount and the month’s totals. Nothing else leaves the meter.' },
  { value: 'daily', label: 'Daily totals', detail: 'Also one import and one export figure for each day.' },
  { value: 'half-hourly', label: 'Half-hourly reads', detail: 'Also your use in every half hour — enough to see when you are in, asleep or away.' },
];

interface RecentRow {
  day: string;
  imported: number;
}

type Notice = { tone: 'success' | 'error'; text: string } | null;

/** Props for {@link InHomeDisplay}. */
export interface InHomeDisplayProps {
  world: MeterHostWorld;
  meterId: string;
}

export function InHomeDisplay({ world, meterId }: InHomeDisplayProps) {
  const [view, setView] = useState<DisplayView | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [proof, setProof] = useState<{ admitted: boolean; text: string } | null>(null);
  const request = useRef<((action: HouseholderAction) => Promise<void>) | null>(null);
  const onAdvanced = useCallback(() => void request.current?.({ kind: 'view' }), []);
  const host = useMeterHost(world, onAdvanced);

  const act = useCallback(
    async (action: HouseholderAction, done?: string) => {
      setBusy(action.kind);
      const answer = await host.householder(meterId, action);
      setBusy(null);
      if (answer.view) setView(answer.view);
      if (answer.ok && answer.proof) setProof({ admitted: action.kind === 'consent-telecare', text: answer.proof });
      if (!answer.ok) setNotice({ tone: 'error', text: `The meter refused: ${answer.message}` });
      else if (done) setNotice({ tone: 'success', text: done });
    },
    [host, meterId],
  );
  useEffect(() => {
    request.current = act;
  }, [act]);

  const status = host.status;
  return (
    <Card
      title="In-home display"
      description="What the householder’s display reads from this meter — locally, over the home’s own network. Nothing on this panel goes through the relay."
      actions={<Badge party="householder">Householder</Badge>}
    >
      <div className="flex flex-col gap-6" aria-busy={busy !== null}>
        <HostLine status={status} />
        {notice && (
          <p role={notice.tone === 'error' ? 'alert' : 'status'} className={notice.tone === 'error' ? 'text-sm text-danger' : 'text-sm text-success'}>
            {notice.text}
          </p>
        )}
        {view ? (
          <>
            <Insights view={view} />
            <Sharing view={view} preset={world.sharingPreset} busy={busy !== null} onChoose={(setting) => void act({ kind: 'set-sharing', setting }, `Saved: ${SHARING.find((s) => s.value === setting)?.label ?? setting}.`)} />
            <Telecare
              view={view}
              busy={busy !== null}
              onConsent={() => void act({ kind: 'consent-telecare' }, 'Telecare is installed on your meter with your consent.')}
              onRevoke={() => void act({ kind: 'revoke-telecare' }, 'Consent withdrawn: telecare and everything it learned are deleted from your meter.')}
              proof={proof}
            />
          </>
        ) : (
          status.kind !== 'observer' && status.kind !== 'error' && <p className="text-sm text-muted-foreground">Reading the meter…</p>
        )}
      </div>
    </Card>
  );
}

function HostLine({ status }: { status: ReturnType<typeof useMeterHost>['status'] }) {
  if (status.kind === 'running') return <Progress label={status.label} value={Math.round(status.fraction * 100)} valueText={status.detail} />;
  if (status.kind === 'starting') return <p className="text-sm text-muted-foreground">Starting this world’s meters in this tab (SES lockdown, applets, keys)…</p>;
  if (status.kind === 'observer') {
    return (
      <p role="status" className="text-sm text-warning">
        Another tab hosts this world’s meters. The display works in the tab that hosts them: close the other tab and reload this one.
      </p>
    );
  }
  if (status.kind === 'error') return <p role="alert" className="text-sm text-danger">The meter host failed: {status.message}</p>;
  return <p className="text-sm text-muted-foreground">Meter has metered up to {status.nextDate}.</p>;
}

function Insights({ view }: { view: DisplayView }) {
  const { insights } = view;
  if (!view.commissioned || insights.period === null) {
    return (
      <EmptyState
        headingLevel={3}
        title="No readings yet"
        description="The meter starts metering once the supplier has commissioned it with a tariff; open the world and run a month."
      />
    );
  }
  const recent: RecentRow[] = insights.recent.map((d) => ({ day: d.date.slice(5), imported: kwh(d.importWh) }));
  return (
    <section aria-labelledby="ihd-insights" className="flex flex-col gap-4">
      <h3 id="ihd-insights" className="text-sm font-semibold">
        {view.nextDate.slice(0, 7) === insights.period ? `This month so far (${insights.period})` : `Last month metered (${insights.period})`}
      </h3>
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        <Stat label="Spent so far" value={pounds(insights.estimatedPence)} hint="estimate at your unit rate" party="householder" />
        <Stat
          label="Projected for the month"
          value={pounds(insights.projectedPence)}
          hint={insights.onTrack ? <Badge tone="success">within budget</Badge> : <Badge tone="warning">over budget</Badge>}
        />
        <Stat label="Budget" value={pounds(insights.budgetPence)} />
        <Stat label="Imported" value={kwh(insights.importWh)} unit="kWh" />
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <Chart<RecentRow> kind="bar" data={recent} xKey="day" xLabel="Day" series={[{ key: 'imported', label: 'Imported (kWh)', colorVar: '--chart-5' }]} label="Your last 7 days, kWh imported" unit="kWh" height={200} />
        <div className="flex flex-col gap-3 text-sm">
          <dl className="grid grid-cols-2 gap-x-4 gap-y-1">
            <dt className="text-muted-foreground">Always-on (last 7 days)</dt>
            <dd className="tabular-nums">{kwh(insights.breakdown.baseloadWh)} kWh</dd>
            <dt className="text-muted-foreground">Evening peak, 16:00–19:00</dt>
            <dd className="tabular-nums">{kwh(insights.breakdown.eveningPeakWh)} kWh</dd>
            <dt className="text-muted-foreground">Night, before 07:00</dt>
            <dd className="tabular-nums">{kwh(insights.breakdown.nightWh)} kWh</dd>
            <dt className="text-muted-foreground">Rest of the day</dt>
            <dd className="tabular-nums">{kwh(insights.breakdown.otherWh)} kWh</dd>
          </dl>
          {insights.tips.length > 0 ? (
            <ul className="list-disc space-y-1 pl-5" aria-label="Tips">
              {insights.tips.map((tip) => (
                <li key={tip}>{tip}</li>
              ))}
            </ul>
          ) : (
            <p className="text-muted-foreground">No tips this week: your use looks balanced.</p>
          )}
        </div>
      </div>
    </section>
  );
}

function Sharing({ view, preset, busy, onChoose }: { view: DisplayView; preset: 'hydra' | 'gb-licence'; busy: boolean; onChoose: (setting: SharingSetting) => void }) {
  const name = useId();
  const [choice, setChoice] = useState<SharingSetting>(view.sharing.setting);
  useEffect(() => setChoice(view.sharing.setting), [view.sharing.setting]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChoose(choice);
  };
  const since = view.sharing.effectiveFromUtc === null ? null : new Date(view.sharing.effectiveFromUtc).toISOString().slice(0, 10);
  return (
    <section aria-labelledby="ihd-sharing" className="flex flex-col gap-3">
      <h3 id="ihd-sharing" className="text-sm font-semibold">
        What your supplier may receive
      </h3>
      <p className="text-sm text-muted-foreground">
        {preset === 'gb-licence'
          ? 'This world follows the GB licence defaults: daily totals unless you opt out; half-hourly reads only if you opt in.'
          : 'This world follows the Hydra default: the monthly bill only, unless you choose to share more.'}{' '}
        Now: <strong className="text-foreground">{SHARING.find((s) => s.value === view.sharing.setting)?.label}</strong>
        {since ? ` (your choice, from ${since})` : ' (the default)'}.
      </p>
      <form onSubmit={submit} className="flex flex-col gap-3">
        <fieldset className="flex flex-col gap-2" disabled={busy}>
          <legend className="sr-only">Data sharing with your supplier</legend>
          {SHARING.map((option) => (
            <label key={option.value} className="flex items-start gap-2 text-sm">
              <input type="radio" name={name} value={option.value} checked={choice === option.value} onChange={() => setChoice(option.value)} className="mt-1" />
              <span>
                <span className="font-medium">{option.label}</span>
                <span className="block text-muted-foreground">{option.detail}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <div>
          <Button type="submit" disabled={busy || choice === view.sharing.setting}>
            Save sharing choice
          </Button>
        </div>
      </form>
    </section>
  );
}

function Telecare({ view, busy, onConsent, onRevoke, proof }: { view: DisplayView; busy: boolean; onConsent: () => void; onRevoke: () => void; proof: { admitted: boolean; text: string } | null }) {
  const installed = view.telecare.installed;
  return (
    <section aria-labelledby="ihd-telecare" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <h3 id="ihd-telecare" className="text-sm font-semibold">
          Telecare
        </h3>
        {installed ? <Badge party="telecare">Installed with your consent (v{view.telecare.version})</Badge> : <Badge tone="neutral">Not installed</Badge>}
      </div>
      <p className="text-sm text-muted-foreground">
        {installed
          ? 'The telecare applet learns your household’s routine from when appliances are used and sends your telecare provider only wellbeing alerts: no activity by your usual time, or activity deep in the night. Withdrawing your consent deletes it from the meter with everything it learned.'
          : 'An optional service: with your signed consent the meter installs the telecare provider’s published applet, which sends only wellbeing alerts. Nothing is installed without it.'}
      </p>
      <div>
        {installed ? (
          <Button variant="danger" onClick={onRevoke} disabled={busy}>
            Withdraw consent
          </Button>
        ) : (
          <Button variant="primary" onClick={onConsent} disabled={busy}>
            Consent to telecare
          </Button>
        )}
      </div>
      {proof && (
        <div className="flex flex-col gap-2">
          <p className="text-sm text-muted-foreground">
            Your meter signed this statement of your {proof.admitted ? 'consent' : 'withdrawal'} with its device key. Give it to your telecare provider (the{' '}
            <Link className="underline underline-offset-4" href="/telecare">
              telecare console
            </Link>
            ’s “Enrol a home” form): the relay {proof.admitted ? 'admits the provider to this meter only on it' : 'stops routing the provider’s traffic on it'}. The consent itself stays on your meter.
          </p>
          <CodeBlock code={proof.text} label={proof.admitted ? 'Proof of consent' : 'Proof of withdrawal'} wrap />
        </div>
      )}
    </section>
  );
}
