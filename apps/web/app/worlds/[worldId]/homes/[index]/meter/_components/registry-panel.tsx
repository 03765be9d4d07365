// The secure element's registry as the card keeps it (GP §5.3): the card's life cycle, the issuer
// security domain, each party's supplementary domain, the executable load files and the applet
// instances — read from this meter's state, without a single key.
import type { AppletView, DomainView, LoadFileView, SecureElementView } from '@hydra/meter-sim';
import Link from 'next/link';
import { Badge, type BadgeTone } from '@/components/badge';
import { DataTable, type DataTableColumn } from '@/components/data-table';
import type { Party } from '@/lib/parties';
import { aidName } from './aid-name';

/** One published applet, to link a load file to its catalog entry. */
export interface CatalogEntry {
  id: string;
  fileName: string;
  sha256: string;
}

const PARTIES = new Set<string>(['supplier', 'dno', 'telecare', 'householder']);

function lifecycleTone(lifecycle: string, locked: boolean): BadgeTone {
  if (locked) return 'danger';
  if (lifecycle === 'INSTALLED') return 'warning';
  return 'success';
}

function Lifecycle({ lifecycle, locked, byte }: { lifecycle: string; locked: boolean; byte: string }) {
  return (
    <Badge tone={lifecycleTone(lifecycle, locked)} title={`GP life cycle byte ${byte.toUpperCase()}`}>
      {locked ? `LOCKED (${lifecycle})` : lifecycle} · {byte.toUpperCase()}
    </Badge>
  );
}

function Privileges({ privileges, bytes }: { privileges: readonly string[]; bytes: string }) {
  return (
    <span className="flex flex-wrap items-center gap-1">
      {privileges.length === 0 ? <span className="text-muted-foreground">none</span> : privileges.map((p) => <span key={p} className="rounded border border-border px-1.5 py-px text-[11px]">{p}</span>)}
      <span className="font-mono text-[11px] text-muted-foreground">{bytes.toUpperCase()}</span>
    </span>
  );
}

const Aid = ({ aid }: { aid: string }) => (
  <span className="flex flex-col">
    <span className="font-mono text-xs whitespace-nowrap">{aid.toUpperCase()}</span>
    <span className="text-xs text-muted-foreground">{aidName(aid)}</span>
  </span>
);

const domainColumns: DataTableColumn<DomainView>[] = [
  { key: 'aid', header: 'AID', cell: (d) => <Aid aid={d.aid} />, rowHeader: true },
  { key: 'party', header: 'Owner', cell: (d) => (d.party && PARTIES.has(d.party) ? <Badge party={d.party as Party}>{d.party}</Badge> : <Badge party="meter">issuer (card manager)</Badge>) },
  { key: 'lifecycle', header: 'Life cycle', cell: (d) => <Lifecycle lifecycle={d.lifecycle} locked={d.locked} byte={d.lifecycleByte} /> },
  { key: 'privileges', header: 'Privileges', cell: (d) => <Privileges privileges={d.privileges} bytes={d.privilegeBytes} /> },
  {
    key: 'keys',
    header: 'Keys (versions only)',
    cell: (d) => (
      <span className="flex flex-col text-xs">
        <span>SCP03 key set v{d.scp03KeyVersion}</span>
        <span>
          SCP11 key v{d.scp11KeyVersion} ·{' '}
          {d.certificates > 0 ? (
            `${d.certificates} certificate${d.certificates > 1 ? 's' : ''}`
          ) : d.party === null ? (
            <span className="text-muted-foreground">no certificate (no party opens a channel to it)</span>
          ) : (
            <span className="text-warning">not certified yet (the host registers the meter)</span>
          )}
        </span>
        <span className="text-muted-foreground">{d.hasDapKey ? 'DAP verification key present' : 'no DAP key'}</span>
      </span>
    ),
  },
];

