/**
 * The supplier's tariffs. The walking skeleton has one: a flat single-rate tariff at the GB price
 * cap for October–December 2024 (24.50 p/kWh, 60.99 p/day, VAT inclusive; Ofgem), in the integer
 * units of DESIGN.md Decision 9.
 */
import { copyBytes, signMessage, utf8ToBytes } from '@hydra/globalplatform';
import type { SupplierContext } from './context';
import { loadChannelKey } from './channel-key';

/** A flat tariff document as the billing applet takes it. */
export interface FlatTariff {
  id: string;
  kind: 'flat';
  /** 1/1000 p per kWh. */
  unitRate: number;
  /** 1/1000 p per day. */
  standingCharge: number;
  [key: string]: string | number;
}

/** The default tariff of a world. */
export function defaultTariff(worldId: string): FlatTariff {
  return { id: `${worldId}-flat-2024q4`, kind: 'flat', unitRate: 24_500, standingCharge: 60_990 };
}

/** Options for {@link ensureDefaultTariff}. */
export type EnsureDefaultTariffOptions = Pick<SupplierContext, 'db' | 'kek' | 'random'> & { worldId: string; effectiveFrom: string };

/**
 * Stores the world's default tariff, signed, if it is not there yet, and returns it.
 * (The signing key is the channel key for now; a separate tariff-signing key comes with signed
 * tariffs in the billing applet.)
 */
export async function ensureDefaultTariff(options: EnsureDefaultTariffOptions): Promise<FlatTariff> {
  const tariff = defaultTariff(options.worldId);
  const existing = await options.db.supplierTariff.findUnique({ where: { id: tariff.id } });
  if (existing) return JSON.parse(existing.document) as FlatTariff;
  const document = JSON.stringify(tariff);
  const key = await loadChannelKey(options);
  const signature = signMessage(utf8ToBytes(document), key.privateKey);
  await options.db.supplierTariff.upsert({
    where: { id: tariff.id },
    create: { id: tariff.id, worldId: options.worldId, name: 'Flat (price cap Q4 2024)', kind: 'flat', document, signature: copyBytes(signature), effectiveFrom: options.effectiveFrom },
    update: {},
  });
  return tariff;
}
