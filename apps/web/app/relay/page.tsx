// The DCC console: what the relay holds — the metadata log (filterable), queue depth per channel,
// dead letters (with retry) and refused requests. Data only through the DCC's API under the
// credential the dashboard is viewing as; no payload is ever here because the relay has none.
import type { ChannelDepth, EnrolmentRecord, QueueRecord, RefusalRecord } from '@hydra/dcc';
import { Badge } from '@/components/badge';
import { Button } from '@/components/button';
import { Card } from '@/components/card';
import { DataTable, type DataTableColumn } from '@/components/data-table';
import { ErrorState } from '@/components/error-state';
import { PageHeader } from '@/components/page-header';
import { Stat } from '@/components/stat';
import { ViewAs, viewAsLabel } from '@/components/view-as';
import { listWorlds } from '@/lib/server/worlds';
import { currentViewAs, partyGet } from '@/lib/server/view-as';
import { retryDeadLetter } from './_actions';

export const dynamic = 'force-dynamic';

const FILTERS = ['worldId', 'meterId', 'partyId', 'messageClass', 'state'] as const;
type Filter = (typeof FILTERS)[number];
const PARTIES = ['supplier', 'dno', 'telecare'];
const CLASSES = ['session-setup', 'applet-command', 'collect', 'set-tariff', 'load-control', 'session-setup-response', 'applet-command-response', 'collect-response', 'set-tariff-response', 'load-control-response'];
const STATES = ['queued', 'delivered', 'dead'];

const time = (iso: string) => iso.replace('T', ' ').slice(0, 19);
const mono = (text: string | null) => <span className="font-mono text-xs whitespace-nowrap">{text ?? '—'}</span>;

const logColumns: DataTableColumn<QueueRecord>[] = [
  { key: 'received', header: 'Received (UTC)', cell: (r) => mono(time(r.receivedAt)) },
  { key: 'dir', header: 'Dir', cell: (r) => <span className="whitespace-nowrap">{r.direction === 'uplink' ? '↑ up' : '↓ down'}</span> },
  { key: 'meter', header: 'Meter', cell: (r) => mono(r.meterId), rowHeader: true },
  { key: 'party', header: 'Party', cell: (r) => <Badge party={r.partyId as 'supplier'}>{r.partyId}</Badge> },
  { key: 'class', header: 'Class', cell: (r) => <span className="text-xs whitespace-nowrap">{r.messageClass}</span> },
  { key: 'size', header: 'Bytes', cell: (r) => r.sizeBytes, align: 'end' },
  { key: 'state', header: 'State', cell: (r) => <Badge tone={r.state === 'dead' ? 'danger' : r.state === 'queued' ? 'warning' : 'success'}>{r.state}</Badge> },
  { key: 'attempts', header: 'Attempts', cell: (r) => r.attempts, align: 'end' },
];

interface PartyDepth {
  key: string;
  partyId: string;
  direction: string;
  channels: number;
  queued: number;
}

const depthColumns: DataTableColumn<PartyDepth>[] = [
  { key: 'party', header: 'Party', cell: (d) => <Badge party={d.partyId as 'supplier'}>{d.partyId}</Badge>, rowHeader: true },
  { key: 'dir', header: 'Direction', cell: (d) => (d.direction === 'uplink' ? '↑ to the party' : '↓ to meters') },
  { key: 'channels', header: 'Channels', cell: (d) => d.channels, align: 'end' },
  { key: 'queued', header: 'Queued', cell: (d) => <span className="font-medium tabular-nums">{d.queued}</span>, align: 'end' },
];

const enrolmentColumns: DataTableColumn<EnrolmentRecord>[] = [
  { key: 'meter', header: 'Meter', cell: (e) => mono(e.meterId), rowHeader: true },
  { key: 'party', header: 'Party', cell: (e) => <Badge party={e.partyId as 'telecare'}>{e.partyId}</Badge> },
  { key: 'state', header: 'State', cell: (e) => <Badge tone={e.state === 'admitted' ? 'success' : 'neutral'}>{e.state}</Badge> },
  { key: 'sequence', header: 'Proof sequence', cell: (e) => e.sequence, align: 'end' },
  { key: 'updated', header: 'Updated (UTC)', cell: (e) => mono(time(e.updatedAt)) },
];

