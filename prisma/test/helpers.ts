// Test harness for @hydra/db: runs `scripts/prisma.ts` the way the root scripts do (a child
// process, real Prisma CLI) and hands out fresh databases — a temp SQLite file, or a new
// PostgreSQL database on the server `HYDRA_PG_URL` points at.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { withDatabase } from '../cli-adapters/pg-catalog-text';
import type { Provider } from '../src/provider';

export const prismaRoot = fileURLToPath(new URL('..', import.meta.url));

/** PostgreSQL server for the PostgreSQL half of the suite, or undefined to skip it. */
export const pgServerUrl: string | undefined = process.env.HYDRA_PG_URL?.trim() || undefined;

export interface ScriptResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `tsx scripts/prisma.ts <args>` with `env` layered over the current environment (a value
 * of `undefined` removes the variable).
 */
export function runPrismaScript(args: readonly string[], env: Record<string, string | undefined>): ScriptResult {
  const merged: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(prismaRoot, 'scripts', 'prisma.ts'), ...args], {
    cwd: prismaRoot,
    env: merged,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Like {@link runPrismaScript}, but throws with the output when the exit status is not 0. */
export function runPrismaScriptOk(args: readonly string[], env: Record<string, string | undefined>): ScriptResult {
  const result = runPrismaScript(args, env);
  if (result.status !== 0) {
    throw new Error(`prisma.ts ${args.join(' ')} exited ${result.status}\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

export interface FreshDatabase {
  url: string;
  dispose(): Promise<void>;
}

/** An empty database of `provider`, removed by `dispose()`. */
export async function freshDatabase(provider: Provider): Promise<FreshDatabase> {
  if (provider === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'hydra-db-test-'));
    return {
      url: `file:${join(dir, 'nested', 'test.db')}`,
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (!pgServerUrl) throw new Error('HYDRA_PG_URL is not set');
  const name = `hydra_test_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: pgServerUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  return {
    url: withDatabase(pgServerUrl, name),
    dispose: async () => {
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** Names of the committed migrations of `provider`, oldest first. */
export function committedMigrations(provider: Provider): string[] {
  return readdirSync(join(prismaRoot, provider, 'migrations'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}
