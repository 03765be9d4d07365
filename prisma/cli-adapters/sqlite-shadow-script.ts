// CLI-only SQLite adapter for Prisma 6.19.3's JS schema engine (TOOLCHAIN.md, adapter bug 3).
// When `migrate diff --from-migrations` replays a whole `migration.sql` on the shadow database it
// hands the file to `executeRaw`/`queryRaw` as one parameterless query; better-sqlite3 can only
// `prepare` a single statement, throws "The supplied SQL string contains more than one statement",
// and Prisma reports P3006 "External error". On the shadow connection only, such a query is run
// with `executeScript` (better-sqlite3 `exec`) instead. The application's runtime uses the stock
// adapter; this file is loaded by `sqlite.config.ts` only.
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';

type ShadowAdapter = Awaited<ReturnType<PrismaBetterSQLite3['connectToShadowDb']>>;
type Query = Parameters<ShadowAdapter['executeRaw']>[0];

const multiStatement = /more than one statement/i;

function isMultiStatementError(error: unknown): boolean {
  return error instanceof Error && multiStatement.test(error.message);
}

/**
 * `PrismaBetterSQLite3` whose shadow connection runs a multi-statement, parameterless query as a
 * script. Anything else — the main connection, single statements, queries with parameters — goes
 * through the stock code unchanged.
 */
export class PrismaBetterSQLite3Cli extends PrismaBetterSQLite3 {
  override async connectToShadowDb(): Promise<ShadowAdapter> {
    const adapter = await super.connectToShadowDb();
    const executeRaw = adapter.executeRaw.bind(adapter);
    const queryRaw = adapter.queryRaw.bind(adapter);
    const runAsScript = async (query: Query): Promise<boolean> => {
      if (query.args.length > 0) return false;
      await adapter.executeScript(query.sql);
      return true;
    };
    adapter.executeRaw = async (query) => {
      try {
        return await executeRaw(query);
      } catch (error) {
        // prepare() failed before running anything, so replaying the script cannot double-apply.
        if (isMultiStatementError(error) && (await runAsScript(query))) return 0;
        throw error;
      }
    };
    adapter.queryRaw = async (query) => {
      try {
        return await queryRaw(query);
      } catch (error) {
        if (isMultiStatementError(error) && (await runAsScript(query))) {
          return { columnNames: [], columnTypes: [], rows: [] };
        }
        throw error;
      }
    };
    return adapter;
  }
}
