// Lint rules for the whole monorepo. House rules that matter are enforced here, not by convention:
// - globalplatform and meter-sim stay browser-safe and framework-free;
// - domain code never reads time or randomness from globals (inject a clock and a random source);
// - process.env is read in one env module per app;
// - a party's secrets file is read only by that party's folder.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const domainGlobals = [
  { object: 'Date', property: 'now', message: 'Inject a clock instead of reading Date.now() in domain code.' },
  { object: 'Math', property: 'random', message: 'Inject a seeded PRNG or a secure random source.' },
  { object: 'crypto', property: 'getRandomValues', message: 'Inject a secure random source.' },
];

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
    },
  },
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
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Inject a clock instead of new Date() in domain code.' },
      ],
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
    files: ['**/env.ts', '**/env.mjs', 'scripts/**', '**/*.config.*', '**/test/**', '**/*.test.ts', 'e2e/**', 'prisma/scripts/**', 'prisma/*.ts', '**/bench/**', 'apps/cli/bin/**'],
    rules: {
      'no-restricted-properties': 'off',
    },
  },
  {
    files: ['**/*.test.ts', '**/test/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
