// The energy supplier's console: its accounts, the bills it opened with its own keys (and a chart
// of the total billed per month), and its tariffs. Data only through the supplier's API under the
// credential the dashboard is viewing as — another party's credential gets the API's refusal.
import type { AccountView, BillView, ConsentedReadView, TariffView } from '@hydra/suppliers';
import { Badge } from '@/components/badge';
import { Card } from '@/components/card';
import { Chart } from '@/components/chart';
import { DataTable, type DataTableColumn } from '@/components/data-table';
import { EmptyState } from '@/components/empty-state';
import { ConsoleRefusal } from '@/components/console-refusal';
import { PageHeader } from '@/components/page-header';
import { Stat } from '@/components/stat';
import { ViewAs } from '@/components/view-as';
import { WorldPicker } from '@/components/world-picker';
import { currentViewAs, partyGet } from '@/lib/server/view-as';
import { listWorlds } from '@/lib/server/worlds';

export const dynamic = 'force-dynamic';

const pounds = (pence: number) => `£${(pence / 100).toFixed(2)}`;
const kwh = (wh: number) => (wh / 1000).toFixed(1);
/** 1/1000 p → "24.500 p". */
const pence = (milli: unknown) => (typeof milli === 'number' ? `${(milli / 1000).toFixed(3)} p` : '—');

const accountColumns: DataTableColumn<AccountView>[] = [
  { key: 'meter', header: 'Meter', cell: (a) => <span className="font-mono text-xs whitespace-nowrap">{a.meterId}</span>, rowHeader: true },
  { key: 'collect', header: 'Collect armed', cell: (a) => (a.collectArmed ? <Badge tone="success">armed</Badge> : <Badge tone="warning">not armed</Badge>) },
  { key: 'bills', header: 'Bills', cell: (a) => a.bills, align: 'end' },
];

const billColumns: DataTableColumn<BillView>[] = [
  { key: 'period', header: 'Period', cell: (b) => <span className="whitespace-nowrap">{b.period}</span> },
  { key: 'meter', header: 'Meter', cell: (b) => <span className="font-mono text-xs whitespace-nowrap">{b.meterId}</span>, rowHeader: true },
  { key: 'import', header: 'Import kWh', cell: (b) => kwh(b.importWh), align: 'end' },
  { key: 'export', header: 'Export kWh', cell: (b) => kwh(b.exportWh), align: 'end' },
  { key: 'amount', header: 'Amount', cell: (b) => <span className="font-medium tabular-nums">{pounds(b.amountPence)}</span>, align: 'end' },
];

const tariffColumns: DataTableColumn<TariffView>[] = [
  { key: 'name', header: 'Tariff', cell: (t) => <span className="whitespace-nowrap">{t.name}</span>, rowHeader: true },
  { key: 'kind', header: 'Kind', cell: (t) => t.kind },
  { key: 'unit', header: 'Unit rate / kWh', cell: (t) => pence(t.document.unitRate), align: 'end' },
  { key: 'standing', header: 'Standing / day', cell: (t) => pence(t.document.standingCharge), align: 'end' },
  { key: 'from', header: 'From', cell: (t) => t.effectiveFrom },
  { key: 'accounts', header: 'Accounts', cell: (t) => t.accounts, align: 'end' },
];

const readColumns: DataTableColumn<ConsentedReadView>[] = [
  { key: 'date', header: 'Day', cell: (r) => <span className="whitespace-nowrap">{r.date}</span> },
  { key: 'meter', header: 'Meter', cell: (r) => <span className="font-mono text-xs whitespace-nowrap">{r.meterId}</span>, rowHeader: true },
  { key: 'resolution', header: 'Shared', cell: (r) => (r.resolution === 'daily' ? <Badge tone="accent">daily total</Badge> : <Badge tone="warning">half-hourly</Badge>) },
  { key: 'import', header: 'Import kWh', cell: (r) => kwh(r.importWh.reduce((sum, wh) => sum + wh, 0)), align: 'end' },
  { key: 'values', header: 'Values', cell: (r) => r.importWh.length, align: 'end' },
];

interface MonthRow {
  month: string;
  billed: number;
  bills: number;
}

