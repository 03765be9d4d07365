// The one entry point for Prisma CLI work in this repository (TOOLCHAIN.md, "Prisma — the one
// real obstacle"). It runs the pinned Prisma 6.19 CLI with the right `--config` (JS schema
// engine + driver adapter, so nothing is downloaded), always with a resolvable DATABASE_URL and
// telemetry/update checks off, and exits non-zero on any failure.
//
//   tsx prisma/scripts/prisma.ts generate              write both schemas, generate both clients
//   tsx prisma/scripts/prisma.ts deploy                migrate deploy for the provider DATABASE_URL selects
//   tsx prisma/scripts/prisma.ts drift                 check migrations == schema (SQLite; PostgreSQL with HYDRA_PG_URL)
//   tsx prisma/scripts/prisma.ts new-migration <name>  author a migration for both providers (needs HYDRA_PG_URL)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { databaseUrl } from '../src/env';
import { providerFor, sqlitePathFor, type Provider } from '../src/provider';
import { migrationsPath, prismaRoot, providers, renderSchema, schemaPath, writeSchemas } from './write-schemas';

/** A failure this script reports as one line and exit status 1. */
export class PrismaScriptError extends Error {
  override name = 'PrismaScriptError';
}

const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');
const repoRoot = dirname(prismaRoot);

function configPath(provider: Provider): string {
  return join(prismaRoot, `${provider}.config.ts`);
}

/** PostgreSQL URL for commands that need a live server (drift, new-migration), from `HYDRA_PG_URL`. */
function postgresUrlFromEnv(): string | undefined {
  const value = process.env.HYDRA_PG_URL?.trim();
  if (!value) return undefined;
  if (providerFor(value) !== 'postgresql') {
    throw new PrismaScriptError(`HYDRA_PG_URL: expected a postgres:// or postgresql:// URL, got ${value.split(':')[0]}:`);
  }
  return value;
}

interface RunOptions {
  /** DATABASE_URL for this run; the config file's adapter connects to it. */
  url: string;
  /** Exit codes that are not failures (default `[0]`). */
  allowedStatus?: readonly number[];
  /** Capture stdout instead of passing it through. */
  capture?: boolean;
}

interface RunResult {
  status: number;
  stdout: string;
}

/** What to do about a failure whose cause is known. */
function hintFor(provider: Provider, stderr: string): string {
  // The schema engine takes `PRAGMA locking_mode=EXCLUSIVE` on SQLite; with another connection
  // open (the web app, a CLI run) it times out, reported as an unknown `SocketTimeout` variant.
  if (provider === 'sqlite' && /SocketTimeout|SQLITE_BUSY|database is locked/.test(stderr)) {
    return '\nhint: migrating SQLite needs the database file to itself — stop the web app and other processes using it, then retry';
  }
  return '';
}

/**
 * Runs the Prisma CLI for one provider. Throws on a spawn error, a signal or a disallowed status.
 */
function runPrisma(provider: Provider, args: readonly string[], options: RunOptions): RunResult {
  const fullArgs = [prismaCli, ...args, '--config', configPath(provider)];
  console.error(`[${provider}] prisma ${args.join(' ')}`);
  const result = spawnSync(process.execPath, fullArgs, {
    cwd: repoRoot,
    // stderr is captured (and passed on below) so known failures can be explained.
    stdio: ['ignore', options.capture ? 'pipe' : 'inherit', 'pipe'],
    encoding: 'utf8',
    env: {
      ...process.env,
      DATABASE_URL: options.url,
      CHECKPOINT_DISABLE: '1',
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
    },
  });
  if (result.stderr) process.stderr.write(result.stderr);
  if (result.error) throw new PrismaScriptError(`[${provider}] could not run prisma: ${result.error.message}`);
  if (result.status === null) throw new PrismaScriptError(`[${provider}] prisma ${args[0]} was killed by ${result.signal}`);
  const allowed = options.allowedStatus ?? [0];
  if (!allowed.includes(result.status)) {
    if (options.capture && result.stdout) process.stdout.write(result.stdout);
    throw new PrismaScriptError(
      `[${provider}] prisma ${args.join(' ')} failed with exit code ${result.status}${hintFor(provider, result.stderr ?? '')}`,
    );
  }
  return { status: result.status, stdout: result.stdout ?? '' };
}

