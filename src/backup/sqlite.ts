import Database from "better-sqlite3";
import { sqliteFile } from "../db/connection.js";
import { AppError } from "../domain/errors.js";
import {
  backupValue,
  dependencyOrder,
  migrationsTable,
  quoted,
  type BackupValue,
  type Column,
  type ColumnType,
  type Loader,
  type Snapshot,
  type Table,
} from "./tables.js";

/** How long a statement waits for another connection's lock (the bot's busy timeout too). */
const busyTimeoutMs = 10_000;

type Row = Record<string, unknown>;

/** A column's declared type as a backup carries it; anything else is refused, not guessed. */
function columnType(declared: string, where: string): ColumnType {
  const type = declared.toUpperCase();
  if (type === "INTEGER" || type === "INT") return "int";
  if (type === "BIGINT") return "bigint";
  if (type === "REAL" || type === "DOUBLE" || type === "DOUBLE PRECISION" || type === "FLOAT") return "float";
  if (type === "BOOLEAN") return "bool";
  if (type === "DATETIME" || type === "TIMESTAMP") return "datetime";
  if (type === "TEXT" || type.startsWith("VARCHAR")) return "text";
  throw new Error(`${where}: column type ${declared} cannot be backed up`);
}

/** The tables of a SQLite database, as its catalogue describes them. */
function readTables(db: Database.Database): Table[] {
  const tables = (
    db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> ?").all(migrationsTable) as Row[]
  ).map((row) => {
    const name = String(row.name);
    const info = db.pragma(`table_info(${quoted(name)})`) as Row[];
    const columns: Column[] = info.map((c) => ({ name: String(c.name), type: columnType(String(c.type), `${name}.${String(c.name)}`) }));
    const primaryKey = info
      .filter((c) => Number(c.pk) > 0)
      .sort((a, b) => Number(a.pk) - Number(b.pk))
      .map((c) => String(c.name));
    const references = [...new Set((db.pragma(`foreign_key_list(${quoted(name)})`) as Row[]).map((f) => String(f.table)))];
    // Only an INTEGER PRIMARY KEY declared AUTOINCREMENT keeps a counter (in sqlite_sequence).
    const counter = /AUTOINCREMENT/i.test(String(row.sql)) && primaryKey.length === 1 ? primaryKey[0]! : null;
    return { name, columns, primaryKey, references, counter };
  });
  return dependencyOrder(tables);
}

function readMigrations(db: Database.Database): string[] {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(migrationsTable);
  if (!exists) return [];
  const rows = db
    .prepare(`SELECT migration_name FROM ${quoted(migrationsTable)} WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`)
    .all() as Row[];
  return rows.map((r) => String(r.migration_name));
}

/**
 * A value as Pantau's SQLite database stores it: what Prisma's better-sqlite3 adapter writes
 * with its default settings (booleans 0/1, instants as ISO 8601 with "+00:00"), so that its
 * queries compare restored rows exactly like the rows it wrote itself.
 */
function storedValue(value: BackupValue, type: ColumnType): unknown {
  if (value === null) return null;
  switch (type) {
    case "int":
    case "float":
      return Number(value);
    case "bigint":
      return BigInt(value as string | number);
    case "bool":
      return value ? 1 : 0;
    case "datetime":
      return new Date(value as string).toISOString().replace("Z", "+00:00");
    case "text":
      return String(value);
  }
}

function open(url: string, readonly: boolean): Database.Database {
  const file = sqliteFile(url);
  try {
    const db = new Database(file, { readonly, fileMustExist: true, timeout: busyTimeoutMs });
    db.defaultSafeIntegers(true);
    return db;
  } catch (err) {
    if (err instanceof Error && /unable to open|does not exist/i.test(err.message)) throw new AppError("backup.no_database", { database: file });
    throw err;
  }
}

/**
 * A snapshot of a SQLite database: one read transaction on a connection of its own. In WAL
 * mode (which Pantau sets) a reader sees the database as of its first read and neither waits
 * for nor holds up the writer; the log just cannot be checkpointed past it until it ends.
 * Chosen over SQLite's online backup API, which starts over whenever another connection
 * writes (it might never finish while people report) and needs a second copy on disk.
 */
