/**
 * The bills the supplier holds for a world — what its console shows.
 */
import type { SupplierContext } from './context';

/** One bill as the supplier's console shows it. */
export interface BillView {
  meterId: string;
  period: string;
  amountPence: number;
  energyPence: number;
  standingPence: number;
  importWh: number;
  exportWh: number;
  receivedAt: string;
}

/** Options for {@link listBills}. */
export interface ListBillsOptions {
  context: Pick<SupplierContext, 'db'>;
  worldId: string;
}

/** Bills of a world ordered by period then meter. */
export async function listBills(options: ListBillsOptions): Promise<BillView[]> {
  const rows = await options.context.db.supplierBill.findMany({ where: { worldId: options.worldId }, orderBy: [{ period: 'asc' }, { meterId: 'asc' }] });
  return rows.map((row) => ({
    meterId: row.meterId,
    period: row.period,
    amountPence: row.amountPence,
    energyPence: row.energyPence,
    standingPence: row.standingPence,
    importWh: row.importWh,
    exportWh: row.exportWh,
    receivedAt: row.receivedAt.toISOString(),
  }));
}
