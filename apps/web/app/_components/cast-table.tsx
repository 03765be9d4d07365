// The cast of the simulation (DESIGN.md "The cast"): where each party runs, what it holds and the
// most it may ever receive. Static content — the contract the simulation is built to keep.
import { Badge } from '@/components/badge';
import { DataTable, type DataTableColumn } from '@/components/data-table';
import type { Party } from '@/lib/parties';

interface CastRow {
  readonly party: Party;
  readonly runs: string;
  readonly holds: string;
  readonly receives: string;
}

const cast: readonly CastRow[] = [
  {
    party: 'meter',
    runs: 'In the browser (a Web Worker); in Node for headless runs',
    holds: "Every security domain's card-side keys, applet state",
    receives: 'Raw metrology of its own home',
  },
  {
    party: 'householder',
    runs: 'In the browser (in-home display)',
    holds: 'Consent decisions, signed with a householder key',
    receives: 'Everything about their own home',
  },
  {
    party: 'dcc',
    runs: 'Server',
    holds: 'Routing table, party registrations, device certificates',
    receives: 'Metadata only: meter, party, applet, message class, size, time',
  },
  {
    party: 'supplier',
    runs: 'Server',
    holds: 'Its own channel keys and tariff-signing key',
    receives: 'Monthly bill statement; finer reads only while the home allows it',
  },
  {
    party: 'dno',
    runs: 'Server',
    holds: 'Its own channel keys',
    receives: 'Power-quality events, feeder aggregates no single home can be read out of, load-control acks',
  },
  {
    party: 'telecare',
    runs: 'Server, only for homes that consented',
    holds: 'Its own channel keys',
    receives: 'Wellbeing alerts for consenting homes',
  },
];

const columns: readonly DataTableColumn<CastRow>[] = [
  { key: 'party', header: 'Party', rowHeader: true, cell: (row) => <Badge party={row.party} />, className: 'w-36' },
  { key: 'runs', header: 'Runs where', cell: (row) => row.runs, className: 'min-w-48 text-muted-foreground' },
  { key: 'holds', header: 'Holds', cell: (row) => row.holds, className: 'min-w-56' },
  { key: 'receives', header: 'May receive', cell: (row) => row.receives, className: 'min-w-64' },
];

/** Table of the parties, their trust boundaries and what each may receive. */
export function CastTable() {
  return (
    <DataTable
      caption="The parties, where each runs, what it holds and the most it may receive"
      columns={columns}
      rows={cast}
      getRowKey={(row) => row.party}
    />
  );
}
