'use client';

// Steps through one SCP11b handshake, byte by byte, run live in this browser with throwaway keys.
// "Run again" makes a new handshake: every value changes, and every check still holds.
import { useEffect, useState } from 'react';
import { Badge } from '@/components/badge';
import { Button } from '@/components/button';
import { Card } from '@/components/card';
import { CodeBlock } from '@/components/code-block';
import { TLV_TAG_NAMES as TAG_NAMES } from '@/lib/tlv-tags';
import { runWalkthrough, type TlvNode, type WalkStep } from './walkthrough';

function TlvTree({ nodes }: { nodes: TlvNode[] }) {
  return (
    <ul className="ml-4 list-none space-y-1 border-l border-border pl-3 font-mono text-xs">
      {nodes.map((node, i) => (
        <li key={`${node.tag}-${i}`}>
          <span className="font-semibold text-accent">{node.tag}</span>{' '}
          {TAG_NAMES[node.tag] && <span className="font-sans text-foreground">{TAG_NAMES[node.tag]}</span>} <span className="text-muted-foreground">len {node.length}</span>
          {node.children.length > 0 ? <TlvTree nodes={node.children} /> : <span className="ml-2 break-all">{node.value}</span>}
        </li>
      ))}
    </ul>
  );
}

const whoBadge = { host: { party: 'supplier', text: 'host (party backend)' }, card: { party: 'meter', text: 'card (security domain)' }, both: { party: 'dcc', text: 'both ends' } } as const;

export function HandshakeWalkthrough() {
  const [steps, setSteps] = useState<WalkStep[] | null>(null);
  const [current, setCurrent] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const run = () => {
    try {
      setSteps(runWalkthrough((n) => crypto.getRandomValues(new Uint8Array(n))));
      setCurrent(0);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  useEffect(run, []);

  if (error) return <p className="text-danger">The handshake failed: {error}</p>;
  if (!steps) return <p className="text-muted-foreground">Running the handshake…</p>;
  const step = steps[current];
  if (!step) return null;
  return (
    <div className="grid gap-4 lg:grid-cols-[18rem_1fr]">
      <nav aria-label="Handshake steps">
        <ol className="flex flex-col gap-1">
          {steps.map((s, i) => (
            <li key={s.id}>
              <button
                type="button"
                onClick={() => setCurrent(i)}
                aria-current={i === current ? 'step' : undefined}
                className={`w-full rounded-md px-3 py-2 text-left text-sm focus-visible:outline-2 focus-visible:outline-accent ${i === current ? 'bg-accent text-accent-foreground' : 'hover:bg-muted'}`}
              >
                {s.title}
              </button>
            </li>
          ))}
        </ol>
        <div className="mt-3 flex gap-2">
          <Button variant="secondary" size="sm" onClick={run}>
            Run again with new keys
          </Button>
        </div>
      </nav>
      <Card
        title={step.title}
        description={step.explanation}
        actions={<Badge party={whoBadge[step.who].party}>{whoBadge[step.who].text}</Badge>}
      >
        <div className="flex flex-col gap-4">
          {step.bytes && <CodeBlock label={`Bytes (${step.bytes.length / 2})`} code={step.bytes.toUpperCase().replace(/(..)/g, '$1 ').trim()} wrap meta={step.status} />}
          {step.tlv && (
            <div>
              <h3 className="mb-2 text-sm font-medium">Decoded (BER-TLV)</h3>
              <TlvTree nodes={step.tlv} />
            </div>
          )}
          {step.fields && (
            <dl className="grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[14rem_1fr]">
              {step.fields.map((f) => (
                <div key={f.label} className="contents">
                  <dt className="text-muted-foreground">{f.label}</dt>
                  <dd className="break-all font-mono text-xs">
                    {f.value}
                    {f.note && <span className="ml-2 font-sans text-muted-foreground">— {f.note}</span>}
                  </dd>
                </div>
              ))}
            </dl>
          )}
          <div className="flex justify-between">
            <Button variant="secondary" size="sm" disabled={current === 0} onClick={() => setCurrent(current - 1)}>
              ← Previous step
            </Button>
            <Button variant="primary" size="sm" disabled={current === steps.length - 1} onClick={() => setCurrent(current + 1)}>
              Next step →
            </Button>
          </div>
        </div>
      </Card>
    </div>
  );
}
