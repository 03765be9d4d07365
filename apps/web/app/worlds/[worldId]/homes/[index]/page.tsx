// One home: its profile, and its energy use as the householder sees it.
import { createHomeProfile } from '@hydra/meter-sim/home';
import { addDays } from '@hydra/meter-sim/calendar';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { buttonClasses } from '@/components/button';
import { Card } from '@/components/card';
import { PageHeader } from '@/components/page-header';
import { readWorld } from '@/lib/server/worlds';
import { HomeCharts } from './_components/home-charts';
import { InHomeDisplay } from './_components/in-home-display';

export const dynamic = 'force-dynamic';

export default async function HomePage({ params }: { params: Promise<{ worldId: string; index: string }> }) {
  const { worldId, index: indexText } = await params;
  const world = await readWorld(worldId);
  const index = Number(indexText);
  const home = world?.homes.find((h) => h.index === index);
  if (!world || !home || !/^\d+$/.test(indexText)) notFound();
  const profile = createHomeProfile(world.seed, index);
  const lastDay = world.clockDate > world.startDate ? addDays(world.clockDate, -1) : world.startDate;
  const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
  const facts = [
    ['Household', sentence(profile.archetype.replace(/-/g, ' '))],
    ['Occupants', String(profile.occupants)],
    ['Heating', sentence(profile.heating.replace(/-/g, ' '))],
    ['Rooftop PV', profile.pvKwp > 0 ? `${profile.pvKwp} kWp` : 'None'],
    ['Electric vehicle', profile.ev ? `${profile.ev.batteryKwh} kWh battery, ${profile.ev.milesPerDay} miles/day` : 'None'],
    ['Region · feeder', `${sentence(profile.region.replace(/-/g, ' '))} · ${profile.feederId}`],
  ] as const;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        eyebrow={
          <Link className="underline-offset-4 hover:underline" href={`/worlds/${world.id}`}>
            {world.name}
          </Link>
        }
        title={`Home ${index + 1} · meter ${home.meterId}`}
        description="What the householder sees of their own home. The readings are simulated here in your browser from the world's seed; in Hydra mode they never leave the meter — parties get only what their applet sends."
        actions={
          <Link className={buttonClasses({ variant: 'secondary' })} href={`/worlds/${world.id}/homes/${index}/meter`}>
            Open the meter inspector
          </Link>
        }
      />
      <Card title="About this home">
        <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-3">
          {facts.map(([label, value]) => (
            <div key={label}>
              <dt className="text-muted-foreground">{label}</dt>
              <dd className="font-medium">{value}</dd>
            </div>
          ))}
        </dl>
      </Card>
      <InHomeDisplay
        meterId={home.meterId}
        world={{
          worldId: world.id,
          seed: world.seed,
          startDate: world.startDate,
          homeCount: world.homeCount,
          epoch: world.epoch,
          clockDate: world.clockDate,
          hostDate: world.hostDate,
          mode: world.mode === 'conventional' ? 'conventional' : 'hydra',
          sharingPreset: world.sharingPreset,
        }}
      />
      <HomeCharts seed={world.seed} index={index} initialDate={lastDay} />
    </div>
  );
}
