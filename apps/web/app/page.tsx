// Dashboard: the worlds to open, what the lab is, the architecture at a glance and who it is for.
import { ArchitectureDiagram } from '@/components/architecture-diagram';
import { Card } from '@/components/card';
import { PageHeader } from '@/components/page-header';
import { Stat } from '@/components/stat';
import { UPLINK_CLASSES } from '@hydra/meter-sim/privacy-contract';
import { readCatalog } from '@/lib/server/catalog';
import { services } from '@/lib/server/services';
import { listWorlds } from '@/lib/server/worlds';
import { WorldList } from './worlds/_components/world-list';
import { CastTable } from './_components/cast-table';

export const dynamic = 'force-dynamic';



const audiences = [
  {
    title: 'Policy teams',
    body: 'Put the Hydra architecture side by side with a conventional central data hub on the same homes, and measure what each party could infer — occupancy, wake-up times, away periods — against the ground truth.',
  },
  {
    title: 'Students',
    body: 'Follow any message hop by hop, decode its APDUs and status words, step through the secure-channel handshake byte by byte, and watch the firewall refuse an applet that reaches outside its context.',
  },
  {
    title: 'Product managers',
    body: 'Edit a tariff, run it over hundreds of simulated homes for a year, compare bills, winners and losers and peak demand, then push it to live meters as a signed update.',
  },
] as const;

export default async function DashboardPage() {
  const worlds = await listWorlds();
  const catalog = await readCatalog();
  const { db } = await services();
  const hydraWorlds = worlds.filter((w) => w.mode === 'hydra').map((w) => w.id);
  const [parties, rawReadsFromHydra] = await Promise.all([
    db.client.dccParty.count(),
    db.client.conventionalRead.count({ where: { worldId: { in: hydraWorlds } } }),
  ]);
  // Counted, not typed in: the catalog on disk, the privacy contract, the relay's party registry,
  // and the central store's rows from Hydra-mode worlds (none, by construction).
  const facts = [
    { label: 'Published applets', value: String(catalog.applets.length), hint: `${catalog.applets.filter((a) => a.verified).length} signed by the controlling authority` },
    { label: 'Uplink message classes', value: String(UPLINK_CLASSES.length), hint: 'the privacy contract, each sealed to its party' },
    { label: 'Parties registered', value: String(parties), hint: 'each with its own credential and keys' },
    { label: 'Raw reads from Hydra worlds', value: String(rawReadsFromHydra), hint: 'in the central store — by construction' },
  ];
  return (
    <div className="space-y-10">
      <PageHeader
        eyebrow="Smart-meter privacy and security simulator"
        title="Hydra Meter Lab"
        description={
          <>
            <p>
              Hydra Meter Lab simulates a whole smart-meter ecosystem in your browser. Each home&apos;s meter runs
              isolated applets on a simulated secure element, and each applet talks to its own party — energy
              supplier, network operator, telecare provider — over a channel sealed with that party&apos;s keys.
            </p>
            <p className="mt-3">
              The relay in the middle carries every message but can read only the envelope, so you can check, message
              by message, who sees what.
            </p>
          </>
        }
      />

      <Card title="Worlds" description="Open a world to host its meters in this tab: its billing applets run in SES compartments in a Web Worker and answer the supplier through the relay." flush>
        <WorldList worlds={worlds} />
      </Card>

      <section aria-labelledby="facts-heading">
        <h2 id="facts-heading" className="sr-only">
          At a glance
        </h2>
        <div className="grid grid-cols-2 gap-3 sm:gap-4 lg:grid-cols-4">
          {facts.map((fact) => (
            <Card key={fact.label}>
              <Stat label={fact.label} value={fact.value} hint={fact.hint} />
            </Card>
          ))}
        </div>
      </section>

      <Card
        title="Architecture"
        description="One security architecture end to end: every party has its own sealed channel into its own security domain on the meter."
      >
        {/* Below 760 px the diagram scrolls sideways rather than shrinking its text. */}
        <div className="-mx-1 overflow-x-auto px-1" role="region" aria-label="Architecture diagram" tabIndex={0}>
          <div className="min-w-[760px]">
            <ArchitectureDiagram />
          </div>
        </div>
      </Card>

      <Card
        title="Who holds what"
        description="The trust boundaries the simulation enforces — cryptographically, not just by access control."
        flush
      >
        <CastTable />
      </Card>

      <section aria-labelledby="audiences-heading" className="space-y-4">
        <h2 id="audiences-heading" className="text-lg font-semibold tracking-tight">
          Built for
        </h2>
        <div className="grid gap-4 md:grid-cols-3">
          {audiences.map((audience) => (
            <Card key={audience.title} title={audience.title} headingLevel={3}>
              <p className="text-sm leading-relaxed text-muted-foreground">{audience.body}</p>
            </Card>
          ))}
        </div>
      </section>
    </div>
  );
}
