// The cast of the simulation and the colour each party wears everywhere in the UI
// (badges, chart series, the architecture diagram). See DESIGN.md "The cast".

/** Every party that appears in the UI. */
export type Party = 'supplier' | 'dno' | 'telecare' | 'dcc' | 'householder' | 'meter';

/** CSS custom property carrying a chart/party colour, defined per theme in app/globals.css. */
export type ChartColorVar = '--chart-1' | '--chart-2' | '--chart-3' | '--chart-4' | '--chart-5' | '--chart-6';

/** Display facts about one party. */
export interface PartyInfo {
  /** Full name, e.g. "Energy supplier". */
  readonly label: string;
  /** Short name for tight spaces, e.g. "Supplier". */
  readonly shortLabel: string;
  /** The party's colour. */
  readonly colorVar: ChartColorVar;
}

/** Party → display facts. The order is the order parties are listed in the UI. */
export const parties: Readonly<Record<Party, PartyInfo>> = {
  supplier: { label: 'Energy supplier', shortLabel: 'Supplier', colorVar: '--chart-1' },
  dno: { label: 'Distribution network operator', shortLabel: 'DNO', colorVar: '--chart-2' },
  telecare: { label: 'Telecare provider', shortLabel: 'Telecare', colorVar: '--chart-3' },
  dcc: { label: 'DCC relay', shortLabel: 'DCC', colorVar: '--chart-4' },
  householder: { label: 'Householder', shortLabel: 'Householder', colorVar: '--chart-5' },
  meter: { label: 'Meter (secure element)', shortLabel: 'Meter', colorVar: '--chart-6' },
};

/** `var(--chart-n)` for use in style props and SVG paint attributes. */
export function colorOf(colorVar: ChartColorVar): string {
  return `var(${colorVar})`;
}
