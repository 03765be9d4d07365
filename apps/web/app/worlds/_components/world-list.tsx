// The worlds in the database, each with its clock and what the supplier and relay hold.
import Link from 'next/link';
import { buttonClasses } from '@/components/button';
import { DataTable, type DataTableColumn } from '@/components/data-table';
import { EmptyState } from '@/components/empty-state';
import type { WorldSummary } from '@/lib/server/worlds';

const columns: DataTableColumn<WorldSummary>[] = [
  {
    key: 'name',
    header: 'World',
    rowHeader: true,
    cell: (w) => (
      <Link className="font-medium text-accent underline-offset-4 hover:underline" href={`/worlds/${w.id}`}>
        {w.name}
      </Link>
    ),
  },
  { key: 'seed', header: 'Seed', cell: (w) => <span className="font-mono text-xs">{w.seed}</span> },
  { key: 'mode', header: 'Mode', cell: (w) => w.mode },
  { key: 'sharing', header: 'Data sharing', cell: (w) => (w.sharingPreset === 'gb-licence' ? 'GB licence' : 'Hydra default') },
  { key: 'homes', header: 'Homes', cell: (w) => w.homeCount, align: 'end' },
  { key: 'clock', header: 'Clock', cell: (w) => w.clockDate },
  { key: 'bills', header: 'Bills (supplier)', cell: (w) => w.bills, align: 'end' },
  { key: 'relay', header: 'Relay messages', cell: (w) => w.relayMessages, align: 'end' },
  {
    key: 'open',
    header: <span className="sr-only">Open</span>,
    cell: (w) => (
      <Link className={buttonClasses({ variant: 'secondary', size: 'sm' })} href={`/worlds/${w.id}`} aria-label={`Open ${w.name}`}>
        Open
      </Link>
    ),
    align: 'end',
  },
];

export function WorldList({ worlds }: { worlds: WorldSummary[] }) {
  if (worlds.length === 0) {
    return <EmptyState title="No worlds yet" description="Run `npm run setup` to create the demo world, or `npm run hydra -- run` to run one headless." />;
  }
  return <DataTable caption="Worlds" columns={columns} rows={worlds} getRowKey={(w) => w.id} />;
}
