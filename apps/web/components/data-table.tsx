// Accessible data table: a real <table> with a caption, column headers, optional row headers and
// an empty-state row. Server component: column `cell` functions run on the server.
import type { ReactNode } from 'react';
import { cn } from '@/lib/class-names';

/** One column of a {@link DataTable}. */
export interface DataTableColumn<Row> {
  /** Stable React key for the column. */
  key: string;
  /** Column header content. */
  header: ReactNode;
  /** Cell content for a row. */
  cell: (row: Row) => ReactNode;
  /** `end` right-aligns (numbers, amounts) and uses tabular figures. Default `start`. */
  align?: 'start' | 'end';
  /** Render this column's cells as `<th scope="row">` (the column that names each row). */
  rowHeader?: boolean;
  /** Extra classes for this column's header and cells (widths, wrapping). */
  className?: string;
}

/** Props for {@link DataTable}. */
export interface DataTableProps<Row> {
  /** Caption naming the table (required: it is the table's accessible name). */
  caption: ReactNode;
  /** Show the caption visually; otherwise it is visually hidden but still announced. Default false. */
  showCaption?: boolean;
  columns: readonly DataTableColumn<Row>[];
  rows: readonly Row[];
  /** Stable key for a row (ids, not indexes, when rows can change). */
  getRowKey: (row: Row, index: number) => string;
  /** Message in the single row shown when `rows` is empty. */
  emptyMessage?: ReactNode;
  /** Tighter rows for dense data. */
  dense?: boolean;
  className?: string;
}

/**
 * A table that scrolls horizontally inside its container on narrow screens. Numbers belong in
 * `align: 'end'` columns; the column naming each row should set `rowHeader`.
 */
export function DataTable<Row>({
  caption,
  showCaption = false,
  columns,
  rows,
  getRowKey,
  emptyMessage = 'Nothing to show yet.',
  dense = false,
  className,
}: DataTableProps<Row>) {
  const cellPad = dense ? 'px-4 py-2' : 'px-4 py-3';
  return (
    <div className={cn('overflow-x-auto', className)}>
      <table className="w-full border-collapse text-left text-sm">
        <caption
          className={cn(
            showCaption ? 'px-4 pt-1 pb-3 text-left text-sm font-medium text-muted-foreground' : 'sr-only',
          )}
        >
          {caption}
        </caption>
        <thead>
          <tr className="border-b border-border">
            {columns.map((column) => (
              <th
                key={column.key}
                scope="col"
                className={cn(
                  cellPad,
                  'text-xs font-semibold tracking-wide whitespace-nowrap text-muted-foreground uppercase',
                  column.align === 'end' && 'text-right',
                  column.className,
                )}
              >
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length} className="px-4 py-10 text-center text-sm text-muted-foreground">
                {emptyMessage}
              </td>
            </tr>
          ) : (
            rows.map((row, index) => (
              <tr key={getRowKey(row, index)} className="border-b border-border last:border-b-0 hover:bg-muted/50">
                {columns.map((column) => {
                  const classes = cn(
                    cellPad,
                    'align-top',
                    column.align === 'end' && 'text-right tabular-nums',
                    column.rowHeader === true ? 'font-medium text-foreground' : 'text-foreground/90',
                    column.className,
                  );
                  return column.rowHeader === true ? (
                    <th key={column.key} scope="row" className={classes}>
                      {column.cell(row)}
                    </th>
                  ) : (
                    <td key={column.key} className={classes}>
                      {column.cell(row)}
                    </td>
                  );
                })}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
