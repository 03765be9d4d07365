// Code block: monospace, horizontally scrollable text for hex dumps, APDUs and source.
import type { ReactNode } from 'react';
import { cn } from '@/lib/class-names';

/** Props for {@link CodeBlock}. */
export interface CodeBlockProps {
  /** The text, shown verbatim (whitespace preserved). */
  code: string;
  /** Accessible name of the scroll region and visible caption, e.g. "SELECT command APDU". */
  label: string;
  /** Hide the caption visually (it still names the region). Default false. */
  hideLabel?: boolean;
  /** Right-aligned note in the caption bar, e.g. "13 bytes". */
  meta?: ReactNode;
  /** Wrap long lines instead of scrolling. Default false (hex columns stay aligned). */
  wrap?: boolean;
  /** Maximum height before the block scrolls vertically, in CSS units. */
  maxHeight?: string;
  className?: string;
}

/**
 * A `<figure>` holding a `<pre><code>`. The `<pre>` is focusable so keyboard users can scroll it.
 */
export function CodeBlock({ code, label, hideLabel = false, meta, wrap = false, maxHeight, className }: CodeBlockProps) {
  return (
    <figure className={cn('overflow-hidden rounded-lg border border-border bg-muted/60', className)}>
      <figcaption
        className={cn(
          hideLabel
            ? 'sr-only'
            : 'flex items-center justify-between gap-3 border-b border-border px-3 py-1.5 text-xs font-medium text-muted-foreground',
        )}
      >
        <span>{label}</span>
        {meta !== undefined && !hideLabel && <span className="tabular-nums">{meta}</span>}
      </figcaption>
      <pre
        tabIndex={0}
        aria-label={label}
        className={cn(
          'overflow-auto p-3 font-mono text-[13px] leading-relaxed text-foreground',
          wrap ? 'break-all whitespace-pre-wrap' : 'whitespace-pre',
        )}
        style={maxHeight !== undefined ? { maxHeight } : undefined}
      >
        <code>{code}</code>
      </pre>
    </figure>
  );
}

/**
 * Format bytes as space-separated upper-case hex, `perLine` bytes to a line (default 16).
 * @throws {RangeError} when `perLine` is not a positive integer.
 */
export function formatHex(bytes: Uint8Array, perLine = 16): string {
  if (!Number.isInteger(perLine) || perLine < 1) {
    throw new RangeError(`formatHex perLine: expected a positive integer, got ${perLine}`);
  }
  const lines: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += perLine) {
    const line = Array.from(bytes.subarray(offset, offset + perLine), (b) => b.toString(16).padStart(2, '0').toUpperCase());
    lines.push(line.join(' '));
  }
  return lines.join('\n');
}
