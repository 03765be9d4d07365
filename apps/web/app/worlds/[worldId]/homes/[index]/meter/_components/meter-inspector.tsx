'use client';

// The meter inspector's live part: the registry, the APDU trace, the firewall events and the
// probes of one meter, read from this browser's IndexedDB (the meter lives here) and refreshed
// whenever the world's host — in this tab or another — saves the meter.
import { Card } from '@/components/card';
import { EmptyState } from '@/components/empty-state';
import { ErrorState } from '@/components/error-state';
import { FirewallEvents } from './firewall-events';
import { ProbePanel } from './probe-panel';
import { RegistryPanel, type CatalogEntry } from './registry-panel';
import { TracePanel } from './trace-panel';
import { useMeterRecord } from './use-meter-record';

/** Props for {@link MeterInspector}. */
export interface MeterInspectorProps {
  worldId: string;
  meterId: string;
  catalog: readonly CatalogEntry[];
  /** Published DAP signatures by applet id (hex). */
  signatures: Readonly<Record<string, string>>;
}

export function MeterInspector({ worldId, meterId, catalog, signatures }: MeterInspectorProps) {
  const { record, state } = useMeterRecord(worldId, meterId, signatures);
  if (record.kind === 'loading') return <p className="text-sm text-muted-foreground">Reading meter {meterId} from this browser’s storage…</p>;
  if (record.kind === 'error') return <ErrorState title="The meter’s storage could not be read" description={record.message} />;
  if (record.kind === 'missing') {
    return (
      <EmptyState
        title={`Meter ${meterId} has not been made in this browser yet`}
        description="Meters live in the browser that hosts the world. The host above is starting: it manufactures this street’s meters (fresh keys, the billing applet loaded from the signed catalog) and they appear here as soon as they are saved."
      />
    );
  }
  const { snapshot } = record;
  return (
    <div className="flex flex-col gap-6">
      <Card
        title="Registry"
        description={`What the card manager keeps for meter ${meterId} (metering from ${snapshot.nextDate}). Key version numbers and certificate counts only: no key ever leaves the card’s state, not even to this page’s tables.`}
      >
        <RegistryPanel view={snapshot.view} catalog={catalog} />
      </Card>
      <Card
        title="APDU trace"
        description={`The last ${snapshot.trace.length} exchange${snapshot.trace.length === 1 ? '' : 's'} this meter handled, recorded by the meter itself in this browser (at most 200; never sent anywhere). Use ↑ ↓ Home End in the list.`}
      >
        <TracePanel trace={snapshot.trace} />
      </Card>
      <Card title="Firewall events" description="What the card refused — who tried what, and why — newest first. A refused command changes nothing else on the card.">
        <FirewallEvents events={snapshot.events} refusals={snapshot.refusals} />
      </Card>
      <Card title="Try what the firewall forbids" description="Each probe runs the real meter core and secure element on a copy of this meter’s state, in this page. The live meter, its trace and its log stay as they are.">
        <ProbePanel state={state} trace={snapshot.trace} signatures={signatures} />
      </Card>
    </div>
  );
}
