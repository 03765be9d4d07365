import { afterEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { databaseUrl, defaultDatabaseUrl, defaultSqlitePath } from './env';

const saved = process.env.DATABASE_URL;

afterEach(() => {
  if (saved === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = saved;
});

describe('databaseUrl', () => {
  it('defaults to <repo>/prisma/data/hydra.db, whatever the working directory', () => {
    delete process.env.DATABASE_URL;
    const expected = fileURLToPath(new URL('../data/hydra.db', import.meta.url));
    expect(defaultSqlitePath()).toBe(expected);
    expect(defaultDatabaseUrl()).toBe(`file:${expected}`);
    expect(databaseUrl()).toBe(`file:${expected}`);
  });

  it('prefers DATABASE_URL, then the caller’s fallback; blank counts as unset', () => {
    process.env.DATABASE_URL = '  postgresql://h/db ';
    expect(databaseUrl('file:/elsewhere.db')).toBe('postgresql://h/db');
    process.env.DATABASE_URL = '   ';
    expect(databaseUrl('file:/elsewhere.db')).toBe('file:/elsewhere.db');
  });
});
