// The props a page gives `WorldHost` for a world it read from the registry (a plain module, so
// server components can call it; world-host.tsx is a client module).
import type { WorldView } from '@/lib/server/worlds';
import type { WorldHostProps } from './world-host';

/** `WorldHost`'s props for `world` (without `steps`). */
export function worldHostProps(world: WorldView): Omit<WorldHostProps, 'steps'> {
  return {
    worldId: world.id,
    seed: world.seed,
    startDate: world.startDate,
    homeCount: world.homeCount,
    epoch: world.epoch,
    clockDate: world.clockDate,
    hostDate: world.hostDate,
    mode: world.mode === 'conventional' ? 'conventional' : 'hydra',
    sharingPreset: world.sharingPreset,
  };
}
