'use client';

// The meter's live APDU trace in Wireshark's three panes: the exchanges (time, party, class,
// instruction, status word); the selected one decoded as a tree — routing header, APDU header,
// data, status word; and its raw bytes with the selected field highlighted. Each is shown twice:
// as the relay carried it (wrapped) and as the party and the card saw it (plain).
import { hexToBytes, type RoutingHeader } from '@hydra/globalplatform';
import { londonDateOf } from '@hydra/meter-sim/calendar';
import type { TracedExchange } from '@hydra/meter-sim';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Badge } from '@/components/badge';
import { EmptyState } from '@/components/empty-state';
import { decodeCommand, decodeResponse, insName, type ApduField } from '@/lib/apdu-decode';
import { cn } from '@/lib/class-names';
import type { Party } from '@/lib/parties';
import { FieldTree, type TreeNode } from './field-tree';
import { HexView } from './hex-view';

type Side = 'wrapped' | 'plain';

const PARTIES = new Set<string>(['supplier', 'dno', 'telecare', 'householder']);
const partyOf = (id: string): Party | undefined => (PARTIES.has(id) ? (id as Party) : undefined);

function bytesOf(hex: string | null): Uint8Array | null {
  if (hex === null) return null;
  try {
    return hexToBytes(hex);
  } catch {
    return null;
  }
}

/** The list row's facts: instruction from the plain command (else the wrapped header) and the status word. */
function summary(exchange: TracedExchange): { ins: string; sw: string; swTone: 'success' | 'warning' | 'danger'; secured: boolean } {
  const source = exchange.plain.command ?? exchange.wrapped.command;
  const cla = Number.parseInt(source.slice(0, 2), 16);
  const ins = Number.parseInt(source.slice(2, 4), 16);
  const sw = exchange.wrapped.response.slice(-4).toUpperCase();
  const swTone = sw === '9000' ? 'success' : sw.startsWith('62') || sw.startsWith('63') ? 'warning' : 'danger';
  const secured = (Number.parseInt(exchange.wrapped.command.slice(0, 2), 16) & 0x0c) === 0x04;
  return { ins: Number.isNaN(ins) ? '?' : insName(cla, ins), sw, swTone, secured };
}

function toTree(field: ApduField, part: 'command' | 'response'): TreeNode {
  return {
    id: field.id,
    label: field.label,
    value: field.value,
    meaning: field.meaning,
    tone: field.tone,
    range: { part, start: field.start, end: field.end },
    children: field.children.map((child) => toTree(child, part)),
  };
}

function envelope(id: string, header: RoutingHeader): TreeNode {
  const arrow = header.direction === 'downlink' ? '↓ downlink' : '↑ uplink';
  const rows: [string, string, string?][] = [
    ['message id', header.messageId],
    ['world', header.worldId],
    ['meter', header.meterId],
    ['party', header.partyId],
    ['applet', header.appletId],
    ['message class', header.messageClass],
    ['direction', header.direction],
  ];
  if (header.correlationId) rows.push(['answers', header.correlationId, 'the command this response answers']);
  return {
    id,
    label: 'Envelope',
    value: `${arrow} · ${header.messageClass}`,
    meaning: 'routing header: all the relay may read',
    children: rows.map(([label, value, meaning], i) => ({ id: `${id}.${i}`, label, value, meaning, children: [] })),
  };
}

interface SideView {
  nodes: TreeNode[];
  command: Uint8Array | null;
  response: Uint8Array;
  note: string | null;
}

