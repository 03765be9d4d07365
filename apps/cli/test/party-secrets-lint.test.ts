// DESIGN.md Decision 8, enforced rather than followed: only a party's own module in the CLI
// (`src/parties/<party>.ts`) may name that party's secrets — not another party's module, not the
// env module, not the run. Runs the repository's ESLint configuration on code placed at those paths.
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

describe('lint: each party’s secrets only in its own CLI module', () => {
  let eslint: ESLint;
  beforeAll(() => {
    eslint = new ESLint({ cwd: repoRoot });
  });
  const refusals = async (code: string, file: string) => {
    const [result] = await eslint.lintText(code, { filePath: `${repoRoot}${file}` });
    return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-syntax').map((message) => message.message);
  };
  const reads = (name: string) => `import { readSecret } from '../env';\nexport const kek = () => readSecret('${name}', /^[0-9a-f]{64}$/i, 'hex');\n`;

  it('lets each party’s module read its own key-encryption key', async () => {
    for (const party of ['supplier', 'dno', 'telecare']) {
      expect(await refusals(reads(`HYDRA_${party.toUpperCase()}_KEK`), `apps/cli/src/parties/${party}.ts`)).toEqual([]);
    }
  });

  it('refuses a party’s secret in another party’s module, in the env module and in the run, in every spelling', async () => {
    const dno = 'HYDRA_DNO_* secrets are read only in apps/web/lib/server/parties/dno.ts / apps/cli/src/parties/dno.ts (DESIGN.md Decision 8).';
    expect(await refusals(reads('HYDRA_DNO_KEK'), 'apps/cli/src/parties/telecare.ts')).toEqual([dno]);
    expect(await refusals(reads('HYDRA_DNO_KEK'), 'apps/cli/src/run-world.ts')).toEqual([dno]);
    expect(await refusals('export const kek = process.env.HYDRA_SUPPLIER_KEK;\n', 'apps/cli/src/env.ts')).toEqual([
      'HYDRA_SUPPLIER_* secrets are read only in apps/web/lib/server/parties/supplier.ts / apps/cli/src/parties/supplier.ts (DESIGN.md Decision 8).',
    ]);
    expect(await refusals("const part = 'KEK';\nexport const name = `HYDRA_TELECARE_${part}`;\n", 'apps/cli/src/main.ts')).toHaveLength(1);
    expect(await refusals('export const secrets = { HYDRA_TELECARE_KEK: 1 };\n', 'apps/cli/src/in-process-world.ts')).toHaveLength(1);
    // The CLI hosts the relay in-process: it has no module for the DCC's credential.
    expect(await refusals(reads('HYDRA_DCC_TOKEN'), 'apps/cli/src/parties/dno.ts')).toHaveLength(1);
  });
});
