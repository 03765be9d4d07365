// The meter inspector for one home: the secure element's registry, the live APDU trace (wrapped as
// the relay carried it, plain as the party and card saw it), the firewall's events and probes that
// try what it forbids. The meter lives in this browser, so this page can host the world itself.
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { PageHeader } from '@/components/page-header';
import { readCatalog } from '@/lib/server/catalog';
import { readWorld } from '@/lib/server/worlds';
import { WorldHost } from '../../../_components/world-host';
import { worldHostProps } from '../../../_components/world-host-props';
import { MeterInspector } from './_components/meter-inspector';

export const dynamic = 'force-dynamic';

export default async function MeterInspectorPage({ params }: { params: Promise<{ worldId: string; index: string }> }) {
  const { worldId, index: indexText } = await params;
  const world = await readWorld(worldId);
  const index = Number(indexText);
  const home = world?.homes.find((h) => h.index === index);
  if (!world || !home || !/^\d+$/.test(indexText)) notFound();
  const catalog = await readCatalog();
  const signatures = Object.fromEntries(catalog.applets.flatMap((applet) => (applet.signature ? [[applet.id, applet.signature]] : [])));
  const entries = catalog.applets.map(({ id, fileName, sha256 }) => ({ id, fileName, sha256 }));
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        eyebrow={
          <span className="flex flex-wrap gap-x-2">
            <Link className="underline-offset-4 hover:underline" href={`/worlds/${world.id}`}>
              {world.name}
            </Link>
            <span aria-hidden="true">›</span>
            <Link className="underline-offset-4 hover:underline" href={`/worlds/${world.id}/homes/${index}`}>
              Home {index + 1}
            </Link>
          </span>
        }
        title={`Meter inspector · ${home.meterId}`}
        description="The meter’s secure element as it is in this browser: its security domains, packages and applets; every APDU it exchanged, as the relay carried it and as the party and the card saw it; and what its firewall refused."
      />
      <WorldHost {...worldHostProps(world)} steps={['day', 'month']} />
      <MeterInspector worldId={world.id} meterId={home.meterId} catalog={entries} signatures={signatures} />
    </div>
  );
}
