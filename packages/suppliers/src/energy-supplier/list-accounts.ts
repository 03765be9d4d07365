/**
 * The supply accounts the supplier holds for a world — what its console lists: one per meter,
 * its tariff, whether a collect command is armed at the relay, and how many bills it has.
 */
import type { SupplierContext } from './context';

/** One account as the supplier's console shows it. */
export interface AccountView {
  accountId: string;
  meterId: string;
  tariffId: string;
  collectArmed: boolean;
  bills: number;
  createdAt: string;
}

/** Options for {@link listAccounts}. */
export interface ListAccountsOptions {
  context: Pick<SupplierContext, 'db'>;
  worldId: string;
}

/** Accounts of a world, by meter. */
export async function listAccounts(options: ListAccountsOptions): Promise<AccountView[]> {
  const rows = await options.context.db.supplierAccount.findMany({
    where: { worldId: options.worldId },
    orderBy: { meterId: 'asc' },
    include: { _count: { select: { bills: true } } },
  });
  return rows.map((row) => ({
    accountId: row.id,
    meterId: row.meterId,
    tariffId: row.tariffId,
    collectArmed: row.pendingCollectId !== null,
    bills: row._count.bills,
    createdAt: row.createdAt.toISOString(),
  }));
}
