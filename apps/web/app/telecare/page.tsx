// The telecare provider's console: the homes whose householders admitted telecare (each on its
// meter's proof of consent), the wellbeing alerts their meters raised — type and time window only —
// and the operator's acknowledgement of each. Data only through the telecare provider's API under
// the credential the dashboard is viewing as.
import type { AlertView, HomeView } from '@hydra/suppliers';
import { Badge } from '@/components/badge';
import { Card } from '@/components/card';
import { ConsoleRefusal } from '@/components/console-refusal';
import { DataTable, type DataTableColumn } from '@/components/data-table';
import { EmptyState } from '@/components/empty-state';
import { PageHeader } from '@/components/page-header';
import { Stat } from '@/components/stat';
import { ViewAs } from '@/components/view-as';
import { WorldPicker } from '@/components/world-picker';
import { currentViewAs, partyGet } from '@/lib/server/view-as';
import { listWorlds } from '@/lib/server/worlds';
import { AcknowledgeForm } from './_components/acknowledge-form';
import { EnrolForm } from './_components/enrol-form';

export const dynamic = 'force-dynamic';

const time = (iso: string | null) => (iso ? iso.replace('T', ' ').slice(0, 16) : '—');
const mono = (text: string) => <span className="font-mono text-xs whitespace-nowrap">{text}</span>;
const ALERT_LABEL: Record<string, string> = { 'no-activity-by-deadline': 'No activity by the usual time', 'activity-in-sleep-window': 'Up in the night' };

const homeColumns: DataTableColumn<HomeView>[] = [
  { key: 'meter', header: 'Meter', cell: (h) => mono(h.meterId), rowHeader: true },
  { key: 'status', header: 'Status', cell: (h) => (h.withdrawnAt ? <Badge tone="neutral">withdrawn</Badge> : <Badge tone="success">enrolled</Badge>) },
  { key: 'since', header: 'Since (UTC)', cell: (h) => mono(time(h.withdrawnAt ?? h.enrolledAt).slice(0, 10)) },
  { key: 'collect', header: 'Collect', cell: (h) => (h.collectArmed ? 'armed' : '—') },
  { key: 'alerts', header: 'Alerts (open)', cell: (h) => `${h.alerts} (${h.openAlerts})`, align: 'end' },
];

const alertColumns: DataTableColumn<AlertView>[] = [
  { key: 'window', header: 'Window (UTC)', cell: (a) => mono(`${time(a.windowStart)} – ${a.windowEnd.slice(11, 16)}`) },
  { key: 'meter', header: 'Home (meter)', cell: (a) => mono(a.meterId), rowHeader: true },
  { key: 'type', header: 'Alert', cell: (a) => <Badge tone={a.acknowledgedAt ? 'neutral' : 'warning'}>{ALERT_LABEL[a.type] ?? a.type}</Badge> },
  {
    key: 'ack',
    header: 'Acknowledgement',
    cell: (a) =>
      a.acknowledgedAt ? (
        <span className="text-xs">
          {time(a.acknowledgedAt)}
          {a.note ? ` — ${a.note}` : ''}
        </span>
      ) : (
        <AcknowledgeForm alertId={a.alertId} label={`the alert for ${a.meterId} at ${time(a.windowStart)}`} />
      ),
  },
];

export default async function TelecareConsole({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const worlds = await listWorlds();
  const requested = typeof params.worldId === 'string' ? params.worldId : undefined;
  const world = worlds.find((w) => w.id === requested) ?? worlds[0];
  const party = await currentViewAs('telecare');
  const header = (
    <PageHeader
      eyebrow="Telecare provider console"
      title="Telecare"
      description="What the telecare provider holds: only homes whose householder consented on the in-home display, and from them only wellbeing alerts — what kind, and when. The consent itself stays on the meter."
      actions={<ViewAs current={party} path="/telecare" />}
    />
  );
  if (!world) {
    return (
      <div className="flex flex-col gap-6">
        {header}
        <EmptyState title="No world yet" description="Create one with `npm run setup` (the demo street) or `npm run hydra -- run`." />
      </div>
    );
  }
  const q = `?worldId=${encodeURIComponent(world.id)}`;
  const [homes, alerts] = await Promise.all([partyGet<{ homes: HomeView[] }>(party, `/api/telecare/homes${q}`), partyGet<{ alerts: AlertView[] }>(party, `/api/telecare/alerts${q}`)]);
  const refused = [homes, alerts].find((result) => !result.ok);
  if (refused && !refused.ok) {
    return (
      <div className="flex flex-col gap-6">
        {header}
        <ConsoleRefusal owner="The telecare provider’s" switchTo="Telecare provider" whose="Enrolled homes and wellbeing alerts are the telecare provider’s own" viewedAs={party} refusal={refused} />
      </div>
    );
  }
  const homeRows = homes.ok ? homes.data.homes : [];
  const alertRows = alerts.ok ? alerts.data.alerts : [];
  const enrolled = homeRows.filter((h) => !h.withdrawnAt).length;
  const open = alertRows.filter((a) => !a.acknowledgedAt).length;

  return (
    <div className="flex flex-col gap-6">
      {header}
      <WorldPicker worlds={worlds} worldId={world.id} />
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Card>
          <Stat label="Enrolled homes" value={enrolled} hint={`of ${world.homeCount} in the world; only these consented`} party="telecare" />
        </Card>
        <Card>
          <Stat label="Open alerts" value={open} hint="waiting for an operator" party="telecare" />
        </Card>
        <Card>
          <Stat label="Alerts" value={alertRows.length} hint="type and time window only" party="telecare" />
        </Card>
        <Card>
          <Stat label="Withdrawn" value={homeRows.length - enrolled} hint="consent withdrawn: nothing more collected" party="telecare" />
        </Card>
      </div>
      <Card title="Wellbeing alerts" description="Newest first. Acknowledge once the home has been checked on; the note stays with the alert.">
        <div className="max-h-[30rem] overflow-auto">
          <DataTable caption="Wellbeing alerts" columns={alertColumns} rows={alertRows} getRowKey={(a) => a.alertId} dense emptyMessage="No alerts: the enrolled homes kept to their routines." />
        </div>
      </Card>
      <div className="flex flex-col gap-4">
        <Card title="Enrolled homes" description="Each admitted on its meter’s proof of consent, checked by the relay against the meter’s device key.">
          <DataTable caption="Enrolled homes" columns={homeColumns} rows={homeRows} getRowKey={(h) => h.meterId} dense emptyMessage="No home has consented yet: the relay routes nothing to a home before its householder does." />
        </Card>
        <Card title="Enrol a home" description="Paste the proof the householder’s in-home display produced when they consented.">
          <EnrolForm />
        </Card>
      </div>
    </div>
  );
}
