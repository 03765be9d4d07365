/**
 * `hydra` — the Hydra Meter Lab command line. Runs worlds headless with the same meter, relay and
 * party code as the web app, on the embedded database by default.
 *
 *   hydra run [--homes N] [--months M] [--seed S] [--world ID] [--workers W] [--mode M] [--sharing P]
 *             [--telecare T] [--load-control D] [--json]
 *   hydra seed [--world ID] [--seed S] [--homes N]
 */
import { createDb } from '@hydra/db';
import { hexToBytes } from '@hydra/globalplatform';
import { loadEnv } from './env';
import { formatSummary } from './format';
import { dnoKekHex } from './parties/dno';
import { supplierKekHex } from './parties/supplier';
import { telecareKekHex } from './parties/telecare';
import { parseArgs, UsageError, USAGE } from './args';
import { publishApplets } from './publish-applets';
import { runWorld } from './run-world';
import { seedWorld } from './seed-world';
import { secureRandom } from './secure-random';

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const env = loadEnv();
  if (args.command === 'publish') {
    if (!env.publisherKeyHex) {
      process.stderr.write('hydra: no publisher key found. Run `npm run setup` first (it writes .hydra/secrets.env).\n');
      return 2;
    }
    const catalog = await publishApplets(env.publisherKeyHex, env.catalogFile);
    for (const entry of catalog.entries) process.stdout.write(`signed ${entry.fileName} v${entry.version} (${entry.owner}) sha256 ${entry.sha256.slice(0, 16)}…\n`);
    return 0;
  }
  if (args.command === 'seed') {
    const db = createDb(env.databaseUrl);
    try {
      const worldId = args.worldId ?? 'demo';
      const created = await seedWorld({ db: db.client, worldId, name: worldId === 'demo' ? 'Demo street' : worldId === 'demo-conventional' ? 'Demo street (conventional design)' : worldId, seed: args.seed, homes: args.homes, startDate: '2025-01-01', mode: args.mode, sharingPreset: args.sharingPreset });
      process.stdout.write(`hydra: world ${worldId} ${created ? `created with ${args.homes} homes` : 'already exists (left as it is)'}\n`);
      return 0;
    } finally {
      await db.close();
    }
  }
  // Each party's key-encryption key from its own module; each party's context gets only its own.
  const supplierKek = supplierKekHex();
  const dnoKek = dnoKekHex();
  const telecareKek = telecareKekHex();
  if (!supplierKek || !dnoKek || !telecareKek || !env.publisherKeyHex || !env.manufacturerCaKeyHex) {
    const missing = [
      ...(supplierKek ? [] : ["the energy supplier's key-encryption key"]),
      ...(dnoKek ? [] : ["the DNO's key-encryption key"]),
      ...(telecareKek ? [] : ["the telecare provider's key-encryption key"]),
      ...(env.publisherKeyHex ? [] : ['the publisher key']),
      ...(env.manufacturerCaKeyHex ? [] : ['the manufacturer CA key']),
    ];
    process.stderr.write(`hydra: not found: ${missing.join(', ')}. Run \`npm run setup\` first (it writes .hydra/secrets.env).\n`);
    return 2;
  }
  const db = createDb(env.databaseUrl);
  try {
    const interactive = process.stderr.isTTY && !args.json;
    const result = await runWorld({
      db: db.client,
      random: secureRandom,
      keks: { supplier: hexToBytes(supplierKek), dno: hexToBytes(dnoKek), telecare: hexToBytes(telecareKek) },
      publisherKeyHex: env.publisherKeyHex,
      manufacturerCaKeyHex: env.manufacturerCaKeyHex,
      now: () => new Date(),
      seed: args.seed,
      homes: args.homes,
      months: args.months,
      workers: args.workers,
      mode: args.mode,
      sharingPreset: args.sharingPreset,
      telecare: args.telecare,
      loadControl: args.loadControl,
      ...(args.worldId ? { worldId: args.worldId } : {}),
      onProgress: (p) => {
        const width = 30;
        const filled = Math.round(p.fraction * width);
        const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(p.fraction * 100)).padStart(3)}%  month ${p.month}/${p.months}  ${p.homeDays} home-days  ${p.message}`;
        process.stderr.write(interactive ? `\r${line}` : `${line}\n`);
      },
    });
    if (interactive) process.stderr.write('\n');
    process.stdout.write(args.json ? `${JSON.stringify(result, null, 2)}\n` : formatSummary(result));
    return 0;
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`hydra: ${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    process.stderr.write(`hydra: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
