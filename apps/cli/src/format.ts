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
  const d = result.parties.dno;
  const reporting = d.feeders.filter((feeder) => feeder.reports);
  const periods = d.feeders.reduce((sum, feeder) => sum + feeder.periods, 0);
  const complete = d.feeders.reduce((sum, feeder) => sum + feeder.completePeriods, 0);
  lines.push(`  dno        ${d.meters} meters, ${d.powerQualityEvents} power-quality events, ${d.feederShares} meter-days of masked feeder shares`);
  lines.push(`             ${reporting.length} of ${d.feeders.length} feeders report (≥ 5 homes), ${d.rosters} signed roster(s); feeder load recovered for ${complete} of ${periods} half hours held`);
  lines.push(`             ${d.campaigns} load-control campaign(s): ${d.acks.applied} applied, ${d.acks.refused} refused, ${d.acks.queued} not yet acknowledged`);
  const t = result.parties.telecare;
  lines.push(`  telecare   ${t.homes} homes enrolled on their meters' proof of consent (${t.consented} householders consented), ${t.alerts} wellbeing alerts`);
  if (result.mode === 'conventional') lines.push(`  dcc store  ${result.conventionalReads} meter-days of raw half-hourly reads, in plain (conventional mode)`);
  lines.push(`  relay      ${result.relay.messages} messages, ${result.relay.bytes} bytes (metadata only), ${result.relay.queued} queued, ${result.relay.dead} dead, ${result.relay.refused} refused`);
  return `${lines.join('\n')}\n`;
}
