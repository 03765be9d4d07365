'use client';

// A decoded message as a tree (Wireshark's middle pane): envelope headers, APDU header fields,
// TLV data objects, the status word. Arrow keys move through it; the selected field's bytes are
// highlighted in the hex pane.
import { useId, type KeyboardEvent } from 'react';
import { cn } from '@/lib/class-names';

/** One node: a label, a value, what it means, and where its bytes are (if it has any). */
export interface TreeNode {
  id: string;
  label: string;
  value: string;
  meaning?: string;
  tone?: 'success' | 'warning' | 'danger';
  range?: { part: 'command' | 'response'; start: number; end: number };
  children: TreeNode[];
}

/** Props for {@link FieldTree}. */
export interface FieldTreeProps {
  label: string;
  nodes: TreeNode[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}

const toneClass = { success: 'text-success', warning: 'text-warning', danger: 'text-danger' } as const;

function flatten(nodes: TreeNode[]): TreeNode[] {
  return nodes.flatMap((node) => [node, ...flatten(node.children)]);
}

export function FieldTree({ label, nodes, selectedId, onSelect }: FieldTreeProps) {
  const base = useId();
  const order = flatten(nodes);
  const focusable = order.some((node) => node.id === selectedId) ? selectedId : (order[0]?.id ?? null);
  const domId = (id: string) => `${base}-${id}`;

  const move = (event: KeyboardEvent<HTMLUListElement>) => {
    const index = order.findIndex((node) => node.id === focusable);
    const targets: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: order.length - 1 };
    const target = targets[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = order[Math.max(0, Math.min(order.length - 1, target))];
    if (!next) return;
    onSelect(next.id);
    document.getElementById(domId(next.id))?.focus();
  };

  const render = (node: TreeNode, level: number) => {
    const selected = node.id === selectedId;
    const name = `${node.label} ${node.value}${node.meaning ? ` — ${node.meaning}` : ''}`;
    return (
      <li
        key={node.id}
        id={domId(node.id)}
        role="treeitem"
        aria-level={level}
        aria-selected={selected}
        aria-label={name}
        tabIndex={node.id === focusable ? 0 : -1}
        onClick={(event) => {
          event.stopPropagation();
          onSelect(node.id);
        }}
        onFocus={(event) => {
          if (event.target === event.currentTarget && !selected) onSelect(node.id);
        }}
        className="outline-none [&:focus-visible>div]:ring-2 [&:focus-visible>div]:ring-ring"
      >
        <div className={cn('flex cursor-default flex-wrap items-baseline gap-x-2 rounded px-1.5 py-0.5', selected ? 'bg-accent-soft' : 'hover:bg-muted')} style={{ paddingLeft: `${(level - 1) * 1}rem` }}>
          <span className="font-medium text-foreground">{node.label}</span>
          <span className={cn('font-mono break-all', node.tone ? toneClass[node.tone] : 'text-accent')}>{node.value}</span>
          {node.meaning && <span className="text-muted-foreground">{node.meaning}</span>}
        </div>
        {node.children.length > 0 && (
          <ul role="group" className="list-none">
            {node.children.map((child) => render(child, level + 1))}
          </ul>
        )}
      </li>
    );
  };

  return (
    <ul role="tree" aria-label={label} onKeyDown={move} className="list-none text-xs leading-relaxed">
      {nodes.map((node) => render(node, 1))}
    </ul>
  );
}
