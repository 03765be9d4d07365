/**
 * Command-line arguments of `hydra`, parsed strictly: an unknown flag or a bad number is a usage
 * error that says what was expected.
 */
import { DEFAULT_TELECARE, parseTelecareSelection, type TelecareSelection } from './telecare-consent';

export const USAGE = `Usage: hydra run [options]
       hydra seed [--world ID] [--seed S] [--homes N]
       hydra publish

run    Runs a world headless: N homes for M months through meter -> relay -> each party
       (energy supplier, DNO, telecare provider for the homes that consented).
seed   Creates a world for the dashboard if it does not exist (default: the demo world).
publish  Signs every applet with the controlling authority's key into .hydra/catalog.json.

Options:
  --homes N      number of homes (default 24)
  --months M     months to simulate from the start date (default 1)
  --seed S       world seed; the same seed gives the same homes, readings and bills (default hydra-demo)
  --world ID     world id (default cli-<seed>); an existing world of that id is reset
  --workers W    meter-host worker threads, 1 or 2 (default 1)
  --mode M       hydra (default) or conventional: the same world with the DCC as a central
                 store of raw half-hourly reads, for comparison
  --sharing P    data-sharing preset: hydra (default; monthly bills only) or gb-licence (daily
                 reads to the supplier unless the householder opts out)
  --telecare T   whose householders consent to telecare on their meters: single-pensioners
                 (default), all, none, or home numbers such as 1,4,7-9
  --load-control D
                 the DNO sends each feeder a signed campaign every month: device D (ev or
                 heat-pump) off 17:00-19:00 London on the 15th, randomised within 600 s; it
                 reaches the meters that took the DNO's command key (from the second month)
  --json         print machine-readable JSON instead of the summary
  -h, --help     show this help
`;

/** A usage mistake. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parsed arguments. */
export interface CliArgs {
  command: 'run' | 'seed' | 'publish' | 'help';
  homes: number;
  months: number;
  seed: string;
  worldId: string | null;
  workers: number;
  json: boolean;
  mode: 'hydra' | 'conventional';
  sharingPreset: 'hydra' | 'gb-licence';
  telecare: TelecareSelection;
  loadControl: 'ev' | 'heat-pump' | null;
}

function integer(flag: string, value: string | undefined, min: number, max: number): number {
  if (value === undefined || !/^\d+$/.test(value)) throw new UsageError(`${flag}: expected a whole number, got ${value ?? 'nothing'}`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`${flag}: expected ${min}..${max}, got ${n}`);
  return n;
}

/** Parses `argv` (without node and script). */
export function parseArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = { command: 'run', homes: 24, months: 1, seed: 'hydra-demo', worldId: null, workers: 1, json: false, mode: 'hydra', sharingPreset: 'hydra', telecare: DEFAULT_TELECARE, loadControl: null };
  const rest = [...argv];
  const command = rest[0] && !rest[0].startsWith('-') ? rest.shift() : 'run';
  if (command === 'help') return { ...args, command: 'help' };
  if (command !== 'run' && command !== 'seed' && command !== 'publish') throw new UsageError(`unknown command ${command}`);
  args.command = command;
  while (rest.length > 0) {
    const flag = rest.shift();
    switch (flag) {
      case '--homes':
        args.homes = integer('--homes', rest.shift(), 1, 100_000);
        break;
      case '--months':
        args.months = integer('--months', rest.shift(), 1, 120);
        break;
      case '--workers':
        args.workers = integer('--workers', rest.shift(), 1, 8);
        break;
      case '--seed': {
        const seed = rest.shift();
        if (!seed) throw new UsageError('--seed: expected a value');
        args.seed = seed;
        break;
      }
      case '--world': {
        const id = rest.shift();
        if (!id || !/^[a-z0-9][a-z0-9-]{0,47}$/.test(id)) throw new UsageError('--world: expected lower-case letters, digits and dashes');
        args.worldId = id;
        break;
      }
      case '--mode': {
        const mode = rest.shift();
        if (mode !== 'hydra' && mode !== 'conventional') throw new UsageError(`--mode: expected hydra or conventional, got ${mode ?? 'nothing'}`);
        args.mode = mode;
        break;
      }
      case '--sharing': {
        const preset = rest.shift();
        if (preset !== 'hydra' && preset !== 'gb-licence') throw new UsageError(`--sharing: expected hydra or gb-licence, got ${preset ?? 'nothing'}`);
        args.sharingPreset = preset;
        break;
      }
      case '--telecare': {
        const spec = rest.shift();
        try {
          args.telecare = parseTelecareSelection(spec ?? '');
        } catch (error) {
          throw new UsageError(`--telecare: ${error instanceof Error ? error.message : String(error)}`);
        }
        break;
      }
      case '--load-control': {
        const device = rest.shift();
        if (device !== 'ev' && device !== 'heat-pump') throw new UsageError(`--load-control: expected ev or heat-pump, got ${device ?? 'nothing'}`);
        args.loadControl = device;
        break;
      }
      case '--json':
        args.json = true;
        break;
      case '-h':
      case '--help':
        return { ...args, command: 'help' };
      default:
        throw new UsageError(`unknown option ${flag}`);
    }
  }
  return args;
}
