// The three views of one world side by side: the homes (public registry), the bills the supplier
// holds (its own table), and the relay's metadata log — in which no amount ever appears.
import type { MetadataRecord } from '@hydra/dcc';
import Link from 'next/link';
import type { BillView } from '@hydra/suppliers';
import { Badge } from '@/components/badge';
import { Card } from '@/components/card';
import { Stat } from '@/components/stat';
import { DataTable, type DataTableColumn } from '@/components/data-table';
import type { WorldView } from '@/lib/server/worlds';

const pounds = (pence: number) => `£${(pence / 100).toFixed(2)}`;
const kwh = (wh: number) => `${(wh / 1000).toFixed(1)}`;

const homeColumns: DataTableColumn<WorldView['homes'][number] & { worldId: string }>[] = [
  {
    key: 'meter',
    header: 'Meter',
    cell: (h) => (
      <Link className="font-mono text-xs text-accent underline-offset-4 hover:underline" href={`/worlds/${h.worldId}/homes/${h.index}`}>
        {h.meterId}
      </Link>
    ),
    rowHeader: true,
  },
  { key: 'archetype', header: 'Household', cell: (h) => h.archetype.replace(/-/g, ' ') },
  { key: 'feeder', header: 'Feeder', cell: (h) => <span className="font-mono text-xs">{h.feederId}</span> },
  {
    key: 'inspect',
    header: 'Secure element',
    cell: (h) => (
      <Link className="text-xs text-accent underline-offset-4 hover:underline" href={`/worlds/${h.worldId}/homes/${h.index}/meter`} aria-label={`Meter inspector for home ${h.index + 1}`}>
        Inspect meter
      </Link>
    ),
  },
];

const billColumns: DataTableColumn<BillView>[] = [
  { key: 'meter', header: 'Meter', cell: (b) => <span className="whitespace-nowrap font-mono text-xs">{b.meterId}</span>, rowHeader: true },
  { key: 'period', header: 'Period', cell: (b) => <span className="whitespace-nowrap">{b.period}</span> },
  { key: 'import', header: 'kWh', cell: (b) => kwh(b.importWh), align: 'end' },
  { key: 'amount', header: 'Amount', cell: (b) => <span className="font-medium tabular-nums">{pounds(b.amountPence)}</span>, align: 'end' },
];

const logColumns: DataTableColumn<MetadataRecord>[] = [
  { key: 'dir', header: 'Dir', cell: (r) => <span className="whitespace-nowrap">{r.direction === 'uplink' ? '↑ up' : '↓ down'}</span> },
  { key: 'meter', header: 'Meter', cell: (r) => <span className="font-mono text-xs">{r.meterId.replace(/^.*-m/, 'm')}</span>, rowHeader: true },
  { key: 'party', header: 'Party', cell: (r) => <Badge party={r.partyId as 'supplier'}>{r.partyId}</Badge> },
  { key: 'class', header: 'Class', cell: (r) => <span className="whitespace-nowrap text-xs">{r.messageClass}</span> },
  { key: 'size', header: 'Bytes', cell: (r) => r.sizeBytes, align: 'end' },
  { key: 'state', header: 'State', cell: (r) => <span className="text-xs">{r.state}</span> },
];

export interface WorldPanelsProps {
  world: WorldView;
  bills: BillView[];
  log: MetadataRecord[];
  relayStats: { messages: number; bytes: number; queued: number; dead: number; refused: number };
}

export function WorldPanels({ world, bills, log, relayStats }: WorldPanelsProps) {
  const total = bills.reduce((sum, bill) => sum + bill.amountPence, 0);
  const periods = new Set(bills.map((bill) => bill.period)).size;
  return (
    <div className="flex flex-col gap-4">
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Card>
          <Stat label="Homes" value={world.homes.length} hint={`seed “${world.seed}”`} />
        </Card>
        <Card>
          <Stat label="Bills the supplier holds" value={bills.length} hint={`${periods} month(s)`} party="supplier" />
        </Card>
        <Card>
          <Stat label="Total billed" value={pounds(total)} hint="monthly statements only" party="supplier" />
        </Card>
        <Card>
          <Stat label="Relay messages" value={relayStats.messages} hint={`${(relayStats.bytes / 1024).toFixed(1)} KiB of sealed envelopes`} party="dcc" />
        </Card>
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Supplier’s bills" description="What the energy supplier opened with its own keys: one statement per home per month — period, amount, register totals.">
          <div className="max-h-[30rem] overflow-auto" data-testid="supplier-bills">
            <DataTable
              caption="Bills the supplier holds"
              columns={billColumns}
              rows={[...bills].reverse()}
              getRowKey={(b) => `${b.meterId}/${b.period}`}
              dense
              emptyMessage="No bills yet. Run a month: each meter’s billing applet sends its statement when the month closes."
            />
          </div>
        </Card>
        <Card
          title="Relay log (DCC)"
          description={`Metadata only — ${relayStats.queued} queued (standing collects wait for the meters), ${relayStats.dead} dead letters, ${relayStats.refused} refused. No amounts: the relay holds no channel key.`}
        >
          <div className="max-h-[30rem] overflow-auto" data-testid="relay-log">
            <DataTable
              caption="Relay metadata log"
              columns={logColumns}
              rows={log}
              getRowKey={(r) => r.messageId}
              dense
              emptyMessage="No traffic yet. Meters register, the supplier queues its tariff and collect commands, and each month the meters answer."
            />
          </div>
        </Card>
      </div>
      <Card title="Homes" description="The public registry: which meter is in which home. Readings never leave the meters.">
        <div className="max-h-[20rem] overflow-auto">
          <DataTable caption="Homes in this world" columns={homeColumns} rows={world.homes.map((h) => ({ ...h, worldId: world.id }))} getRowKey={(h) => h.id} dense emptyMessage="This world has no homes." />
        </div>
      </Card>
    </div>
  );
}
