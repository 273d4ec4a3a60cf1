import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient } from "./generated/sqlite/client.js";
import { PrismaClient as PgPrismaClient } from "./generated/postgresql/client.js";

export type DatabaseKind = "sqlite" | "postgresql";

/** The Prisma client type shared by both providers (their generated APIs are the same). */
export type Prisma = PrismaClient;

/** Which provider a DATABASE_URL names. */
export function databaseKind(url: string): DatabaseKind {
  if (url.startsWith("file:")) return "sqlite";
  if (url.startsWith("postgresql://") || url.startsWith("postgres://")) return "postgresql";
  throw new Error("DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL)");
}

/** The file of a SQLite URL, resolved against the working directory. */
export function sqliteFile(url: string): string {
  return path.resolve(url.slice("file:".length).split("?")[0]!);
}

/** How long SQLite waits for a lock before failing with SQLITE_BUSY. */
const sqliteBusyTimeoutMs = 10_000;

/**
 * A pg client that reports PostgreSQL's internal one-byte "char" type (OID 18, used in the
 * system catalogues) as text: the pg driver adapter rejects it, and the schema engine reads
 * such columns when it describes a database (diff).
 */
class CatalogReadingClient extends pg.Client {
  override query(...args: unknown[]): never {
    const patch = (res: pg.QueryResult | undefined) => {
      for (const field of res?.fields ?? []) if (field.dataTypeID === 18) field.dataTypeID = 25;
      return res;
    };
    const last = args.length - 1;
    if (typeof args[last] === "function") {
      const callback = args[last] as (err: Error | null, res?: pg.QueryResult) => void;
      args[last] = (err: Error | null, res?: pg.QueryResult) => callback(err, patch(res));
    }
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    return (result instanceof Promise ? result.then(patch) : result) as never;
  }
}

/**
 * The driver adapter for a DATABASE_URL. `forSchemaEngine` adapts it to the catalogue queries
 * of the schema engine.
 */
export function createAdapterFactory(url: string, forSchemaEngine = false): SqlMigrationAwareDriverAdapterFactory {
  if (databaseKind(url) === "sqlite") {
    prepareSqlite(url);
    return new PrismaBetterSqlite3({ url: sqliteFile(url), timeout: sqliteBusyTimeoutMs });
  }
  const parsed = new URL(url);
  const schema = parsed.searchParams.get("schema") ?? undefined;
  parsed.searchParams.delete("schema");
  // The pool has no connection timeout by default: a dead server would hang every query.
  return new PrismaPg(
    {
      connectionString: parsed.toString(),
      max: 10,
      connectionTimeoutMillis: 10_000,
      ...(forSchemaEngine ? { Client: CatalogReadingClient as unknown as pg.PoolConfig["Client"] } : {}),
    },
    schema ? { schema } : undefined,
  );
}

/**
 * Prepares a SQLite file for use: creates its directory and turns on write-ahead logging
 * (the adapter does not), which lets readers proceed while the one writer writes.
 */
function prepareSqlite(url: string): void {
  const file = sqliteFile(url);
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, { timeout: sqliteBusyTimeoutMs });
  try {
    // Switching needs the file to itself; once set, WAL mode persists in the file.
    if (db.pragma("journal_mode", { simple: true }) !== "wal") db.pragma("journal_mode = WAL");
  } finally {
    db.close();
  }
}

/** Opens the Prisma client for a DATABASE_URL (migrations are applied separately). */
export function openPrisma(url: string): Prisma {
  if (databaseKind(url) === "sqlite") return new PrismaClient({ adapter: createAdapterFactory(url) });
  return new PgPrismaClient({ adapter: createAdapterFactory(url) }) as unknown as Prisma;
}
