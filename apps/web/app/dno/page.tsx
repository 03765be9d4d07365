// The DNO's console: its feeders with the load recovered from the meters' masked shares (never one
// home's reading), power-quality events on a timeline and per feeder, and load-control campaigns
// with each meter's acknowledgement. Data only through the DNO's API under the credential the
// dashboard is viewing as — another party's credential gets the API's refusal.
import type { CampaignView, FeederOverview, PowerQualityEventView } from '@hydra/suppliers';
import { Badge, type BadgeTone } from '@/components/badge';
import { Card } from '@/components/card';
import { Chart, type ChartSeries } from '@/components/chart';
import { ConsoleRefusal } from '@/components/console-refusal';
import { DataTable, type DataTableColumn } from '@/components/data-table';
import { EmptyState } from '@/components/empty-state';
import { PageHeader } from '@/components/page-header';
import { Stat } from '@/components/stat';
import { ViewAs } from '@/components/view-as';
import { WorldPicker } from '@/components/world-picker';
import type { ChartColorVar } from '@/lib/parties';
import { currentViewAs, partyGet } from '@/lib/server/view-as';
import { listWorlds, readWorld } from '@/lib/server/worlds';
import { CampaignForm } from './_components/campaign-form';

export const dynamic = 'force-dynamic';

const time = (iso: string | null) => (iso ? iso.replace('T', ' ').slice(0, 16) : '—');
const mono = (text: string) => <span className="font-mono text-xs whitespace-nowrap">{text}</span>;
const EVENT_TONE: Record<string, BadgeTone> = { sag: 'neutral', swell: 'neutral', outage: 'danger' };
const STATE_TONE: Record<string, BadgeTone> = { queued: 'warning', applied: 'success', refused: 'danger' };
const COLORS: ChartColorVar[] = ['--chart-2', '--chart-1', '--chart-3', '--chart-4', '--chart-5', '--chart-6'];
/** Feeder series keys (the chart wants typed numeric keys): one per feeder shown, at most six. */
const SERIES_KEYS = ['f0', 'f1', 'f2', 'f3', 'f4', 'f5'] as const;

interface LoadRow {
  time: string;
  f0: number | null;
  f1: number | null;
  f2: number | null;
  f3: number | null;
  f4: number | null;
  f5: number | null;
}

interface EventDay {
  day: string;
  sag: number;
  swell: number;
  outage: number;
}

interface FeederMap {
  feederId: string;
  homes: number;
  dnoMeters: number;
  reports: boolean;
  sag: number;
  swell: number;
  outage: number;
  meters: number;
}

const eventColumns: DataTableColumn<PowerQualityEventView>[] = [
  { key: 'start', header: 'Start (UTC)', cell: (e) => mono(time(e.start)) },
  { key: 'type', header: 'Type', cell: (e) => <Badge tone={EVENT_TONE[e.type] ?? 'neutral'}>{e.type}</Badge> },
  { key: 'meter', header: 'Meter', cell: (e) => mono(e.meterId), rowHeader: true },
  { key: 'feeder', header: 'Feeder', cell: (e) => mono(e.feederId) },
  { key: 'duration', header: 'Duration (s)', cell: (e) => e.durationSeconds, align: 'end' },
  { key: 'extreme', header: 'Extreme (V)', cell: (e) => (e.type === 'outage' ? '—' : e.extremeV.toFixed(1)), align: 'end' },
];

const feederColumns: DataTableColumn<FeederMap>[] = [
  { key: 'feeder', header: 'Feeder', cell: (f) => mono(f.feederId), rowHeader: true },
  { key: 'homes', header: 'Homes', cell: (f) => f.homes, align: 'end' },
  { key: 'dno', header: 'DNO meters', cell: (f) => f.dnoMeters, align: 'end' },
  { key: 'aggregate', header: 'Aggregate', cell: (f) => (f.reports ? <Badge tone="success">reports</Badge> : <Badge tone="neutral">under 5: none</Badge>) },
  {
    key: 'events',
    header: 'Events',
    cell: (f) => (f.sag + f.swell + f.outage === 0 ? '—' : <span className="text-xs whitespace-nowrap">{`${f.sag} sag · ${f.swell} swell · ${f.outage} outage`}</span>),
  },
  { key: 'meters', header: 'Meters hit', cell: (f) => f.meters, align: 'end' },
];

const targetColumns: DataTableColumn<CampaignView['targets'][number]>[] = [
  { key: 'meter', header: 'Meter', cell: (t) => mono(t.meterId), rowHeader: true },
  { key: 'state', header: 'Acknowledgement', cell: (t) => <Badge tone={STATE_TONE[t.state] ?? 'neutral'}>{t.state}</Badge> },
  { key: 'from', header: 'Applied from (UTC)', cell: (t) => mono(time(t.appliedStart)) },
  { key: 'to', header: 'Applied to (UTC)', cell: (t) => mono(time(t.appliedEnd)) },
  { key: 'reason', header: 'Reason', cell: (t) => <span className="text-xs">{t.reason ?? '—'}</span> },
];