const refusalColumns: DataTableColumn<RefusalRecord>[] = [
  { key: 'received', header: 'Received (UTC)', cell: (r) => mono(time(r.receivedAt)) },
  { key: 'code', header: 'Code', cell: (r) => <Badge tone="danger">{r.code}</Badge>, rowHeader: true },
  { key: 'reason', header: 'Reason', cell: (r) => <span className="text-xs">{r.reason}</span> },
  { key: 'meter', header: 'Meter', cell: (r) => mono(r.meterId) },
  { key: 'party', header: 'Party', cell: (r) => mono(r.partyId) },
];

function summarise(channels: ChannelDepth[]): PartyDepth[] {
  const out = new Map<string, PartyDepth>();
  for (const channel of channels) {
    const key = `${channel.partyId}/${channel.direction}`;
    const row = out.get(key) ?? { key, partyId: channel.partyId, direction: channel.direction, channels: 0, queued: 0 };
    row.channels += 1;
    row.queued += channel.queued;
    out.set(key, row);
  }
  return [...out.values()].sort((a, b) => a.key.localeCompare(b.key));
}

function Select({ name, label, options, value }: { name: Filter; label: string; options: readonly string[]; value: string | undefined }) {
  return (
    <label className="flex flex-col gap-1 text-sm">
      <span className="text-muted-foreground">{label}</span>
      <select name={name} defaultValue={value ?? ''} className="h-9 rounded-md border border-border-strong bg-card px-2">
        <option value="">Any</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </label>
  );
}

