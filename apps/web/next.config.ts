// Next.js configuration for the Hydra Meter Lab dashboard (App Router, Turbopack, `next start`).
import type { NextConfig } from 'next';

// No telemetry, whoever starts the build: Next reads this after loading the config.
process.env.NEXT_TELEMETRY_DISABLED ??= '1';

const nextConfig: NextConfig = {
  // Workspace packages export TypeScript source with extensionless relative imports.
  transpilePackages: [
    '@hydra/globalplatform',
    '@hydra/meter-sim',
    '@hydra/dcc',
    '@hydra/suppliers',
    '@hydra/db',
  ],
  // Native database drivers and their Prisma adapters load from node_modules at run time.
  serverExternalPackages: ['better-sqlite3', '@prisma/adapter-better-sqlite3', 'pg', '@prisma/adapter-pg'],
  poweredByHeader: false,
  turbopack: {
    // Node's CommonJS interop shape for @babel/traverse, which @endo/module-source relies on in
    // the meter-host worker (see worker/babel-traverse-interop.js).
    resolveAlias: { '@babel/traverse': './worker/babel-traverse-interop.js' },
  },
  reactStrictMode: true,
  // Keep `next dev` from writing agent instruction files into the repository, and builds from
  // stopping on upgrade reminders (these machines build offline).
  agentRules: false,
  experimental: {
    agentUpgrade: false,
  },
};

export default nextConfig;
