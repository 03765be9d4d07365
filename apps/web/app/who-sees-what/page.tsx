// Who sees what: parties × data items for a Hydra world and its conventional twin (same seed),
// each cell what is actually in that party's store — the empty cells are the point — and what a
// party could infer about the household from what it holds, against the ground truth.
import Link from 'next/link';
import { Badge } from '@/components/badge';
import { Card } from '@/components/card';
import { EmptyState } from '@/components/empty-state';
import { PageHeader } from '@/components/page-header';
import { Stat } from '@/components/stat';
import { whoSeesWhat, type Holding, type WhoSeesWhat } from '@/lib/server/who-sees-what';
import { listWorlds } from '@/lib/server/worlds';

export const dynamic = 'force-dynamic';

const PARTIES = [
  { key: 'dcc', label: 'DCC (relay)', party: 'dcc' },
  { key: 'supplier', label: 'Supplier', party: 'supplier' },
  { key: 'dno', label: 'DNO', party: 'dno' },
  { key: 'telecare', label: 'Telecare', party: 'telecare' },
] as const;

function Cell({ holding }: { holding: Holding | null }) {
  if (!holding) return <span className="text-muted-foreground">—</span>;
  return <span className="font-medium">{holding.what}</span>;
}

function Matrix({ view }: { view: WhoSeesWhat }) {
  return (
    <Card
      title={
        <span className="flex flex-wrap items-center gap-2">
          <Link className="underline-offset-4 hover:underline" href={`/worlds/${view.worldId}`}>
            {view.name}
          </Link>
          <Badge tone={view.mode === 'conventional' ? 'warning' : 'success'}>{view.mode} mode</Badge>
        </span>
      }
      description={`World clock ${view.clockDate}. Each cell is what that party's own store holds now.`}
      flush
    >
      <div className="overflow-x-auto">
        <table className="w-full text-sm">
          <caption className="sr-only">What each party holds in {view.name}</caption>
          <thead>
            <tr className="border-b border-border text-left text-xs uppercase tracking-wide text-muted-foreground">
              <th scope="col" className="px-4 py-2">
                Data
              </th>
              {PARTIES.map((p) => (
                <th key={p.key} scope="col" className="px-4 py-2">
                  <Badge party={p.party}>{p.label}</Badge>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {view.rows.map((row) => (
              <tr key={row.item} className="border-b border-border last:border-0">
                <th scope="row" className="px-4 py-2 text-left font-normal text-muted-foreground">
                  {row.item}
                </th>
                {PARTIES.map((p) => (
                  <td key={p.key} className="px-4 py-2 align-top">
                    <Cell holding={row[p.key]} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

function Inference({ view }: { view: WhoSeesWhat }) {
  if (!view.inference) {
    const shared = view.rows.find((row) => row.item === 'Half-hourly reads')?.supplier;
    return (
      <Card title={`What a party could infer — ${view.name}`}>
        <p className="text-sm text-muted-foreground">
          {shared
            ? `Only the homes whose householder chose to share half-hourly reads gave them to their supplier (${shared.what}); for those homes the supplier could run an occupancy detector. Every other home's reads stay on its meter.`
            : "No party holds this world's half-hourly reads, so none can run an occupancy detector on them. The supplier's monthly totals say nothing about when anyone is at home, asleep or away."}
        </p>
      </Card>
    );
  }
  const s = view.inference;
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  return (
    <Card
      title={`What any party could infer — ${view.name}`}
      description={`A simple detector run on the central store's half-hourly reads (${s.homes} homes, ${s.days} home-days), scored against the simulation's ground truth. Published methods do better: this is a lower bound.`}
    >
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat label="“Awake at home” half hours right" value={pct(s.accuracy)} hint={`guessing scores ${pct(s.baseline)}`} />
        <Stat label="Wake-up time within 30 min" value={pct(s.wakeWithin30)} hint={`${s.daysWithWake} days with a wake-up`} />
        <Stat label="Mean wake-up error" value={s.wakeErrorMinutes === null ? '—' : Math.round(s.wakeErrorMinutes)} unit="min" />
        <Stat label="Half hours examined" value={s.halfHours.toLocaleString('en-GB')} />
      </div>
    </Card>
  );
}

export default async function WhoSeesWhatPage({ searchParams }: { searchParams: Promise<{ world?: string }> }) {
  const { world: selected } = await searchParams;
  const worlds = await listWorlds();
  const primary = worlds.find((w) => w.id === selected) ?? worlds.find((w) => w.id === 'demo') ?? worlds[0];
  if (!primary) {
    return <EmptyState title="No worlds yet" description="Run `npm run setup` to create the demo world and its conventional twin." />;
  }
  const twins = worlds.filter((w) => w.seed === primary.seed && w.id !== primary.id);
  const views = (await Promise.all([primary, ...twins].map((w) => whoSeesWhat(w.id)))).filter((v): v is WhoSeesWhat => v !== null);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        eyebrow="Privacy separation"
        title="Who sees what"
        description="The same homes and the same seed, run two ways: Hydra, where each applet sends its party only what it needs, and the conventional design, where raw half-hourly reads go to a central store every party can query."
      />
      <nav aria-label="Worlds" className="flex flex-wrap gap-2 text-sm">
        {worlds.map((w) => (
          <Link
            key={w.id}
            href={`/who-sees-what?world=${w.id}`}
            aria-current={w.id === primary.id ? 'page' : undefined}
            className={`rounded-md border px-3 py-1.5 ${w.id === primary.id ? 'border-accent bg-accent text-accent-foreground' : 'border-border hover:bg-muted'}`}
          >
            {w.name}
          </Link>
        ))}
      </nav>
      {views.map((view) => (
        <div key={view.worldId} className="flex flex-col gap-4">
          <Matrix view={view} />
          <Inference view={view} />
        </div>
      ))}
    </div>
  );
}
