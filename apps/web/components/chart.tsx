'use client';
// The one chart wrapper (STYLE.md rule 19) around recharts: line, bar or area charts whose series
// are declared as typed config, coloured from CSS variables so both themes work, and readable
// without sight: the plot is a named image and the same numbers are in a visually hidden table.
import { useId, type ReactNode } from 'react';
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { cn } from '@/lib/class-names';
import { colorOf, type ChartColorVar } from '@/lib/parties';

/** A data row: named cells holding a category/x value or a series value (`null` = no reading). */
export type ChartRow<Row> = Record<keyof Row, string | number | null>;

/** Keys of `Row` whose values are numbers: the only keys a series may plot. */
export type NumericKey<Row> = {
  [K in keyof Row]-?: Row[K] extends number | null ? K : never;
}[keyof Row] &
  string;

/** One plotted series. */
export interface ChartSeries<Row> {
  /** The row field holding this series' values. */
  key: NumericKey<Row>;
  /** Legend, tooltip and table-header text. */
  label: string;
  /** Party/chart colour variable, e.g. `--chart-1` for the supplier. */
  colorVar: ChartColorVar;
}

/** Props for {@link Chart}. */
export interface ChartProps<Row extends ChartRow<Row>> {
  /** `line` for trends, `bar` for per-period totals, `area` for cumulative or stacked shares. */
  kind: 'line' | 'bar' | 'area';
  data: readonly Row[];
  /** The row field on the horizontal axis (a label such as "Jan" or "00:30"). */
  xKey: keyof Row & string;
  /** Header of the x column in the accessible table, e.g. "Month". */
  xLabel: string;
  series: readonly ChartSeries<Row>[];
  /** Accessible name of the plot: what it shows, with units, e.g. "Monthly import by tariff, kWh". */
  label: string;
  /** Visible caption under the plot (also the hidden table's caption). Default: `label`. */
  caption?: string;
  /** Unit appended to values in tooltips and the table, e.g. "kWh". */
  unit?: string;
  /** Maximum fraction digits when formatting values. Default 2. */
  decimals?: number;
  /** Counts: the value axis ticks whole numbers only. */
  integer?: boolean;
  /** Stack bar/area series on top of each other. */
  stacked?: boolean;
  /** Plot height in pixels. Default 260. */
  height?: number;
  className?: string;
}

const axisTick = { fill: 'var(--muted-foreground)', fontSize: 12 } as const;

/**
 * A responsive recharts chart.
 *
 * Warning: the fallback table holds every row. For long series (a year of half-hours) pass data
 * already aggregated to what the chart can show.
 */
export function Chart<Row extends ChartRow<Row>>({
  kind,
  data,
  xKey,
  xLabel,
  series,
  label,
  caption,
  unit,
  decimals = 2,
  integer = false,
  stacked = false,
  height = 260,
  className,
}: ChartProps<Row>) {
  const captionId = useId();
  const numberFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: decimals });
  const format = (value: unknown): string => {
    if (typeof value !== 'number' || Number.isNaN(value)) return '—';
    const text = numberFormat.format(value);
    return unit === undefined ? text : `${text} ${unit}`;
  };
  // Typed at the API; recharts only needs string keys over plain records.
  const rows = data as unknown as Record<string, string | number | null>[];
  const x: string = xKey;
  const stackId = stacked ? 'stack' : undefined;

  const common = {
    data: rows,
    responsive: true,
    accessibilityLayer: false,
    margin: { top: 8, right: 12, bottom: 0, left: 0 },
    style: { width: '100%', height },
  } as const;

  const grid = <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />;
  const xAxis = (
    <XAxis
      dataKey={x}
      tick={axisTick}
      tickLine={false}
      axisLine={{ stroke: 'var(--border-strong)' }}
      tickMargin={8}
      minTickGap={8}
      interval="equidistantPreserveStart"
    />
  );
  const yAxis = (
    <YAxis
      tick={axisTick}
      tickLine={false}
      axisLine={false}
      width={56}
      allowDecimals={!integer}
      tickFormatter={(value: number) => numberFormat.format(value)}
    />
  );
  const tooltip = (
    <Tooltip
      formatter={(value) => format(value)}
      cursor={kind === 'bar' ? { fill: 'var(--muted)' } : { stroke: 'var(--border-strong)' }}
      contentStyle={{
        background: 'var(--card)',
        border: '1px solid var(--border)',
        borderRadius: 8,
        boxShadow: '0 4px 16px rgb(0 0 0 / 0.12)',
        color: 'var(--foreground)',
        fontSize: 12,
      }}
      labelStyle={{ color: 'var(--muted-foreground)', marginBottom: 4 }}
      itemStyle={{ color: 'var(--foreground)', padding: 0 }}
    />
  );

  let plot: ReactNode;
  if (kind === 'line') {
    plot = (
      <LineChart {...common}>
        {grid}
        {xAxis}
        {yAxis}
        {tooltip}
        {series.map((s) => (
          <Line
            key={s.key}
            type="monotone"
            dataKey={s.key}
            name={s.label}
            stroke={colorOf(s.colorVar)}
            strokeWidth={2}
            dot={false}
            activeDot={{ r: 4, strokeWidth: 0 }}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    );
  } else if (kind === 'bar') {
    plot = (
      <BarChart {...common}>
        {grid}
        {xAxis}
        {yAxis}
        {tooltip}
        {series.map((s, index) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.label}
            fill={colorOf(s.colorVar)}
            stackId={stackId}
            radius={!stacked || index === series.length - 1 ? [3, 3, 0, 0] : 0}
            maxBarSize={40}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    );
  } else {
    plot = (
      <AreaChart {...common}>
        {grid}
        {xAxis}
        {yAxis}
        {tooltip}
        {series.map((s) => (
          <Area
            key={s.key}
            type="monotone"
            dataKey={s.key}
            name={s.label}
            stroke={colorOf(s.colorVar)}
            strokeWidth={2}
            fill={colorOf(s.colorVar)}
            fillOpacity={0.18}
            stackId={stackId}
            isAnimationActive={false}
          />
        ))}
      </AreaChart>
    );
  }

  return (
    <figure className={cn('space-y-3', className)} aria-labelledby={captionId}>
      <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted-foreground" aria-hidden="true">
        {series.map((s) => (
          <li key={s.key} className="flex items-center gap-1.5">
            <span
              className={cn('shrink-0', kind === 'line' ? 'h-0.5 w-3 rounded-full' : 'size-2.5 rounded-sm')}
              style={{ backgroundColor: colorOf(s.colorVar) }}
            />
            {s.label}
          </li>
        ))}
      </ul>
      <div role="img" aria-label={label} style={{ height }}>
        {plot}
      </div>
      <figcaption id={captionId} className="text-xs text-muted-foreground">
        {caption ?? label}
      </figcaption>
      <table className="sr-only">
        <caption>{caption ?? label}</caption>
        <thead>
          <tr>
            <th scope="col">{xLabel}</th>
            {series.map((s) => (
              <th key={s.key} scope="col">
                {unit === undefined ? s.label : `${s.label} (${unit})`}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={`${String(row[x])}-${index}`}>
              <th scope="row">{String(row[x] ?? '')}</th>
              {series.map((s) => {
                const value = row[s.key];
                return <td key={s.key}>{typeof value === 'number' ? numberFormat.format(value) : '—'}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
