import { describe, expect, it } from 'vitest';
import { providerFor, sqlitePathFor } from './provider';

describe('providerFor', () => {
  it('maps file: to sqlite and postgres(ql):// to postgresql', () => {
    expect(providerFor('file:/tmp/x.db')).toBe('sqlite');
    expect(providerFor('file:./dev.db')).toBe('sqlite');
    expect(providerFor('postgres://u:p@h/db')).toBe('postgresql');
    expect(providerFor('postgresql://u:p@h:5432/db?schema=public')).toBe('postgresql');
  });

  it('refuses other schemes and garbage, naming what came', () => {
    expect(() => providerFor('mysql://h/db')).toThrow(new RangeError('database url: expected "file:<path>", "postgres://…" or "postgresql://…", got scheme mysql:'));
    expect(() => providerFor('')).toThrow(/got scheme \(none\)/);
    expect(() => providerFor('/tmp/x.db')).toThrow(RangeError);
    expect(() => providerFor('FILE:/tmp/x.db')).toThrow(RangeError);
    expect(() => providerFor(42 as unknown as string)).toThrow(new TypeError('database url: expected a string, got number'));
    expect(() => providerFor(undefined as unknown as string)).toThrow(TypeError);
  });
});

describe('sqlitePathFor', () => {
  it('strips the scheme as the better-sqlite3 adapter does', () => {
    expect(sqlitePathFor('file:/tmp/x.db')).toBe('/tmp/x.db');
    expect(sqlitePathFor('file::memory:')).toBe(':memory:');
  });

  it('refuses non-file URLs, empty paths and query strings', () => {
    expect(() => sqlitePathFor('postgres://h/db')).toThrow(RangeError);
    expect(() => sqlitePathFor('file:')).toThrow('database url: expected a path after "file:", got nothing');
    expect(() => sqlitePathFor('file:/tmp/x.db?mode=ro')).toThrow(/query parameters are not supported/);
  });
});