function describeCampaign(c: CampaignView): string {
  const device = c.device === 'ev' ? 'EV chargers' : 'heat pumps';
  const action = c.action === 'off' ? 'off' : `capped at ${c.limitKw} kW`;
  return `${device} ${action} from ${time(c.start)} UTC for ${Math.round(c.durationSeconds / 60)} min, start randomised over ${c.randomisationSeconds} s`;
}

export default async function DnoConsole({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const worlds = await listWorlds();
  const requested = typeof params.worldId === 'string' ? params.worldId : undefined;
  const summary = worlds.find((w) => w.id === requested) ?? worlds[0];
  const party = await currentViewAs('dno');
  const header = (
    <PageHeader
      eyebrow="Distribution network operator console"
      title="DNO"
      description="What the network operator holds: power-quality events, each feeder’s load recovered from masked shares that cancel only over the whole feeder, and the load-control campaigns it signs, with every meter’s acknowledgement. Nothing about one home’s consumption."
      actions={<ViewAs current={party} path="/dno" />}
    />
  );
  const world = summary ? await readWorld(summary.id) : null;
  if (!summary || !world) {
    return (
      <div className="flex flex-col gap-6">
        {header}
        <EmptyState title="No world yet" description="Create one with `npm run setup` (the demo street) or `npm run hydra -- run`." />
      </div>
    );
  }
  const date = typeof params.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(params.date) ? params.date : undefined;
  const q = `?worldId=${encodeURIComponent(world.id)}`;
  const [feeders, events, campaigns] = await Promise.all([
    partyGet<FeederOverview>(party, `/api/dno/feeders${q}${date ? `&date=${date}` : ''}`),
    partyGet<{ events: PowerQualityEventView[] }>(party, `/api/dno/events${q}`),
    partyGet<{ campaigns: CampaignView[] }>(party, `/api/dno/campaigns${q}`),
  ]);
  const refused = [feeders, events, campaigns].find((result) => !result.ok);
  if (refused && !refused.ok) {
    return (
      <div className="flex flex-col gap-6">
        {header}
        <ConsoleRefusal owner="The DNO’s" switchTo="DNO" whose="Power-quality events, feeder load and campaigns are the DNO’s own" viewedAs={party} refusal={refused} />
      </div>
    );
  }
  const overview: FeederOverview = feeders.ok ? feeders.data : { feeders: [], dates: [], date: null, loads: [] };
  const eventRows = events.ok ? events.data.events : [];
  const campaignRows = campaigns.ok ? campaigns.data.campaigns : [];

  // Feeder load: one series per reporting feeder; an incomplete half hour is a gap, never a number.
  const shown = overview.feeders.filter((f) => f.reports).slice(0, SERIES_KEYS.length);
  const byPeriod = new Map<number, LoadRow>();
  for (const point of overview.loads) {
    const index = shown.findIndex((f) => f.feederId === point.feederId);
    const key = SERIES_KEYS[index];
    if (!key) continue;
    const row = byPeriod.get(point.period) ?? { time: point.start.slice(11, 16), f0: null, f1: null, f2: null, f3: null, f4: null, f5: null };
    row[key] = point.totalWh === null ? null : point.totalWh / 1000;
    byPeriod.set(point.period, row);
  }
  const loadRows = [...byPeriod.entries()].sort(([a], [b]) => a - b).map(([, row]) => row);
  const loadSeries: ChartSeries<LoadRow>[] = shown.map((f, i) => ({ key: SERIES_KEYS[i] ?? 'f0', label: f.feederId, colorVar: COLORS[i] ?? '--chart-2' }));
  const incomplete = overview.loads.filter((p) => p.totalWh === null).length;

  // Power quality: per day and type (the timeline), and per feeder (the map).
  const days = new Map<string, EventDay>();
  for (const e of eventRows) {
    const day = e.start.slice(0, 10);
    const row = days.get(day) ?? { day, sag: 0, swell: 0, outage: 0 };
    if (e.type === 'sag' || e.type === 'swell' || e.type === 'outage') row[e.type] += 1;
    days.set(day, row);
  }
  const timeline = [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
  const feederMap: FeederMap[] = overview.feeders.map((f) => {
    const onFeeder = eventRows.filter((e) => e.feederId === f.feederId);
    const count = (type: string) => onFeeder.filter((e) => e.type === type).length;
    return { ...f, sag: count('sag'), swell: count('swell'), outage: count('outage'), meters: new Set(onFeeder.map((e) => e.meterId)).size };
  });
  const dnoMeters = overview.feeders.reduce((sum, f) => sum + f.dnoMeters, 0);
  const start = new Date(Date.parse(world.clock) + 3_600_000).toISOString().slice(0, 16);

  return (
    <div className="flex flex-col gap-6">
      {header}
      <WorldPicker worlds={worlds} worldId={world.id}>
        {overview.dates.length > 0 && (
          <label className="flex flex-col gap-1 text-sm">
            <span className="text-muted-foreground">Day</span>
            <select name="date" defaultValue={overview.date ?? ''} className="h-9 rounded-md border border-border-strong bg-card px-2">
              {overview.dates.map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </label>
        )}
      </WorldPicker>
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Card>
          <Stat label="DNO meters" value={dnoMeters} hint={`on ${overview.feeders.length} feeder(s)`} party="dno" />
        </Card>
        <Card>
          <Stat label="Feeders reporting" value={overview.feeders.filter((f) => f.reports).length} hint="5 meters or more (Decision 13)" party="dno" />
        </Card>
        <Card>
          <Stat label="Power-quality events" value={eventRows.length} hint="sags, swells and outages" party="dno" />
        </Card>
        <Card>
          <Stat label="Campaigns" value={campaignRows.length} hint={`${campaignRows.reduce((sum, c) => sum + c.counts.applied, 0)} meter acknowledgements applied`} party="dno" />
        </Card>
      </div>
      <Card
        title="Feeder load"
        description={
          overview.date
            ? `${overview.date}, per half hour, kWh: the sum of every feeder meter’s masked share. ${incomplete > 0 ? `${incomplete} half hour(s) still incomplete (a meter’s share has not arrived) are gaps — never a partial sum.` : 'Every half hour complete.'}`
            : 'Per half hour, recovered from the meters’ masked shares once every meter on the feeder has reported.'
        }
      >
        {loadRows.length === 0 || loadSeries.length === 0 ? (
          <EmptyState title="No feeder load yet" description="Each meter’s aggregation applet sends one day’s masked shares at a time; open the world and run a few days." />
        ) : (
          <Chart<LoadRow> kind="line" data={loadRows} xKey="time" xLabel="Half hour (UTC)" series={loadSeries} label={`Feeder load per half hour on ${overview.date}, kWh`} unit="kWh" />
        )}
      </Card>
      <Card title="Feeders" description="The network map as the DNO holds it: which feeder each event came from. Membership is the public registry’s.">
        <DataTable caption="Feeders and their events" columns={feederColumns} rows={feederMap} getRowKey={(f) => f.feederId} dense emptyMessage="No feeder in this world." />
      </Card>
      <Card title="Power quality over time" description="Events per day by type, as the meters’ power-quality applets reported them.">
        {timeline.length === 0 ? (
          <EmptyState title="No events" description="The supply stayed within 216.2–253 V: nothing to report." />
        ) : (
          <Chart<EventDay> kind="bar" stacked data={timeline} xKey="day" xLabel="Day" series={[{ key: 'sag', label: 'Sags', colorVar: '--chart-5' }, { key: 'swell', label: 'Swells', colorVar: '--chart-3' }, { key: 'outage', label: 'Outages', colorVar: '--chart-4' }]} label="Power-quality events per day by type" decimals={0} integer height={200} />
        )}
      </Card>
      <Card title="Power-quality events" description="Newest first: type, start, duration and the extreme voltage — nothing else about the home.">
        <div className="max-h-[24rem] overflow-auto">
          <DataTable caption="Power-quality events" columns={eventColumns} rows={eventRows} getRowKey={(e) => `${e.meterId}/${e.type}/${e.start}`} dense emptyMessage="No power-quality events yet." />
        </div>
      </Card>
      <Card title="New load-control campaign" description="Signed with the DNO’s command key (sealed under its KEK) and queued to every DNO meter on the feeder. Each meter shifts the window by its own random delay of up to the randomisation window.">
        {overview.feeders.some((f) => f.dnoMeters > 0) ? (
          <CampaignForm worldId={world.id} feeders={overview.feeders.filter((f) => f.dnoMeters > 0).map((f) => ({ feederId: f.feederId, dnoMeters: f.dnoMeters }))} defaultStart={start} />
        ) : (
          <EmptyState title="No DNO meters yet" description="The relay announces each meter with a DNO security domain when it registers: open the world to start its meters." />
        )}
      </Card>
      <section aria-labelledby="campaigns-heading" className="flex flex-col gap-4">
        <h2 id="campaigns-heading" className="text-lg font-semibold tracking-tight">
          Campaigns
        </h2>
        {campaignRows.length === 0 ? (
          <EmptyState title="No campaigns yet" description="Create one above; each meter’s acknowledgement appears here as it wakes." />
        ) : (
          campaignRows.map((c) => (
            <Card
              key={c.campaignId}
              headingLevel={3}
              title={<span className="font-mono text-sm">{c.campaignId}</span>}
              description={describeCampaign(c)}
              actions={
                <div className="flex gap-2">
                  <Badge tone="success">{c.counts.applied} applied</Badge>
                  <Badge tone="warning">{c.counts.queued} waiting</Badge>
                  <Badge tone="danger">{c.counts.refused} refused</Badge>
                </div>
              }
            >
              <DataTable caption={`Acknowledgements of ${c.campaignId}`} columns={targetColumns} rows={c.targets} getRowKey={(t) => t.meterId} dense />
            </Card>
          ))
        )}
      </section>
    </div>
  );
}
