import type { DatabaseKind } from "../db/connection.js";

// What a backup needs to know of a database, read from its own catalogue rather than from the
// Prisma schema: a table added by a later migration is backed up without a change here, and a
// column type this file cannot carry faithfully stops the backup instead of being mangled.

/** Column types a backup carries; a value's form in the file follows from it (see `BackupValue`). */
export const columnTypes = ["int", "bigint", "float", "bool", "datetime", "text"] as const;
export type ColumnType = (typeof columnTypes)[number];

/**
 * A value as a backup file holds it, the same from SQLite and PostgreSQL: a bigint as its
 * decimal string (JSON numbers lose digits past 2^53), an instant as ISO 8601 in UTC.
 */
export type BackupValue = number | string | boolean | null;

export interface Column {
  name: string;
  type: ColumnType;
}

export interface Table {
  name: string;
  columns: Column[];
  /** Its primary key's columns, in key order (rows are read in this order). */
  primaryKey: string[];
  /** The tables its foreign keys point to. */
  references: string[];
  /** The column whose ids a counter hands out (autoincrement, serial), if any. */
  counter: string | null;
}

/** One table's share of a backup. */
export interface TableSummary {
  name: string;
  rows: number;
}

/** A consistent read of a whole database: every call sees the database as it was at the first. */
export interface Snapshot {
  readonly kind: DatabaseKind;
  /** Names of the migrations applied, sorted; the last is the schema version. */
  readonly migrations: string[];
  /** Every table but the migration bookkeeping, referenced tables before those that reference them. */
  readonly tables: Table[];
  count(table: Table): Promise<number>;
  /** The last id the table's counter handed out (above the largest id when rows were deleted). */
  lastId(table: Table): Promise<number | null>;
  /** The table's rows in pages, values in `table.columns` order. */
  rows(table: Table, pageSize: number): AsyncGenerator<BackupValue[][]>;
  close(): Promise<void>;
}

/** Writes a backup's rows into a database, all in one transaction. */
export interface Loader {
  readonly kind: DatabaseKind;
  readonly migrations: string[];
  readonly tables: Table[];
  /** Tables holding at least one row. */
  nonEmptyTables(): Promise<string[]>;
  begin(): Promise<void>;
  /** Deletes every row of these tables. */
  clear(tables: Table[]): Promise<void>;
  /** Inserts rows whose values follow `columns`. */
  insert(table: Table, columns: Column[], rows: BackupValue[][]): Promise<void>;
  count(table: Table): Promise<number>;
  /** Rows whose foreign key points nowhere, described for a message; none on a sound database. */
  foreignKeyProblems(): Promise<string[]>;
  /** Moves the table's counter past its largest id and past `lastId`, so new rows get new ids. */
  advanceCounter(table: Table, lastId: number | null): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  close(): Promise<void>;
}

/** The migration bookkeeping table, which a backup records by name instead of copying. */
export const migrationsTable = "_prisma_migrations";

/**
 * Orders tables so that each comes after the tables it references (alphabetical among equals):
 * rows inserted in this order satisfy their foreign keys at once. A reference cycle has no such
 * order and is refused (Pantau's schema has none; a self-reference is allowed).
 */
export function dependencyOrder(tables: Table[]): Table[] {
  const pending = new Map(tables.map((t) => [t.name, t]));
  const ordered: Table[] = [];
  while (pending.size > 0) {
    const ready = [...pending.values()].filter((t) => t.references.every((r) => r === t.name || !pending.has(r))).sort((a, b) => (a.name < b.name ? -1 : 1));
    if (ready.length === 0) throw new Error(`foreign keys form a cycle among ${[...pending.keys()].join(", ")}`);
    for (const t of ready) {
      ordered.push(t);
      pending.delete(t.name);
    }
  }
  return ordered;
}

/**
 * An instant read from a database as ISO 8601 UTC. Accepts what Prisma writes (ISO with an
 * offset; milliseconds since the epoch) and what a SQL default writes (a UTC "YYYY-MM-DD HH:MM:SS").
 */
export function instantToIso(value: unknown, where: string): string {
  let date: Date;
  if (typeof value === "number" || typeof value === "bigint") date = new Date(Number(value));
  else if (typeof value === "string") date = new Date(/^\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(value) ? `${value.replace(" ", "T")}Z` : value);
  else date = new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new Error(`${where}: ${String(value)} is not a date and time`);
  return date.toISOString();
}

/**
 * A value read from either database as a backup carries it: integers may arrive as bigint or
 * string (SQLite with safe integers on, pg for int8), booleans as 0/1 (SQLite).
 */
export function backupValue(value: unknown, type: ColumnType, where: string): BackupValue {
  if (value === null || value === undefined) return null;
  switch (type) {
    case "int":
    case "float":
      return Number(value);
    case "bigint":
      return String(value);
    case "bool":
      return Number(value) !== 0;
    case "datetime":
      return instantToIso(value, where);
    case "text":
      return String(value);
  }
}

/** A double-quoted SQL identifier (both databases). */
export const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
