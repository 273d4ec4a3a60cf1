import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  type ConnectionInfo,
  DriverAdapterError,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type Transaction,
} from "@prisma/driver-adapter-utils";
import { PrismaClient } from "./generated/sqlite/client.js";
import { PrismaClient as PgPrismaClient } from "./generated/postgresql/client.js";

export type DatabaseKind = "sqlite" | "postgresql";

/** The Prisma client type shared by both providers (their generated APIs are the same). */
export type Prisma = PrismaClient;

/** The values of an `IN (…)` in a raw query (`$executeRaw`), each bound as a parameter. */
export { join as sqlList } from "./generated/sqlite/internal/prismaNamespace.js";

/** A part of a raw query, its values bound as parameters, for one written once and used in several. */
export { sql as sqlPart } from "./generated/sqlite/internal/prismaNamespace.js";

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

/**
 * How long a PostgreSQL query or transaction waits for a pooled connection (Prisma's own
 * transaction default, 2 s, failed people in a burst: 150 opening one invite link at once).
 */
const postgresConnectionWaitMs = 10_000;

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
    return new OneAtATimeSqlite(new PrismaBetterSqlite3({ url: sqliteFile(url), timeout: sqliteBusyTimeoutMs }));
  }
  const { connectionString, schema } = postgresTarget(url);
  // The pool has no connection timeout by default: a dead server would hang every query.
  const factory = new PrismaPg(
    {
      connectionString,
      max: 10,
      connectionTimeoutMillis: postgresConnectionWaitMs,
      ...(forSchemaEngine ? { Client: CatalogReadingClient as unknown as pg.PoolConfig["Client"] } : {}),
    },
    schema ? { schema } : undefined,
  );
  return forSchemaEngine ? wholeScripts(factory) : factory;
}

/** What the pg driver adapter keeps of its connection: its pool, and how it reports a driver error. */
type PgAdapterInside = SqlDriverAdapter & { client: pg.Pool; onError(error: unknown): never };

/**
 * The pg driver adapter runs a script statement by statement, cut at every ";", which cuts a
 * trigger function's body (PL/pgSQL between $$) apart. PostgreSQL takes a whole script as one
 * simple query, as `prisma migrate deploy` sends a migration: so it goes here.
 */
function wholeScripts(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  const whole = (adapter: SqlDriverAdapter) => {
    const inside = adapter as PgAdapterInside;
    adapter.executeScript = async (script) => {
      try {
        await inside.client.query(script);
      } catch (error) {
        inside.onError(error);
      }
    };
    return adapter;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => whole(await factory.connect()),
    connectToShadowDb: async () => whole(await factory.connectToShadowDb()),
  };
}

/** A PostgreSQL URL as the pg driver takes it, and the schema its `?schema=` names (Prisma's convention). */
export function postgresTarget(url: string): { connectionString: string; schema?: string } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get("schema") ?? undefined;
  parsed.searchParams.delete("schema");
  return { connectionString: parsed.toString(), schema };
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

/**
 * Serialises everything on the one connection of Prisma's better-sqlite3 adapter. That adapter
 * locks only against other transactions: a plain query issued while a transaction was open ran
 * inside it (lost with its rollback, and seeing its uncommitted writes). Here a transaction holds
 * the connection from BEGIN to COMMIT or ROLLBACK and every other statement waits its turn.
 */
class OneAtATimeSqlite implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "sqlite";
  readonly adapterName: string;

  constructor(private readonly factory: SqlMigrationAwareDriverAdapterFactory) {
    this.adapterName = factory.adapterName;
  }

  async connect(): Promise<SqlDriverAdapter> {
    return new OneAtATimeConnection(() => this.factory.connect(), await this.factory.connect());
  }

  /** A shadow database may live in memory only: it is never reopened (it would come back empty). */
  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    return new OneAtATimeConnection(null, await this.factory.connectToShadowDb());
  }
}

/** A first come, first served lock: `take` resolves with its release once all earlier takers released. */
class Turns {
  private last = Promise.resolve();

  take(): Promise<() => void> {
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const ready = this.last.then(() => release);
    this.last = done;
    return ready;
  }
}

const statement = (sql: string): SqlQuery => ({ sql, args: [], argTypes: [] });

/**
 * Statements run on one SQLite connection before it is closed and opened again. The adapter
 * prepares a statement for every query, and better-sqlite3 frees a statement's native memory
 * (about 12 kB) only when its connection closes, not when the statement is collected: without
 * this, `pantau start` grew by about 300 MB over a reminder pass of 14,000 messages.
 */
export const sqliteStatementsPerConnection = 2_000;

class OneAtATimeConnection implements SqlDriverAdapter {
  readonly provider = "sqlite";
  readonly adapterName: string;
  readonly getConnectionInfo?: () => ConnectionInfo;
  private readonly turns = new Turns();
  private statements = 0;
  private disposed = false;

