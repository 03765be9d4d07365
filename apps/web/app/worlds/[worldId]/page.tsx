// One world: its meters run in this tab's worker; the panels show what each party holds.
import type { MetadataRecord } from '@hydra/dcc';
import type { BillView } from '@hydra/suppliers';
import { notFound } from 'next/navigation';
import { PageHeader } from '@/components/page-header';
import { ErrorState } from '@/components/error-state';
import { partyGet } from '@/lib/server/view-as';
import { readWorld } from '@/lib/server/worlds';
import { WorldHost } from './_components/world-host';
import { worldHostProps } from './_components/world-host-props';
import { WorldPanels } from './_components/world-panels';

export const dynamic = 'force-dynamic';

export default async function WorldPage({ params }: { params: Promise<{ worldId: string }> }) {
  const { worldId } = await params;
  const world = await readWorld(worldId);
  if (!world) notFound();
  // Each panel comes from that party's own API under that party's credential (DESIGN.md
  // Decision 14): the supplier's bills from the supplier, the relay's log from the DCC.
  const [billsResult, logResult] = await Promise.all([
    partyGet<{ bills: BillView[] }>('supplier', `/api/supplier/bills?worldId=${encodeURIComponent(worldId)}`),
    partyGet<{ records: MetadataRecord[]; stats: { messages: number; bytes: number; queued: number; dead: number; refused: number } }>('dcc', `/api/dcc/log?worldId=${encodeURIComponent(worldId)}`),
  ]);
  const failed = !billsResult.ok ? billsResult : !logResult.ok ? logResult : null;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        eyebrow={`World ${world.id} · ${world.mode} mode · data sharing: ${world.sharingPreset === 'gb-licence' ? 'GB licence defaults' : 'Hydra default'}`}
        title={world.name}
        description={`World clock: ${world.clockDate} (Europe/London). ${world.homes.length} homes; each meter’s applets — billing, power quality, load control, feeder aggregation and insights — run in their own SES compartments in this tab, and what each party may receive travels sealed through the relay. ${world.sharingPreset === 'gb-licence' ? 'GB licence defaults: every home shares daily totals with its supplier unless its householder opts out.' : 'Hydra default: each supplier receives the monthly bill only, unless a householder chooses to share more.'}`}
      />
      <WorldHost {...worldHostProps(world)} />
      {failed || !billsResult.ok || !logResult.ok ? (
        <ErrorState title="A party's API did not answer" description={failed ? `${failed.code}: ${failed.message}` : 'unknown error'} />
      ) : (
        <WorldPanels world={world} bills={billsResult.data.bills} log={logResult.data.records.slice(0, 100)} relayStats={logResult.data.stats} />
      )}
    </div>
  );
}
