/**
 * The human-readable summary of a headless run.
 */
import type { RunWorldResult } from './run-world';

const pounds = (pence: number) => `£${(pence / 100).toFixed(2)}`;
const kwh = (wh: number) => `${(wh / 1000).toFixed(1)} kWh`;

/** Formats a run's result for a terminal. */
export function formatSummary(result: RunWorldResult): string {
  const lines: string[] = [];
  lines.push(`World ${result.worldId} (seed ${JSON.stringify(result.seed)}): ${result.homes} homes, ${result.months} month(s) from ${result.startDate} to ${result.endDate}`);
  lines.push(`Simulated ${result.homeDays} home-days in ${result.seconds.toFixed(1)} s (${(result.homeDays / Math.max(result.seconds, 1e-9)).toFixed(0)} home-days/s)`);
  lines.push('');
  const total = result.bills.reduce((sum, bill) => sum + bill.amountPence, 0);
  lines.push(`Bills the supplier holds: ${result.bills.length}, total ${pounds(total)}`);
  const shown = result.bills.slice(0, 12);
  for (const bill of shown) lines.push(`  ${bill.meterId}  ${bill.period}  ${pounds(bill.amountPence).padStart(9)}  ${kwh(bill.importWh).padStart(11)} import`);
  if (result.bills.length > shown.length) lines.push(`  … and ${result.bills.length - shown.length} more (use --json for all)`);
  lines.push('');
  lines.push('What each party stored:');
  const s = result.parties.supplier;
  lines.push(`  supplier   ${s.accounts} accounts, ${s.bills} bills, ${s.consentedReads} meter-days of reads householders shared, ${s.tariffs} tariff(s), ${s.receipts} receipts, ${s.keys} sealed key(s)`);
  lines.push(`  dno        ${result.parties.dno.rows} rows`);
  lines.push(`  telecare   ${result.parties.telecare.rows} rows`);
  if (result.mode === 'conventional') lines.push(`  dcc store  ${result.conventionalReads} meter-days of raw half-hourly reads, in plain (conventional mode)`);
  lines.push(`  relay      ${result.relay.messages} messages, ${result.relay.bytes} bytes (metadata only), ${result.relay.queued} queued, ${result.relay.dead} dead, ${result.relay.refused} refused`);
  return `${lines.join('\n')}\n`;
}