function sideView(exchange: TracedExchange, side: Side): SideView {
  const wrappedCommand = bytesOf(exchange.wrapped.command) ?? new Uint8Array(0);
  const wrappedResponse = bytesOf(exchange.wrapped.response) ?? new Uint8Array(0);
  const commandSecured = ((wrappedCommand[0] ?? 0) & 0x0c) === 0x04;
  const nodes: TreeNode[] = [envelope('env.c', exchange.command)];
  let command: Uint8Array | null;
  let response: Uint8Array;
  let note: string | null = null;
  if (side === 'wrapped') {
    command = wrappedCommand;
    response = wrappedResponse;
    nodes.push(toTree(decodeCommand(command, 'wrapped', 'c').root, 'command'));
  } else {
    command = bytesOf(exchange.plain.command);
    response = bytesOf(exchange.plain.response) ?? new Uint8Array(0);
    if (command) {
      nodes.push(toTree(decodeCommand(command, 'plain', 'c').root, 'command'));
    } else {
      note = exchange.refusal
        ? `Refused by the meter core before the card: ${exchange.refusal}.`
        : 'The card could not unwrap this command (its C-MAC does not fit the channel’s MAC chain, or no session is open), so it never existed here in plain.';
      nodes.push({ id: 'c', label: 'Command APDU', value: 'never read in plain', meaning: note, tone: 'danger', children: [] });
    }
    if (exchange.withheld) note = `Withheld from the trace: ${exchange.withheld}.`;
  }
  if (exchange.response) nodes.push(envelope('env.r', exchange.response));
  const responseSecured = side === 'wrapped' && commandSecured && exchange.plain.command !== null && response.length >= 10;
  nodes.push(toTree(decodeResponse(response, side, responseSecured, 'r').root, 'response'));
  return { nodes, command, response, note };
}

function findNode(nodes: TreeNode[], id: string | null): TreeNode | undefined {
  if (id === null) return undefined;
  for (const node of nodes) {
    if (node.id === id) return node;
    const inner = findNode(node.children, id);
    if (inner) return inner;
  }
  return undefined;
}

function SidePane({ title, description, view, selectedId, onSelect, testId }: { title: string; description: string; view: SideView; selectedId: string | null; onSelect: (id: string) => void; testId: string }) {
  const range = findNode(view.nodes, selectedId)?.range;
  return (
    <section aria-label={title} data-testid={testId} className="flex min-w-0 flex-col gap-3 rounded-lg border border-border p-3">
      <div>
        <h3 className="text-sm font-semibold">{title}</h3>
        <p className="text-xs text-muted-foreground">{description}</p>
      </div>
      {view.note && <p className="rounded-md bg-muted px-2 py-1 text-xs text-muted-foreground">{view.note}</p>}
      <div className="max-h-96 overflow-auto rounded-md border border-border p-2">
        <FieldTree label={`${title}: decoded`} nodes={view.nodes} selectedId={selectedId} onSelect={onSelect} />
      </div>
      {view.command && <HexView label={`${title}: command bytes`} bytes={view.command} highlight={range?.part === 'command' ? range : null} />}
      <HexView label={`${title}: response bytes`} bytes={view.response} highlight={range?.part === 'response' ? range : null} />
    </section>
  );
}

/** Props for {@link TracePanel}. */
export interface TracePanelProps {
  /** The meter's exchanges, oldest first. */
  trace: readonly TracedExchange[];
}

