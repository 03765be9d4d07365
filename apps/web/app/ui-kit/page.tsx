// Component gallery: every component of the UI kit in both themes, for developers reviewing the
// look (scripts/screenshots.mjs /ui-kit). Not in the navigation. The numbers are illustrative.
import type { Metadata } from 'next';
import { Badge } from '@/components/badge';
import { Button } from '@/components/button';
import { Card } from '@/components/card';
import { Chart } from '@/components/chart';
import { CodeBlock, formatHex } from '@/components/code-block';
import { DataTable } from '@/components/data-table';
import { EmptyState } from '@/components/empty-state';
import { ErrorState } from '@/components/error-state';
import { PageHeader } from '@/components/page-header';
import { Progress } from '@/components/progress';
import { Stat } from '@/components/stat';
import { parties, type Party } from '@/lib/parties';

export const metadata: Metadata = { title: 'Component gallery', robots: { index: false } };

type MonthRow = { month: string; importKwh: number; exportKwh: number };
const months: MonthRow[] = [
  ['Jan', 301, 18], ['Feb', 268, 39], ['Mar', 252, 74], ['Apr', 211, 104], ['May', 188, 124], ['Jun', 171, 131],
  ['Jul', 166, 127], ['Aug', 172, 112], ['Sep', 191, 86], ['Oct', 229, 55], ['Nov', 268, 26], ['Dec', 306, 14],
].map(([month, importKwh, exportKwh]) => ({ month, importKwh, exportKwh }) as MonthRow);

type HalfHourRow = { time: string; weekday: number; weekend: number };
// An evening-peak daily shape (in the manner of profile class 1), kWh per half hour.
const dayShape = [0.16, 0.14, 0.13, 0.12, 0.12, 0.12, 0.12, 0.12, 0.12, 0.12, 0.13, 0.15, 0.2, 0.26, 0.29, 0.28, 0.25,
  0.22, 0.2, 0.19, 0.19, 0.19, 0.2, 0.21, 0.22, 0.21, 0.2, 0.2, 0.21, 0.23, 0.26, 0.31, 0.37, 0.42, 0.45, 0.46, 0.44,
  0.41, 0.38, 0.35, 0.33, 0.31, 0.29, 0.27, 0.25, 0.23, 0.2, 0.18];
const halfHours: HalfHourRow[] = dayShape.map((kwh, index) => ({
  time: `${String(Math.floor(index / 2)).padStart(2, '0')}:${index % 2 === 0 ? '00' : '30'}`,
  weekday: kwh,
  weekend: Math.round((kwh * (index >= 14 && index <= 28 ? 1.25 : 0.95)) * 100) / 100,
}));

type TrafficRow = { day: string; supplier: number; dno: number; telecare: number };
const traffic: TrafficRow[] = [
  ['Mon', 96, 240, 48], ['Tue', 96, 244, 48], ['Wed', 98, 239, 49], ['Thu', 96, 251, 48],
  ['Fri', 97, 246, 48], ['Sat', 96, 238, 48], ['Sun', 96, 241, 48],
].map(([day, supplier, dno, telecare]) => ({ day, supplier, dno, telecare }) as TrafficRow);

type AlertRow = { time: string; kind: string };

const selectApdu = new Uint8Array([0x00, 0xa4, 0x04, 0x00, 0x09, 0xa0, 0x00, 0x00, 0x01, 0x51, 0x00, 0x00, 0x00, 0x01, 0x00]);