function loadFileColumns(catalog: readonly CatalogEntry[]): DataTableColumn<LoadFileView>[] {
  return [
    { key: 'aid', header: 'AID', cell: (f) => <Aid aid={f.aid} />, rowHeader: true },
    { key: 'applet', header: 'Package', cell: (f) => <span>{f.appletId} {f.version}</span> },
    { key: 'sd', header: 'Security domain', cell: (f) => <span className="text-xs">{aidName(f.sdAid)}</span> },
    {
      key: 'hash',
      header: 'Package hash (SHA-256 of the published source)',
      cell: (f) => {
        const entry = catalog.find((item) => item.id === f.appletId);
        return (
          <span className="flex flex-col gap-1">
            <span className="font-mono text-[11px] break-all">{f.hash}</span>
            <span className="flex flex-wrap gap-1 text-xs">
              {!f.hashMatchesSource && <Badge tone="danger">stored source does not match</Badge>}
              {entry ? (
                <Link href={`/catalog#${entry.id}`} className="text-accent underline-offset-4 hover:underline">
                  {entry.sha256 === f.hash ? `${entry.fileName} in the catalog (same hash)` : `${entry.fileName} in the catalog (catalog now has another version)`}
                </Link>
              ) : (
                <span className="text-muted-foreground">not in the catalog</span>
              )}
            </span>
          </span>
        );
      },
    },
    {
      key: 'dap',
      header: 'DAP',
      cell: (f) =>
        f.dapVerified === true ? (
          <Badge tone="success" title="The published signature verifies over the stored source with the domain's DAP key, checked again in this page">verified</Badge>
        ) : f.dapVerified === false ? (
          <Badge tone="danger">does not verify</Badge>
        ) : (
          <Badge tone="neutral">no published signature</Badge>
        ),
    },
  ];
}

const appletColumns: DataTableColumn<AppletView>[] = [
  { key: 'aid', header: 'AID', cell: (a) => <Aid aid={a.aid} />, rowHeader: true },
  { key: 'applet', header: 'Applet', cell: (a) => <span>{a.appletId} {a.version}</span> },
  { key: 'sd', header: 'Owning domain', cell: (a) => <span className="text-xs">{aidName(a.sdAid)}</span> },
  { key: 'lifecycle', header: 'Life cycle', cell: (a) => <Lifecycle lifecycle={a.lifecycle} locked={a.locked} byte={a.lifecycleByte} /> },
  { key: 'privileges', header: 'Privileges', cell: (a) => <Privileges privileges={a.privileges} bytes={a.privilegeBytes} /> },
  { key: 'outbox', header: 'Outbox', cell: (a) => a.outboxItems, align: 'end' },
];

/** Props for {@link RegistryPanel}. */
export interface RegistryPanelProps {
  view: SecureElementView;
  catalog: readonly CatalogEntry[];
}

export function RegistryPanel({ view, catalog }: RegistryPanelProps) {
  const domains = view.issuer ? [view.issuer, ...view.domains] : view.domains;
  const channels = view.channels.filter((channel) => channel.sdAid !== null);
  return (
    <div className="flex flex-col gap-5">
      <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-3">
        <div>
          <dt className="text-muted-foreground">Card life cycle</dt>
          <dd className="font-medium" data-testid="card-lifecycle">
            {view.cardLifecycle} <span className="font-mono text-xs text-muted-foreground">{view.cardLifecycleByte.toUpperCase()}</span>
          </dd>
        </div>
        <div>
          <dt className="text-muted-foreground">Contents</dt>
          <dd className="font-medium">
            {domains.length} security domains · {view.loadFiles.length} load file{view.loadFiles.length === 1 ? '' : 's'} · {view.applets.length} applet instance{view.applets.length === 1 ? '' : 's'}
          </dd>
        </div>
        <div>
          <dt className="text-muted-foreground">Open secure channels</dt>
          <dd className="font-medium">
            {channels.length === 0
              ? 'none'
              : channels.map((channel) => `${aidName(channel.sdAid ?? '')}${channel.securityLevel !== null ? ` (level ${channel.securityLevel.toString(16)})` : ''}`).join(', ')}
          </dd>
        </div>
      </dl>
      <DataTable caption="Security domains" showCaption columns={domainColumns} rows={domains} getRowKey={(d) => d.aid} dense emptyMessage="No security domains." />
      <DataTable caption="Executable load files" showCaption columns={loadFileColumns(catalog)} rows={view.loadFiles} getRowKey={(f) => f.aid} dense emptyMessage="No load files: nothing has been loaded onto this card." />
      <DataTable caption="Applet instances" showCaption columns={appletColumns} rows={view.applets} getRowKey={(a) => a.aid} dense emptyMessage="No applet instances." />
    </div>
  );
}