/**
 * A throwaway directory holding a scratch SQLite URL: `migrate diff` connects to the configured
 * database even when it only reads migrations and schemas, and must not touch the real one.
 */
function withScratch<T>(fn: (scratch: { dir: string; sqliteUrl: string }) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'hydra-prisma-'));
  try {
    return fn({ dir, sqliteUrl: `file:${join(dir, 'scratch.db')}` });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function migrationFolders(provider: Provider): string[] {
  const dir = migrationsPath(provider);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** Throws when a committed schema differs from what `models.prisma` produces now. */
function assertSchemasCurrent(): void {
  const models = readFileSync(join(prismaRoot, 'models.prisma'), 'utf8');
  for (const provider of providers) {
    const path = schemaPath(provider);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
    if (current !== renderSchema(provider, models)) {
      throw new PrismaScriptError(
        `${relative(repoRoot, path)} is out of date with prisma/models.prisma: run \`npx tsx prisma/scripts/prisma.ts generate\``,
      );
    }
  }
}

/** `generate`: write both schemas, then generate both clients (no database needed). */
export function generate(): void {
  for (const path of writeSchemas()) console.error(`wrote ${relative(repoRoot, path)}`);
  // `generate` never connects, but DATABASE_URL must resolve to a URL of the schema's kind.
  runPrisma('sqlite', ['generate'], { url: 'file:/nonexistent/generate-only.db' });
  runPrisma('postgresql', ['generate'], { url: 'postgresql://generate-only@127.0.0.1:5432/none' });
}

/**
 * `deploy`: `prisma migrate deploy` for the provider `url` selects. For SQLite the data directory
 * is created first (better-sqlite3 creates the file, not its folder).
 */
export function deploy(url: string = databaseUrl()): void {
  const provider = providerFor(url);
  if (provider === 'sqlite') mkdirSync(dirname(sqlitePathFor(url)), { recursive: true });
  runPrisma(provider, ['migrate', 'deploy'], { url });
}

function checkDrift(provider: Provider, url: string): void {
  const dir = migrationsPath(provider);
  if (migrationFolders(provider).length === 0) {
    throw new PrismaScriptError(`[${provider}] no migrations in ${relative(repoRoot, dir)}`);
  }
  // Positive control: an empty-to-schema diff must be non-empty (exit 2). A broken schema engine
  // makes `migrate diff` exit 0 with empty output (TOOLCHAIN.md), which would pass any drift check.
  const control = runPrisma(
    provider,
    ['migrate', 'diff', '--from-empty', '--to-schema-datamodel', schemaPath(provider), '--exit-code'],
    { url, allowedStatus: [0, 2], capture: true },
  );
  if (control.status !== 2) {
    throw new PrismaScriptError(`[${provider}] migrate diff reported no difference from an empty database: the schema engine is not working`);
  }
  const diff = runPrisma(
    provider,
    ['migrate', 'diff', '--from-migrations', dir, '--to-schema-datamodel', schemaPath(provider), '--script', '--exit-code'],
    { url, allowedStatus: [0, 2], capture: true },
  );
  if (diff.status === 2) {
    process.stdout.write(diff.stdout);
    throw new PrismaScriptError(
      `[${provider}] drift: ${relative(repoRoot, dir)} does not produce ${relative(repoRoot, schemaPath(provider))} — ` +
        'author a migration with `npx tsx prisma/scripts/prisma.ts new-migration <name>`',
    );
  }
  console.error(`[${provider}] no drift: migrations match the schema`);
}

/**
 * `drift`: for each provider, fail if replaying the committed migrations does not give the
 * committed schema, or if the schemas are stale. PostgreSQL needs a server (`HYDRA_PG_URL`) for
 * its shadow database; without one it is skipped with a message.
 */
export function drift(): void {
  assertSchemasCurrent();
  withScratch(({ sqliteUrl }) => checkDrift('sqlite', sqliteUrl));
  const pgUrl = postgresUrlFromEnv();
  if (pgUrl) checkDrift('postgresql', pgUrl);
  else console.error('[postgresql] drift SKIPPED: set HYDRA_PG_URL (see prisma/scripts/ci-postgres.sh) to check it');
}

const emptyMigration = /^\s*(-- This is an empty migration\.)?\s*$/;

function timestamp(now: Date): string {
  return now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function lockFile(provider: Provider): string {
  return `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${provider}"\n`;
}

/**
 * `new-migration <name>`: writes the schemas, then for each provider diffs its committed
 * migrations (or nothing, for the first one) against the schema and stores the SQL as
 * `<provider>/migrations/<timestamp>_<name>/migration.sql`. `prisma migrate dev` cannot be used:
 * it needs a shadow database URL, which Prisma refuses when an adapter is configured.
 *
 * @throws {PrismaScriptError} for a bad name, a missing PostgreSQL server, or when neither
 *   provider has changes
 */
export function newMigration(name: string | undefined, now: Date = new Date()): void {
  if (!name || !/^[a-z0-9][a-z0-9_]*$/.test(name)) {
    throw new PrismaScriptError(`new-migration: expected a name of lower-case letters, digits and _, got ${JSON.stringify(name ?? '')}`);
  }
  const pgUrl = postgresUrlFromEnv();
  if (!pgUrl) {
    throw new PrismaScriptError('new-migration: set HYDRA_PG_URL to a PostgreSQL database (see prisma/scripts/ci-postgres.sh); both providers must get the migration');
  }
  writeSchemas();
  const folder = `${timestamp(now)}_${name}`;
  const written: string[] = [];
  withScratch(({ dir: scratchDir, sqliteUrl }) => {
    for (const provider of providers) {
      const url = provider === 'sqlite' ? sqliteUrl : pgUrl;
      const dir = migrationsPath(provider);
      const from = migrationFolders(provider).length === 0 ? ['--from-empty'] : ['--from-migrations', dir];
      // The new folder must not exist while diffing, or it would be replayed as an (empty) migration.
      const out = join(scratchDir, `${provider}.sql`);
      runPrisma(provider, ['migrate', 'diff', ...from, '--to-schema-datamodel', schemaPath(provider), '--script', '-o', out], { url });
      const sql = readFileSync(out, 'utf8');
      if (emptyMigration.test(sql)) {
        console.error(`[${provider}] no changes: no migration written`);
        continue;
      }
      const target = join(dir, folder);
      if (existsSync(target)) throw new PrismaScriptError(`${relative(repoRoot, target)} already exists`);
      mkdirSync(target, { recursive: true });
      renameSync(out, join(target, 'migration.sql'));
      const lock = join(dir, 'migration_lock.toml');
      if (!existsSync(lock)) writeFileSync(lock, lockFile(provider));
      written.push(relative(repoRoot, join(target, 'migration.sql')));
    }
  });
  if (written.length === 0) throw new PrismaScriptError('new-migration: the schema matches the migrations; nothing to write');
  if (written.length !== providers.length) {
    throw new PrismaScriptError(`new-migration: only ${written.join(', ')} changed — the providers disagree; check the schemas`);
  }
  for (const path of written) console.log(`wrote ${path}`);
}

const usage = 'usage: tsx prisma/scripts/prisma.ts generate | deploy | drift | new-migration <name>';

/** Runs one command from the argument list. */
export function main(argv: readonly string[]): void {
  const [command, ...rest] = argv;
  switch (command) {
    case 'generate':
      return generate();
    case 'deploy':
      return deploy();
    case 'drift':
      return drift();
    case 'new-migration':
      return newMigration(rest[0]);
    default:
      throw new PrismaScriptError(command ? `unknown command ${JSON.stringify(command)}\n${usage}` : usage);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof PrismaScriptError ? `error: ${error.message}` : error);
    process.exitCode = 1;
  }
}