export default function UiKitPage() {
  return (
    <div className="space-y-10">
      <PageHeader
        eyebrow="For developers"
        title="Component gallery"
        description="Every component of the UI kit, for checking both themes by eye. The numbers on this page are illustrative, not simulation output."
      />

      <Card title="Buttons and badges">
        <div className="space-y-4">
          <div className="flex flex-wrap items-center gap-2">
            <Button variant="primary">Run a year</Button>
            <Button>Advance a day</Button>
            <Button variant="ghost">Cancel</Button>
            <Button variant="danger">Delete applet</Button>
            <Button size="sm">Small</Button>
            <Button disabled>Disabled</Button>
          </div>
          <div className="flex flex-wrap items-center gap-2">
            {(Object.keys(parties) as Party[]).map((party) => (
              <Badge key={party} party={party} />
            ))}
            <Badge tone="success">9000 OK</Badge>
            <Badge tone="warning">Queued</Badge>
            <Badge tone="danger">6982 refused</Badge>
            <Badge tone="accent">Hydra mode</Badge>
            <Badge>Conventional</Badge>
          </div>
        </div>
      </Card>

      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Card>
          <Stat label="Homes" value="240" hint="seed 20261125" />
        </Card>
        <Card>
          <Stat label="Annual import" value="2,723" unit="kWh" party="householder" />
        </Card>
        <Card>
          <Stat label="Bill statements" value="2,880" party="supplier" hint="12 per home" />
        </Card>
        <Card>
          <Stat label="Envelopes seen by the DCC" value="41,760" party="dcc" />
        </Card>
      </div>

      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Bar chart" description="Monthly import and export for one home.">
          <Chart
            kind="bar"
            data={months}
            xKey="month"
            xLabel="Month"
            label="Monthly import and export, kWh"
            unit="kWh"
            decimals={0}
            series={[
              { key: 'importKwh', label: 'Import', colorVar: '--chart-2' },
              { key: 'exportKwh', label: 'Export', colorVar: '--chart-5' },
            ]}
          />
        </Card>
        <Card title="Line chart" description="A day's consumption, half-hourly.">
          <Chart
            kind="line"
            data={halfHours}
            xKey="time"
            xLabel="Half hour starting"
            label="Consumption per half hour on a weekday and a weekend day, kWh"
            unit="kWh"
            series={[
              { key: 'weekday', label: 'Weekday', colorVar: '--chart-1' },
              { key: 'weekend', label: 'Weekend', colorVar: '--chart-6' },
            ]}
          />
        </Card>
      </div>

      <Card title="Stacked area chart" description="Sealed envelopes relayed per day, by party.">
        <Chart
          kind="area"
          stacked
          data={traffic}
          xKey="day"
          xLabel="Day"
          label="Sealed envelopes relayed per day by party"
          decimals={0}
          height={220}
          series={[
            { key: 'supplier', label: 'Supplier', colorVar: '--chart-1' },
            { key: 'dno', label: 'DNO', colorVar: '--chart-2' },
            { key: 'telecare', label: 'Telecare', colorVar: '--chart-3' },
          ]}
        />
      </Card>

      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Progress">
          <div className="space-y-5">
            <Progress label="Simulating 2026" value={120} max={365} valueText="Day 120 of 365" />
            <Progress label="Opening channels" value={3} max={3} colorVar="--chart-5" valueText="3 of 3 parties" />
            <Progress label="Waiting for the meter host" value={null} />
          </div>
        </Card>
        <Card title="Code block">
          <CodeBlock label="SELECT command APDU" meta={`${selectApdu.length} bytes`} code={formatHex(selectApdu)} />
        </Card>
      </div>

      <Card title="Data table" flush>
        <DataTable
          caption="Applets installed on meter 0007"
          columns={[
            { key: 'applet', header: 'Applet', rowHeader: true, cell: (row) => row.applet },
            { key: 'owner', header: 'Owner', cell: (row) => <Badge party={row.owner} /> },
            { key: 'state', header: 'State', cell: (row) => row.state },
            { key: 'bytes', header: 'Storage', align: 'end', cell: (row) => `${row.bytes.toLocaleString('en-GB')} B` },
          ]}
          rows={[
            { applet: 'billing', owner: 'supplier' as Party, state: 'SELECTABLE', bytes: 2048 },
            { applet: 'power-quality', owner: 'dno' as Party, state: 'SELECTABLE', bytes: 512 },
            { applet: 'telecare', owner: 'telecare' as Party, state: 'LOCKED', bytes: 1024 },
          ]}
          getRowKey={(row) => row.applet}
        />
      </Card>

      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Empty table" flush>
          <DataTable
            caption="Wellbeing alerts"
            columns={[
              { key: 'time', header: 'Time', cell: (row: AlertRow) => row.time },
              { key: 'kind', header: 'Alert', cell: (row: AlertRow) => row.kind },
            ]}
            rows={[]}
            getRowKey={(row) => row.time}
            emptyMessage="No alerts: no consenting home has missed its usual activity."
          />
        </Card>
        <EmptyState
          title="No worlds yet"
          description="A world is a seeded set of homes with their meters and parties. Create one to start."
          action={<Button variant="primary">Create a world</Button>}
        />
      </div>

      <ErrorState
        title="The relay refused this envelope"
        description="The message id was already used with different bytes, which is treated as a replay. Send a fresh message instead."
        detail="DCC_REPLAY · 6982"
        action={<Button>Show the envelope</Button>}
      />
    </div>
  );
}
