import pg from "pg";
import type { DatabaseKind } from "../../src/db/connection.js";
import { postgresAdminUrl } from "../../src/db/scratch-database.js";

/**
 * The database kinds a test file runs on. PostgreSQL is always tried; outside CI a machine
 * without it skips those runs with a warning, in CI (CI=true) they fail.
 */
export async function databaseKinds(): Promise<DatabaseKind[]> {
  if (process.env.CI === "true" || (await postgresReachable())) return ["sqlite", "postgresql"];
  console.warn(`PostgreSQL is not reachable at ${postgresAdminUrl}: its tests are skipped here (in CI they fail).`);
  return ["sqlite"];
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