export default async function SupplierConsole({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const worlds = await listWorlds();
  const requested = typeof params.worldId === 'string' ? params.worldId : undefined;
  const world = worlds.find((w) => w.id === requested) ?? worlds[0];
  const party = await currentViewAs('supplier');
  const header = (
    <PageHeader
      eyebrow="Energy supplier console"
      title="Supplier"
      description="What the energy supplier holds: one account per meter, one bill statement per home per month — amount and register totals, opened with its own keys — and the tariffs it signs."
      actions={<ViewAs current={party} path="/supplier" />}
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
  const [accounts, bills, tariffs, reads] = await Promise.all([
    partyGet<{ accounts: AccountView[] }>(party, `/api/supplier/accounts${q}`),
    partyGet<{ bills: BillView[] }>(party, `/api/supplier/bills${q}`),
    partyGet<{ tariffs: TariffView[] }>(party, `/api/supplier/tariffs${q}`),
    partyGet<{ reads: ConsentedReadView[] }>(party, `/api/supplier/reads${q}`),
  ]);
  const picker = <WorldPicker worlds={worlds} worldId={world.id} />;
  const refused = [accounts, bills, tariffs, reads].find((result) => !result.ok);
  if (refused && !refused.ok) {
    return (
      <div className="flex flex-col gap-6">
        {header}
        <ConsoleRefusal owner="The supplier’s" switchTo="Energy supplier" whose="Bills and accounts are the supplier’s own" viewedAs={party} refusal={refused} />
      </div>
    );
  }
  const accountRows = accounts.ok ? accounts.data.accounts : [];
  const billRows = bills.ok ? bills.data.bills : [];
  const tariffRows = tariffs.ok ? tariffs.data.tariffs : [];
  const readRows = reads.ok ? reads.data.reads : [];
  const byMonth = new Map<string, MonthRow>();
  for (const bill of billRows) {
    const row = byMonth.get(bill.period) ?? { month: bill.period, billed: 0, bills: 0 };
    row.billed += bill.amountPence / 100;
    row.bills += 1;
    byMonth.set(bill.period, row);
  }
  const months = [...byMonth.values()].sort((a, b) => a.month.localeCompare(b.month));
  const total = billRows.reduce((sum, bill) => sum + bill.amountPence, 0);

  return (
    <div className="flex flex-col gap-6">
      {header}
      {picker}
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Card>
          <Stat label="Accounts" value={accountRows.length} hint={`${accountRows.filter((a) => a.collectArmed).length} with a collect armed`} party="supplier" />
        </Card>
        <Card>
          <Stat label="Bills" value={billRows.length} hint={`${months.length} month(s)`} party="supplier" />
        </Card>
        <Card>
          <Stat label="Total billed" value={pounds(total)} hint="monthly statements only" party="supplier" />
        </Card>
        <Card>
          <Stat label="Tariffs" value={tariffRows.length} hint="signed by the supplier" party="supplier" />
        </Card>
      </div>
      <Card title="Billed per month" description="The sum of the statements the supplier received for each month, in pounds.">
        {months.length === 0 ? (
          <EmptyState title="No bills yet" description="Open the world and run a month: each meter’s billing applet sends its statement when the month closes." />
        ) : (
          <Chart<MonthRow> kind="bar" data={months} xKey="month" xLabel="Month" series={[{ key: 'billed', label: 'Billed (£)', colorVar: '--chart-1' }]} label="Total billed per month, £" unit="£" />
        )}
      </Card>
      <Card title="Tariffs" description="Prices in pence, VAT inclusive. The meter verifies the supplier’s signature before it applies one.">
        <DataTable caption="Tariffs" columns={tariffColumns} rows={tariffRows} getRowKey={(t) => t.tariffId} dense emptyMessage="No tariff yet: the default is published when the first meter enrols." />
      </Card>
      <div className="grid gap-4 lg:grid-cols-5">
        <Card title="Accounts" description="One per meter with the supplier’s security domain, enrolled when the relay announced it; each is on the tariff above." className="lg:col-span-2">
          <div className="max-h-[30rem] overflow-auto">
            <DataTable caption="Supply accounts" columns={accountColumns} rows={accountRows} getRowKey={(a) => a.accountId} dense emptyMessage="No accounts yet: they appear when the world’s meters register with the relay." />
          </div>
        </Card>
        <Card title="Bills" description="Newest first. Amount (standing charge included) and register totals only — no half-hourly reads." className="lg:col-span-3">
          <div className="max-h-[30rem] overflow-auto" data-testid="supplier-console-bills">
            <DataTable caption="Bills the supplier holds" columns={billColumns} rows={[...billRows].reverse()} getRowKey={(b) => `${b.meterId}/${b.period}`} dense emptyMessage="No bills yet." />
          </div>
        </Card>
      </div>
      <Card
        title="Reads householders shared"
        description="Daily totals or half-hourly values, only from homes whose householder chose to share them on the in-home display (or, in a GB-licence world, did not opt out of daily reads). Under the Hydra default this stays empty."
      >
        <div className="max-h-[24rem] overflow-auto" data-testid="supplier-console-reads">
          <DataTable caption="Reads householders shared" columns={readColumns} rows={readRows} getRowKey={(r) => `${r.meterId}/${r.date}`} dense emptyMessage="No shared reads: every home in this world keeps its reads on the meter." />
        </div>
      </Card>
    </div>
  );
}
