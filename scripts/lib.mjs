// Shared helpers for the set-up, start and test scripts: run a command loudly (a failure stops
// everything with its exit code), and the environment every step runs with (no telemetry, no
// Prisma update checks — these machines are offline).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

export const quietEnv = {
  NEXT_TELEMETRY_DISABLED: '1',
  TURBO_TELEMETRY_DISABLED: '1',
  CHECKPOINT_DISABLE: '1',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  DO_NOT_TRACK: '1',
};

/** Prints a step heading. */
export function step(title) {
  process.stdout.write(`\n\u001b[1m▶ ${title}\u001b[0m\n`);
}

/** Runs a command in the repository root; exits the process on failure. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? root,
    stdio: 'inherit',
    env: { ...process.env, ...quietEnv, ...(options.env ?? {}) },
  });
  if (result.error) {
    process.stderr.write(`✖ ${command} ${args.join(' ')}: ${result.error.message}\n`);
    process.exit(1);
  }
  if (result.status !== 0) {
    process.stderr.write(`✖ ${command} ${args.join(' ')} exited with ${result.status ?? result.signal}\n`);
    process.exit(result.status ?? 1);
  }
}
