// One world: its meters run in this tab's worker; the panels show what each party holds.
import { listBills } from '@hydra/suppliers';
import { notFound } from 'next/navigation';
import { PageHeader } from '@/components/page-header';
import { services } from '@/lib/server/services';
import { readWorld } from '@/lib/server/worlds';
import { WorldHost } from './_components/world-host';
import { WorldPanels } from './_components/world-panels';

export const dynamic = 'force-dynamic';

export default async function WorldPage({ params }: { params: Promise<{ worldId: string }> }) {
  const { worldId } = await params;
  const world = await readWorld(worldId);
  if (!world) notFound();
  const { relay, supplier } = await services();
  const [bills, log, relayStats] = await Promise.all([listBills({ context: supplier, worldId }), relay.metadataLog(worldId, 100), relay.stats(worldId)]);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        eyebrow={`World ${world.id} · ${world.mode} mode`}
        title={world.name}
        description={`World clock: ${world.clockDate} (Europe/London). ${world.homes.length} homes; each meter’s billing applet runs in its own SES compartment in this tab, and its statement travels sealed through the relay to the supplier.`}
      />
      <WorldHost
        worldId={world.id}
        seed={world.seed}
        startDate={world.startDate}
        homeCount={world.homeCount}
        epoch={world.epoch}
        clockDate={world.clockDate}
        hostDate={world.hostDate}
        mode={world.mode === 'conventional' ? 'conventional' : 'hydra'}
      />
      <WorldPanels world={world} bills={bills} log={log} relayStats={relayStats} />
    </div>
  );
}