export default async function RelayConsole({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const filter: Partial<Record<Filter, string>> = {};
  for (const name of FILTERS) {
    const value = params[name];
    if (typeof value === 'string' && value !== '') filter[name] = value;
  }
  const party = await currentViewAs('dcc');
  const query = new URLSearchParams(filter as Record<string, string>).toString();
  const world = filter.worldId ? `?worldId=${encodeURIComponent(filter.worldId)}` : '';
  const [worlds, log, queues, dead, refusals, enrolments] = await Promise.all([
    listWorlds(),
    partyGet<{ records: QueueRecord[] }>(party, `/api/dcc/log?${query}`),
    partyGet<{ channels: ChannelDepth[] }>(party, `/api/dcc/queues${world}`),
    partyGet<{ deadLetters: QueueRecord[] }>(party, `/api/dcc/dead-letters${world}`),
    partyGet<{ refusals: RefusalRecord[] }>(party, `/api/dcc/refusals${world}`),
    partyGet<{ enrolments: EnrolmentRecord[] }>(party, `/api/dcc/enrolments${world}`),
  ]);
  const header = (
    <PageHeader
      eyebrow="DCC relay console"
      title="Relay"
      description="What the relay holds: envelope metadata, its queues, the messages it could not deliver and the requests it refused. It routes sealed envelopes and cannot open them."
      actions={<ViewAs current={party} path="/relay" />}
    />
  );
  const refused = [log, queues, dead, refusals, enrolments].find((result) => !result.ok);
  if (refused && !refused.ok) {
    return (
      <div className="flex flex-col gap-6">
        {header}
        <ErrorState
          title={refused.status === 403 || refused.status === 401 ? 'The relay refused this console' : 'The relay’s data could not be loaded'}
          description={
            <p>
              Viewed as the <strong>{viewAsLabel(party)}</strong>. {refused.status === 403 || refused.status === 401 ? 'Only the DCC’s credential opens the relay’s records: switch “View as” to DCC (relay).' : 'Try again in a moment.'}
            </p>
          }
          detail={`${refused.status} ${refused.code}: ${refused.message}`}
        />
      </div>
    );
  }
  const records = log.ok ? log.data.records : [];
  const channels = queues.ok ? queues.data.channels : [];
  const deadLetters = dead.ok ? dead.data.deadLetters : [];
  const refusalRows = refusals.ok ? refusals.data.refusals : [];
  const enrolmentRows = enrolments.ok ? enrolments.data.enrolments : [];
  const queued = channels.reduce((sum, channel) => sum + channel.queued, 0);

  const deadColumns: DataTableColumn<QueueRecord>[] = [
    { key: 'received', header: 'Received (UTC)', cell: (r) => mono(time(r.receivedAt)) },
    { key: 'meter', header: 'Meter', cell: (r) => mono(r.meterId), rowHeader: true },
    { key: 'party', header: 'Party', cell: (r) => <Badge party={r.partyId as 'supplier'}>{r.partyId}</Badge> },
    { key: 'attempts', header: 'Attempts', cell: (r) => r.attempts, align: 'end' },
    { key: 'error', header: 'Last error', cell: (r) => <span className="text-xs">{r.lastError ?? '—'}</span> },
    {
      key: 'retry',
      header: 'Action',
      cell: (r) => (
        <form action={retryDeadLetter}>
          <input type="hidden" name="messageId" value={r.messageId} />
          <Button type="submit" size="sm" aria-label={`Retry ${r.messageId.slice(0, 8)} to ${r.partyId}`}>
            Retry
          </Button>
        </form>
      ),
    },
  ];

  return (
    <div className="flex flex-col gap-6">
      {header}
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Card>
          <Stat label="Messages shown" value={records.length} hint="newest first, at most 200" party="dcc" />
        </Card>
        <Card>
          <Stat label="Queued" value={queued} hint={`on ${channels.length} channel(s)`} party="dcc" />
        </Card>
        <Card>
          <Stat label="Dead letters" value={deadLetters.length} hint="undeliverable after the last attempt" party="dcc" />
        </Card>
        <Card>
          <Stat label="Refused requests" value={refusalRows.length} hint="wrongly routed, forged, replayed, rate-limited" party="dcc" />
        </Card>
      </div>
      <Card title="Metadata log" description="Meter, party, applet class, size and time — the envelope. The sealed bytes are dropped once delivered.">
        <form method="get" className="mb-4 flex flex-wrap items-end gap-3" aria-label="Filter the metadata log">
          <label className="flex flex-col gap-1 text-sm">
            <span className="text-muted-foreground">World</span>
            <select name="worldId" defaultValue={filter.worldId ?? ''} className="h-9 rounded-md border border-border-strong bg-card px-2">
              <option value="">Any</option>
              {worlds.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1 text-sm">
            <span className="text-muted-foreground">Meter</span>
            <input name="meterId" defaultValue={filter.meterId ?? ''} placeholder="e.g. demo-m0001" pattern="[a-z0-9][a-z0-9-]{0,63}" className="h-9 w-40 rounded-md border border-border-strong bg-card px-2 font-mono text-xs" />
          </label>
          <Select name="partyId" label="Party" options={PARTIES} value={filter.partyId} />
          <Select name="messageClass" label="Class" options={CLASSES} value={filter.messageClass} />
          <Select name="state" label="State" options={STATES} value={filter.state} />
          <Button type="submit" variant="primary">
            Apply filters
          </Button>
        </form>
        <div className="max-h-[32rem] overflow-auto" data-testid="relay-metadata-log">
          <DataTable
            caption="Relay metadata log"
            columns={logColumns}
            rows={records}
            getRowKey={(r) => r.messageId}
            dense
            emptyMessage={query ? 'No message matches these filters. Clear a filter to see more.' : 'No traffic yet. Open a world and run a month: meters register, the supplier queues its commands, and the meters answer.'}
          />
        </div>
      </Card>
      <Card title="Dead letters" description="Uplinks the relay could not deliver after its last attempt. Retry puts one back at the head of its channel and delivers it now.">
        <div className="max-h-[24rem] overflow-auto">
          <DataTable caption="Dead letters" columns={deadColumns} rows={deadLetters} getRowKey={(r) => r.messageId} dense emptyMessage="No dead letters: every uplink reached its party." />
        </div>
      </Card>
      <Card title="Queues" description="Messages waiting, per party and direction. Standing collect commands wait here for each meter’s next wake.">
        <DataTable caption="Queue depth per party and direction" columns={depthColumns} rows={summarise(channels)} getRowKey={(d) => d.key} dense emptyMessage="Every queue is empty." />
      </Card>
      <Card title="Enrolments" description="Homes whose householder admitted a consent-gated service, on the meter’s signed proof. The relay routes telecare traffic only while one stands — and so knows which homes have telecare: the residual metadata leak the message catalog names.">
        <DataTable caption="Enrolments" columns={enrolmentColumns} rows={enrolmentRows} getRowKey={(e) => `${e.meterId}/${e.partyId}`} dense emptyMessage="No enrolments: no householder has admitted telecare." />
      </Card>
      <Card title="Refused requests" description="What the relay turned away after checking the caller, and why. Requests without a valid credential are refused at the edge and not stored.">
        <div className="max-h-[24rem] overflow-auto">
          <DataTable caption="Refused requests" columns={refusalColumns} rows={refusalRows} getRowKey={(r) => r.id} dense emptyMessage="Nothing refused." />
        </div>
      </Card>
    </div>
  );
}
