import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { openPrisma, type DatabaseKind, type Prisma } from "../../src/db/connection.js";
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

/** A Prisma client whose database cannot answer: a server nobody runs, or a SQLite file that went away. */
export function unreachableDatabase(kind: DatabaseKind): Prisma {
  if (kind === "postgresql") return openPrisma("postgresql://postgres@127.0.0.1:1/pantau");
  const dir = mkdtempSync(path.join(os.tmpdir(), "pantau-gone-"));
  const db = openPrisma(`file:${path.join(dir, "pantau.db")}`); // the client connects at its first query
  rmSync(dir, { recursive: true, force: true });
  return db;
}
