/**
 * The tariffs the supplier publishes for a world, as its console lists them: the signed document's
 * prices in the integer units of DESIGN.md Decision 9, and how many accounts are on each.
 */
import type { SupplierContext } from './context';

/** One tariff as the supplier's console shows it. */
export interface TariffView {
  tariffId: string;
  name: string;
  kind: string;
  effectiveFrom: string;
  /** The signed document's fields (prices in 1/1000 p). */
  document: Record<string, unknown>;
  accounts: number;
}

/** Options for {@link listTariffs}. */
export interface ListTariffsOptions {
  context: Pick<SupplierContext, 'db'>;
  worldId: string;
}

/** Tariffs of a world, oldest first. */
export async function listTariffs(options: ListTariffsOptions): Promise<TariffView[]> {
  const { db } = options.context;
  const [rows, counts] = await Promise.all([
    db.supplierTariff.findMany({ where: { worldId: options.worldId }, orderBy: { createdAt: 'asc' } }),
    db.supplierAccount.groupBy({ by: ['tariffId'], where: { worldId: options.worldId }, _count: { _all: true }, orderBy: { tariffId: 'asc' } }),
  ]);
  const perTariff = new Map(counts.map((count) => [count.tariffId, count._count._all]));
  return rows.map((row) => ({
    tariffId: row.id,
    name: row.name,
    kind: row.kind,
    effectiveFrom: row.effectiveFrom,
    document: parseDocument(row.document),
    accounts: perTariff.get(row.id) ?? 0,
  }));
}

function parseDocument(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
