// Every simulated world: open one to host its meters in this tab.
import { Card } from '@/components/card';
import { PageHeader } from '@/components/page-header';
import { listWorlds } from '@/lib/server/worlds';
import { CreateWorldForm } from './_components/create-world-form';
import { WorldList } from './_components/world-list';

export const dynamic = 'force-dynamic';

export default async function WorldsPage() {
  const worlds = await listWorlds();
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        eyebrow="Worlds"
        title="Simulated worlds"
        description="A world is a seed and a street of homes. The same seed always gives the same homes, readings and bills; keys are fresh for every meter. Open a world to host its meters in this tab."
      />
      <Card flush>
        <WorldList worlds={worlds} />
      </Card>
      <Card title="New world" description="Same seed, same homes and readings. The data-sharing preset decides what every home’s supplier receives until its householder chooses otherwise on the in-home display.">
        <CreateWorldForm />
      </Card>
    </div>
  );
}
