// CLI-only PostgreSQL adapters for Prisma 6.19.3's JS schema engine (TOOLCHAIN.md, adapter bugs 1
// and 2). The application's runtime uses the stock `PrismaPg`; this file is loaded by
// `postgresql.config.ts` only.
//
// Bug 1 — prisma/orm issue 27403: `migrate deploy` reads catalog columns of type `name` (OID 19)
// and `"char"` (OID 18), which `@prisma/adapter-pg` cannot map ("Column type 'name' could not be
// deserialized"). pg already parses both as strings; a `pg.Client` subclass relabels those fields
// as `text` (OID 25) before the adapter looks at them.
//
// Bug 2 — shadow database: upstream `connectToShadowDb` spreads `{ ...config, database }`, but a
// `connectionString` wins over `database` in pg, so the "shadow" is the main database; and it
// drops the shadow database before ending the pool still connected to it. Here the shadow gets a
// unique name, its own connection string, and is dropped only after its pool is disposed.
import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';

const OID_CHAR = 18;
const OID_NAME = 19;
const OID_TEXT = 25;

type PgAdapter = Awaited<ReturnType<PrismaPg['connect']>>;

interface FieldsCarrier {
  fields?: { dataTypeID: number }[];
}

function relabel(result: unknown): unknown {
  const results = Array.isArray(result) ? result : [result];
  for (const each of results as FieldsCarrier[]) {
    for (const field of each?.fields ?? []) {
      if (field.dataTypeID === OID_NAME || field.dataTypeID === OID_CHAR) field.dataTypeID = OID_TEXT;
    }
  }
  return result;
}

/** A pg client whose results present `name` and `"char"` columns as `text`. */
export class CatalogTextClient extends pg.Client {
  // pg.Client#query has many overloads (promise, callback, submittable); wrap them all generically.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const last = args.at(-1);
    if (typeof last === 'function') {
      args[args.length - 1] = (error: unknown, result: unknown) =>
        (last as (e: unknown, r: unknown) => void)(error, error ? result : relabel(result));
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return (super.query as (...a: any[]) => any)(...args);
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const returned = (super.query as (...a: any[]) => any)(...args);
    if (returned && typeof (returned as Promise<unknown>).then === 'function') {
      return (returned as Promise<unknown>).then(relabel);
    }
    return returned;
  }
}

/**
 * The connection string of another database on the same server.
 *
 * @throws {RangeError} when `connectionString` is not a URL
 */
export function withDatabase(connectionString: string, database: string): string {
  const url = new URL(connectionString);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * `PrismaPg` for the Prisma CLI: catalog-safe client class (bug 1) and a correct shadow database
 * (bug 2).
 */
export class PrismaPgCli extends PrismaPg {
  readonly #connectionString: string;

  /**
   * @param connectionString - `postgres://…` URL of the main database; the role must be allowed to
   *   CREATE DATABASE for `migrate diff --from-migrations`.
   */
  constructor(connectionString: string) {
    super({ connectionString, Client: CatalogTextClient });
    this.#connectionString = connectionString;
  }

  override async connectToShadowDb(): Promise<PgAdapter> {
    const database = `prisma_shadow_${randomUUID().replaceAll('-', '')}`;
    const admin = new pg.Client({ connectionString: this.#connectionString });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${quoteIdent(database)}`);
    } catch (error) {
      await admin.end();
      throw error;
    }
    const shadow = new PrismaPg({ connectionString: withDatabase(this.#connectionString, database), Client: CatalogTextClient });
    const adapter = await shadow.connect();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      try {
        await dispose(); // ends the shadow pool first: PostgreSQL refuses to drop a database in use
        await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)}`);
      } finally {
        await admin.end();
      }
    };
    return adapter;
  }
}
