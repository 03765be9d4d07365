// Lint rules for the whole monorepo. House rules that matter are enforced here, not by convention:
// - globalplatform and meter-sim stay browser-safe and framework-free;
// - domain code never reads time or randomness from globals (inject a clock and a random source);
// - process.env is read in one env module per app;
// - a party's secrets (HYDRA_<PARTY>_*) are named only in that party's own module.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const domainGlobals = [
  { object: 'Date', property: 'now', message: 'Inject a clock instead of reading Date.now() in domain code.' },
  { object: 'Math', property: 'random', message: 'Inject a seeded PRNG or a secure random source.' },
  { object: 'crypto', property: 'getRandomValues', message: 'Inject a secure random source.' },
];

// DESIGN.md Decision 8: a party's secrets (HYDRA_<PARTY>_TOKEN, HYDRA_<PARTY>_KEK) are named only
// in that party's own module — one per app: the web server's `lib/server/parties/<party>.ts` and
// the CLI's `src/parties/<party>.ts`. Names appear as string literals, template text or property
// keys (`process.env.HYDRA_SUPPLIER_KEK`); each form is refused elsewhere. Each app reads a secret
// through its env module's `readSecret(name)`, which names none.
const partySecrets = ['DCC', 'SUPPLIER', 'DNO', 'TELECARE'];
const partyModules = (party) => [`apps/web/lib/server/parties/${party}.ts`, `apps/cli/src/parties/${party}.ts`];
const secretOwner = {
  // The CLI hosts the relay in-process: no DCC credential there.
  DCC: ['apps/web/lib/server/parties/dcc.ts'],
  SUPPLIER: partyModules('supplier'),
  DNO: partyModules('dno'),
  TELECARE: partyModules('telecare'),
};
const secretSelectors = (allowed = []) =>
  partySecrets
    .filter((party) => !allowed.includes(party))
    .flatMap((party) => {
      const message = `HYDRA_${party}_* secrets are read only in ${secretOwner[party].join(' / ')} (DESIGN.md Decision 8).`;
      return [
        { selector: `Literal[value=/^HYDRA_${party}_/]`, message },
        { selector: `TemplateElement[value.raw=/HYDRA_${party}_/]`, message },
        { selector: `MemberExpression > Identifier.property[name=/^HYDRA_${party}_/]`, message },
        { selector: `Property > Identifier.key[name=/^HYDRA_${party}_/]`, message },
      ];
    });
const domainSyntax = [{ selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Inject a clock instead of new Date() in domain code.' }];
// Set-up writes every party's secrets; tests and scripts create throwaway ones.
const secretFreeZones = ['scripts/**', 'e2e/**', '**/*.test.ts', '**/test/**', '**/test-http/**', '**/bench/**', '**/*.config.*'];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/.next/**',
      '**/dist/**',
      '**/.turbo/**',
      'prisma/generated/**',
      'apps/web/next-env.d.ts',
      'e2e/test-results/**',
      'e2e/playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node, ...globals.browser },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read env in the app\'s env module only.' }],
      'no-restricted-syntax': ['error', ...secretSelectors()],
    },
  },
  ...partySecrets.map((party) => ({ files: secretOwner[party], rules: { 'no-restricted-syntax': ['error', ...secretSelectors([party])] } })),
  { files: secretFreeZones, rules: { 'no-restricted-syntax': 'off' } },
  {
    files: ['packages/globalplatform/src/**', 'packages/meter-sim/src/**', 'packages/meter-sim/applets/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(react|next|@prisma|node:|fs$|path$|crypto$|better-sqlite3|pg$)', message: 'globalplatform and meter-sim must stay browser-safe and framework-free.' },
          ],
        },
      ],
      'no-restricted-properties': ['error', ...domainGlobals],
      'no-restricted-syntax': ['error', ...domainSyntax, ...secretSelectors()],
    },
  },
  {
    files: ['packages/dcc/src/**', 'packages/suppliers/src/**'],
    rules: {
      'no-restricted-properties': ['error', ...domainGlobals, { object: 'process', property: 'env', message: 'Read env in the app\'s env module only.' }],
    },
  },
  {
    // The one place each app reads its environment, plus scripts and tests that set it up.
    files: ['**/env.ts', '**/env.mjs', 'scripts/**', '**/*.config.*', '**/test/**', '**/test-http/**', '**/*.test.ts', 'e2e/**', 'prisma/scripts/**', 'prisma/*.ts', '**/bench/**', 'apps/cli/bin/**'],
    rules: {
      'no-restricted-properties': 'off',
    },
  },
  {
    files: ['**/*.test.ts', '**/test/**', '**/test-http/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
