// Raw bytes as a hex dump (offset, 16 bytes, ASCII), Wireshark's bottom pane: the bytes of the
// field selected in the tree are highlighted in both columns.
import { Fragment } from 'react';
import { cn } from '@/lib/class-names';

/** Props for {@link HexView}. */
export interface HexViewProps {
  label: string;
  bytes: Uint8Array;
  /** Byte range [start, end) to highlight. */
  highlight: { start: number; end: number } | null;
  /** Most bytes drawn (default 4096); the rest is counted. */
  maxBytes?: number;
}

const PER_LINE = 16;
const hex2 = (value: number) => value.toString(16).toUpperCase().padStart(2, '0');
const ascii = (value: number) => (value >= 0x20 && value < 0x7f ? String.fromCharCode(value) : '·');

export function HexView({ label, bytes, highlight, maxBytes = 4096 }: HexViewProps) {
  const shown = bytes.subarray(0, maxBytes);
  const lit = (offset: number) => highlight !== null && offset >= highlight.start && offset < highlight.end;
  const lines: number[] = [];
  for (let offset = 0; offset < shown.length; offset += PER_LINE) lines.push(offset);
  return (
    <figure className="@container overflow-hidden rounded-lg border border-border bg-muted/60">
      <figcaption className="flex items-center justify-between gap-3 border-b border-border px-3 py-1.5 text-xs font-medium text-muted-foreground">
        <span>{label}</span>
        <span className="tabular-nums">
          {bytes.length} bytes{highlight && highlight.end > highlight.start ? ` · selected ${highlight.end - highlight.start} at ${highlight.start}` : ''}
        </span>
      </figcaption>
      <pre tabIndex={0} aria-label={label} className="max-h-64 overflow-auto p-3 font-mono text-[12px] leading-relaxed text-foreground">
        {bytes.length === 0 ? (
          <span className="text-muted-foreground">(no bytes)</span>
        ) : (
          lines.map((offset) => {
            const row = Array.from(shown.subarray(offset, offset + PER_LINE));
            return (
              <div key={offset} className="whitespace-pre">
                <span className="text-muted-foreground select-none">{offset.toString(16).padStart(4, '0')} </span>
                {row.map((value, i) => (
                  <Fragment key={i}>
                    {' '}
                    <span className={cn(lit(offset + i) && 'rounded-sm bg-accent text-accent-foreground')}>{hex2(value)}</span>
                  </Fragment>
                ))}
                {/* The ASCII column only where the pane is wide enough for it. */}
                <span className="hidden select-none @2xl:inline">{'   '.repeat(PER_LINE - row.length)}  </span>
                <span aria-hidden="true" className="hidden text-muted-foreground @2xl:inline">
                  {row.map((value, i) => (
                    <span key={i} className={cn(lit(offset + i) && 'rounded-sm bg-accent text-accent-foreground')}>
                      {ascii(value)}
                    </span>
                  ))}
                </span>
              </div>
            );
          })
        )}
        {bytes.length > shown.length && <div className="text-muted-foreground">… {bytes.length - shown.length} more bytes</div>}
      </pre>
    </figure>
  );
}
