// The applet catalog: every applet a meter can run, its published source, the SHA-256 of exactly
// those bytes and the controlling authority's signature over it — so anyone can check what runs.
import { Badge } from '@/components/badge';
import { Card } from '@/components/card';
import { CodeBlock } from '@/components/code-block';
import { EmptyState } from '@/components/empty-state';
import { PageHeader } from '@/components/page-header';
import { readCatalog } from '@/lib/server/catalog';

export const dynamic = 'force-dynamic';

const owners = { supplier: 'supplier', dno: 'dno', telecare: 'telecare', householder: 'householder' } as const;

export default async function CatalogPage() {
  const catalog = await readCatalog();
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        eyebrow="Applet catalog"
        title="What runs on every meter"
        description="Each applet is one published JavaScript file. Its package hash is the SHA-256 of exactly these bytes; the controlling authority signs that hash, and the meter verifies the signature before loading the file into its own SES compartment."
      />
      <Card title="Controlling authority" description="The public key every meter is personalised with to verify packages (DAP, ECDSA P-256).">
        {catalog.publisherPublicKey ? (
          <CodeBlock label="Publisher public key" code={catalog.publisherPublicKey} wrap />
        ) : (
          <EmptyState title="Not signed yet" description="Run `npm run setup`: it signs every applet into .hydra/catalog.json." />
        )}
      </Card>
      {catalog.applets.map((applet) => (
        <Card
          key={applet.id}
          id={applet.id}
          className="scroll-mt-6"
          title={
            <span className="flex flex-wrap items-center gap-2">
              <span className="font-mono">{applet.fileName}</span>
              {applet.manifest && <Badge party={owners[applet.manifest.owner]}>{applet.manifest.owner}</Badge>}
              {applet.verified ? <Badge tone="success">signature verifies</Badge> : <Badge tone="danger">not signed for these bytes</Badge>}
            </span>
          }
          description={applet.manifest?.description ?? 'No manifest in the signed catalog.'}
        >
          <dl className="mb-4 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]">
            <dt className="text-muted-foreground">Version</dt>
            <dd>{applet.manifest?.version ?? '—'}</dd>
            <dt className="text-muted-foreground">Capabilities</dt>
            <dd>{applet.manifest?.capabilities.join(', ') || '—'}</dd>
            <dt className="text-muted-foreground">May send</dt>
            <dd>{applet.manifest ? applet.manifest.sends.join(', ') || 'nothing leaves the meter' : '—'}</dd>
            <dt className="text-muted-foreground">SHA-256</dt>
            <dd className="break-all font-mono text-xs">{applet.sha256}</dd>
            <dt className="text-muted-foreground">Signature</dt>
            <dd className="break-all font-mono text-xs">{applet.signature ?? '—'}</dd>
          </dl>
          <details>
            <summary className="cursor-pointer text-sm font-medium text-accent">Published source ({applet.source.length.toLocaleString('en-GB')} characters)</summary>
            <div className="mt-3">
              <CodeBlock label={`Source of ${applet.fileName}`} hideLabel code={applet.source} maxHeight="32rem" />
            </div>
          </details>
        </Card>
      ))}
    </div>
  );
}
