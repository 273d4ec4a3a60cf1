import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { DatabaseKind } from "./connection.js";

/** A throwaway database for tests and for computing the next migration. */
export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** PostgreSQL server used for scratch databases: the machine's own, unless told otherwise. */
export const postgresAdminUrl = process.env.PANTAU_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/**
 * Creates an empty database: a SQLite file in a temporary directory, or a new database on the
 * PostgreSQL server at `postgresAdminUrl`.
 */
export async function createScratchDatabase(kind: DatabaseKind): Promise<ScratchDatabase> {
  if (kind === "sqlite") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "pantau-"));
    return { url: `file:${path.join(dir, "pantau.db")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `pantau_scratch_${randomBytes(6).toString("hex")}`;
  await withAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
