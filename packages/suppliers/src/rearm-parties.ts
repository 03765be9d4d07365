/**
 * What every party does when a world's clock steps, before the meters wake (DESIGN.md Decision 5:
 * each party keeps its standing commands queued): the supplier and the DNO re-arm any standing
 * collect a crash or a lost answer left unarmed, the DNO sends a feeder roster a crash kept from
 * going out (nothing when unchanged), and the telecare provider re-arms the collects of its
 * enrolled homes. Shared by every host of the parties (the web app's clock route, the CLI's run).
 */
import { ensureDnoCollectsArmed } from './dno/arm-collects';
import type { DnoContext } from './dno/context';
import { distributeRosters } from './dno/distribute-roster';
import { ensureCollectsArmed } from './energy-supplier/arm-collect';
import type { SupplierContext } from './energy-supplier/context';
import { ensureTelecareCollectsArmed } from './telecare/arm-collect';
import type { TelecareContext } from './telecare/context';

/** Options for {@link rearmParties}. */
export interface RearmPartiesOptions {
  supplier: SupplierContext;
  dno: DnoContext;
  telecare: TelecareContext;
  worldId: string;
}

/** What was re-armed or sent (all zero when nothing was lost). */
export interface RearmPartiesResult {
  supplierCollects: number;
  dnoCollects: number;
  rosters: number;
  telecareCollects: number;
}

/** Re-arms each party's standing commands for one world. */
export async function rearmParties(options: RearmPartiesOptions): Promise<RearmPartiesResult> {
  const { supplier, dno, telecare, worldId } = options;
  const supplierCollects = await ensureCollectsArmed(supplier, worldId);
  const dnoCollects = await ensureDnoCollectsArmed(dno, worldId);
  const rosters = await distributeRosters(dno, worldId);
  const telecareCollects = await ensureTelecareCollectsArmed(telecare, worldId);
  return { supplierCollects, dnoCollects, rosters, telecareCollects };
}