export function TracePanel({ trace }: TracePanelProps) {
  const [selectedSeq, setSelectedSeq] = useState<number | null>(null);
  const [fieldId, setFieldId] = useState<string | null>('c.h.cla');
  const list = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const newest = trace.at(-1)?.seq ?? null;
  const selected = trace.find((exchange) => exchange.seq === selectedSeq) ?? trace.at(-1) ?? null;
  const seq = selected?.seq ?? null;

  // Follow new exchanges while the list is scrolled to its end (as a capture does).
  useEffect(() => {
    const element = list.current;
    if (element && atBottom.current) element.scrollTop = element.scrollHeight;
  }, [newest]);
  useEffect(() => {
    if (seq !== null) document.getElementById(`exchange-${seq}`)?.scrollIntoView({ block: 'nearest' });
  }, [seq]);

  const views = useMemo(() => (selected ? { wrapped: sideView(selected, 'wrapped'), plain: sideView(selected, 'plain') } : null), [selected]);

  if (trace.length === 0) {
    return (
      <EmptyState
        headingLevel={3}
        title="No exchanges recorded yet"
        description="The trace grows as parties talk to this meter: run the world (a day is enough) and the supplier’s SCP11b set-up and its collect command appear here."
      />
    );
  }

  const index = trace.findIndex((exchange) => exchange.seq === seq);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const targets: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: trace.length - 1, PageDown: index + 10, PageUp: index - 10 };
    const target = targets[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = trace[Math.max(0, Math.min(trace.length - 1, target))];
    if (next) setSelectedSeq(next.seq);
  };

  return (
    <div className="flex flex-col gap-4">
      <div className="overflow-hidden rounded-lg border border-border">
        <div aria-hidden="true" className="grid grid-cols-[3rem_6rem_5.5rem_6.5rem_minmax(8rem,1fr)_minmax(9rem,1.3fr)_4rem] gap-2 border-b border-border bg-muted px-3 py-1.5 text-xs font-medium text-muted-foreground">
          <span>No.</span>
          <span>World date</span>
          <span>Host time</span>
          <span>Party</span>
          <span>Class</span>
          <span>Instruction</span>
          <span className="text-right">SW</span>
        </div>
        <div
          ref={list}
          role="listbox"
          aria-label="APDU exchanges"
          tabIndex={0}
          aria-activedescendant={seq !== null ? `exchange-${seq}` : undefined}
          onKeyDown={onKeyDown}
          onScroll={(event) => {
            const element = event.currentTarget;
            atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 8;
          }}
          className="max-h-72 overflow-auto font-mono text-xs outline-none focus-visible:ring-2 focus-visible:ring-ring"
        >
          {trace.map((exchange) => {
            const facts = summary(exchange);
            const isSelected = exchange.seq === seq;
            return (
              <div
                key={exchange.seq}
                id={`exchange-${exchange.seq}`}
                role="option"
                aria-selected={isSelected}
                onClick={() => setSelectedSeq(exchange.seq)}
                className={cn(
                  'grid cursor-default grid-cols-[3rem_6rem_5.5rem_6.5rem_minmax(8rem,1fr)_minmax(9rem,1.3fr)_4rem] items-center gap-2 border-b border-border/60 px-3 py-1 last:border-b-0',
                  isSelected ? 'bg-accent text-accent-foreground' : 'hover:bg-muted',
                )}
              >
                <span className="tabular-nums">{exchange.seq}</span>
                <span>{londonDateOf(exchange.at)}</span>
                <span>{exchange.recordedAt === null ? '—' : new Date(exchange.recordedAt).toLocaleTimeString('en-GB')}</span>
                <span className="font-sans">{partyOf(exchange.command.partyId) ? <Badge party={partyOf(exchange.command.partyId)}>{exchange.command.partyId}</Badge> : exchange.command.partyId}</span>
                <span className="truncate">{exchange.command.messageClass}</span>
                <span className="truncate">
                  {facts.ins}
                  {facts.secured ? ' · secured' : ''}
                </span>
                <span className={cn('text-right font-semibold', !isSelected && { success: 'text-success', warning: 'text-warning', danger: 'text-danger' }[facts.swTone])}>{facts.sw}</span>
              </div>
            );
          })}
        </div>
      </div>
      {selected && views && (
        <div className="flex flex-col gap-2">
          <p className="text-sm text-muted-foreground">
            Exchange {selected.seq}: the {selected.command.partyId}’s {selected.command.messageClass} command for its {selected.command.appletId} applet. Select a field (or move with the arrow keys) to highlight its bytes on both sides.
          </p>
          <div className="grid gap-4 xl:grid-cols-2">
            <SidePane
              title="As the relay carried it (wrapped)"
              description="What crossed the DCC: the routing header in the clear, the APDU under the party’s SCP03 session — CLA 84, encrypted data, C-MAC; encrypted answer, R-MAC."
              view={views.wrapped}
              selectedId={fieldId}
              onSelect={setFieldId}
              testId="relay-view"
            />
            <SidePane
              title="As the party and the card saw it (plain)"
              description="The command after the card unwrapped it and the answer before the card wrapped it — only the two ends of the channel ever hold these bytes."
              view={views.plain}
              selectedId={fieldId}
              onSelect={setFieldId}
              testId="plain-view"
            />
          </div>
        </div>
      )}
    </div>
  );
}