export function openSqliteSnapshot(url: string): Snapshot {
  const db = open(url, true);
  try {
    db.exec("BEGIN");
    const migrations = readMigrations(db);
    const tables = readTables(db);
    return {
      kind: "sqlite",
      migrations,
      tables,
      count: async (table) => Number((db.prepare(`SELECT COUNT(*) AS n FROM ${quoted(table.name)}`).get() as Row).n),
      async lastId(table) {
        if (!table.counter) return null;
        const row = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = ?").get(table.name) as Row | undefined;
        return row ? Number(row.seq) : null;
      },
      async *rows(table, pageSize) {
        // Pages by rowid (every Pantau table has one; for an INTEGER PRIMARY KEY it is the id):
        // each page is a short synchronous read, and the event loop (the bot's, in `pantau start`)
        // runs between pages.
        const page = db
          .prepare(`SELECT rowid, ${table.columns.map((c) => quoted(c.name)).join(", ")} FROM ${quoted(table.name)} WHERE rowid > ? ORDER BY rowid LIMIT ?`)
          .raw(true);
        let after: unknown = -1n;
        for (;;) {
          const rows = page.all(after, pageSize) as unknown[][];
          if (rows.length === 0) return;
          after = rows[rows.length - 1]![0];
          yield rows.map((row) => table.columns.map((c, i) => backupValue(row[i + 1], c.type, `${table.name}.${c.name}`)));
          await new Promise((resolve) => setImmediate(resolve));
        }
      },
      async close() {
        if (db.inTransaction) db.exec("ROLLBACK");
        db.close();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}

/** A loader into a SQLite database: one `BEGIN IMMEDIATE` transaction, foreign keys enforced. */
export function openSqliteLoader(url: string): Loader {
  const db = open(url, false);
  db.pragma("foreign_keys = ON");
  const tables = readTables(db);
  const inserts = new Map<string, Database.Statement>();
  return {
    kind: "sqlite",
    migrations: readMigrations(db),
    tables,
    async nonEmptyTables() {
      return tables.filter((t) => db.prepare(`SELECT 1 FROM ${quoted(t.name)} LIMIT 1`).get() !== undefined).map((t) => t.name);
    },
    async begin() {
      db.exec("BEGIN IMMEDIATE");
    },
    async clear(toClear) {
      for (const t of [...toClear].reverse()) db.exec(`DELETE FROM ${quoted(t.name)}`);
    },
    async insert(table, columns, rows) {
      const key = `${table.name}(${columns.map((c) => c.name).join(",")})`;
      let insert = inserts.get(key);
      if (!insert) {
        insert = db.prepare(
          `INSERT INTO ${quoted(table.name)} (${columns.map((c) => quoted(c.name)).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
        );
        inserts.set(key, insert);
      }
      for (const row of rows) insert.run(row.map((value, i) => storedValue(value, columns[i]!.type)));
    },
    count: async (table) => Number((db.prepare(`SELECT COUNT(*) AS n FROM ${quoted(table.name)}`).get() as Row).n),
    async foreignKeyProblems() {
      return (db.pragma("foreign_key_check") as Row[]).map((p) => `${String(p.table)} rowid ${String(p.rowid)} → ${String(p.parent)}`);
    },
    async advanceCounter(table, lastId) {
      if (!table.counter) return;
      const max = Number((db.prepare(`SELECT MAX(${quoted(table.counter)}) AS m FROM ${quoted(table.name)}`).get() as Row).m ?? 0);
      const next = Math.max(max, lastId ?? 0);
      if (next === 0) return;
      const updated = db.prepare("UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = ?").run(next, table.name);
      if (updated.changes === 0) db.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)").run(table.name, next);
    },
    async commit() {
      db.exec("COMMIT");
    },
    async rollback() {
      if (db.inTransaction) db.exec("ROLLBACK");
    },
    async close() {
      db.close();
    },
  };
}