  constructor(
    private readonly reopen: (() => Promise<SqlDriverAdapter>) | null,
    private connection: SqlDriverAdapter,
  ) {
    this.adapterName = connection.adapterName;
    this.getConnectionInfo = connection.getConnectionInfo?.bind(connection);
  }

  /**
   * Waits for the connection; between turns, nothing open on it, replaces a well-used one. When
   * the new one cannot be opened (no file descriptor left, say), the used one serves on and the
   * next try comes after another share of statements.
   */
  private async turn(): Promise<() => void> {
    const release = await this.turns.take();
    if (this.reopen && !this.disposed && this.statements >= sqliteStatementsPerConnection) {
      this.statements = 0;
      const fresh = await this.reopen().catch(() => null);
      // Disposed meanwhile (the app stopping): the new connection is closed, not installed.
      if (fresh && this.disposed) await fresh.dispose().catch(() => undefined);
      else if (fresh) {
        const used = this.connection;
        this.connection = fresh;
        await used.dispose().catch(() => undefined);
      }
    }
    return release;
  }

  private readonly counted = () => {
    this.statements += 1;
  };

  private async inTurn<T>(work: (connection: SqlDriverAdapter) => Promise<T>): Promise<T> {
    const release = await this.turn();
    try {
      this.counted();
      return await work(this.connection);
    } finally {
      release();
    }
  }

  queryRaw(query: SqlQuery) {
    return this.inTurn((c) => c.queryRaw(query));
  }

  executeRaw(query: SqlQuery) {
    return this.inTurn((c) => c.executeRaw(query));
  }

  executeScript(script: string) {
    return this.inTurn((c) => c.executeScript(script));
  }

  /**
   * BEGIN IMMEDIATE takes SQLite's write lock at once (waiting out another process's write, up to
   * the busy timeout): a deferred transaction that read first would fail with SQLITE_BUSY when
   * another process (the CLI, a shell) committed before its first write.
   */
  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    if (isolationLevel && isolationLevel !== "SERIALIZABLE") throw new DriverAdapterError({ kind: "InvalidIsolationLevel", level: isolationLevel });
    const release = await this.turn();
    try {
      this.counted();
      await this.connection.executeRaw(statement("BEGIN IMMEDIATE"));
    } catch (err) {
      release();
      throw err;
    }
    return new SqliteTransaction(this.connection, release, this.counted);
  }

  dispose() {
    this.disposed = true;
    return this.connection.dispose();
  }
}

/** Prisma sends COMMIT and ROLLBACK through executeRaw, then calls commit() or rollback(). */
class SqliteTransaction implements Transaction {
  readonly provider = "sqlite";
  readonly adapterName: string;
  readonly options = { usePhantomQuery: false };
  private open = true;

  constructor(
    private readonly connection: SqlDriverAdapter,
    private readonly release: () => void,
    private readonly counted: () => void,
  ) {
    this.adapterName = connection.adapterName;
  }

  queryRaw(query: SqlQuery) {
    this.counted();
    return this.connection.queryRaw(query);
  }

  async executeRaw(query: SqlQuery) {
    this.counted();
    const changed = await this.connection.executeRaw(query);
    if (/^(COMMIT|ROLLBACK)$/i.test(query.sql.trim())) this.open = false;
    return changed;
  }

  async commit() {
    this.release();
  }

  /**
   * After a failed COMMIT Prisma calls this without sending ROLLBACK (prisma#29933): the
   * connection would stay inside the failed transaction, and every later write would go into it
   * and never be committed.
   */
  async rollback() {
    try {
      if (this.open) await this.connection.executeRaw(statement("ROLLBACK")).catch(() => undefined);
    } finally {
      this.open = false;
      this.release();
    }
  }

  async createSavepoint(name: string) {
    await this.executeRaw(statement(`SAVEPOINT ${name}`));
  }

  async rollbackToSavepoint(name: string) {
    await this.executeRaw(statement(`ROLLBACK TO ${name}`));
  }

  async releaseSavepoint(name: string) {
    await this.executeRaw(statement(`RELEASE SAVEPOINT ${name}`));
  }
}

/**
 * How long a transaction may wait for its turn on SQLite: behind the longest transaction (a
 * large import), not Prisma's default 2 s.
 */
const sqliteTransactionMaxWaitMs = 60_000;

/** Opens the Prisma client for a DATABASE_URL (migrations are applied separately). */
export function openPrisma(url: string): Prisma {
  if (databaseKind(url) === "sqlite") {
    return new PrismaClient({ adapter: createAdapterFactory(url), transactionOptions: { maxWait: sqliteTransactionMaxWaitMs } });
  }
  return new PgPrismaClient({ adapter: createAdapterFactory(url), transactionOptions: { maxWait: postgresConnectionWaitMs } }) as unknown as Prisma;
}
