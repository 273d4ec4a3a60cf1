import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import { databaseKind, openPrisma, sqliteFile } from "../db/connection.js";
import { applyMigrations, readMigrations } from "../db/schema-engine.js";
import { AppError } from "../domain/errors.js";
import { audit, type AuditActor } from "../services/audit.js";
import { backupDatabase, openLoader, totalRows, type BackupSummary } from "./backup.js";
import { backupLines, freeBackupPath, readBackupHeader, type BackupHeader } from "./format.js";
import type { BackupValue, Column, Loader, Table, TableSummary } from "./tables.js";

/** Rows inserted at a time. */
const batchSize = 1000;

export interface RestoreOptions {
  /** Replace a database that holds rows (after a safety backup of it); otherwise it is refused. */
  replace: boolean;
  /** Where the safety backup goes, and the scratch work of upgrading an older backup. */
  workDir: string;
  now: Date;
  /** Who restores. */
  actor: AuditActor;
  /** Told as soon as the safety backup is written, before anything is replaced. */
  onSafetyBackup?: (backup: BackupSummary) => void;
}

export interface RestoreSummary {
  header: BackupHeader;
  /** The schema version the backup was brought to first, when it was older than this Pantau's. */
  upgradedTo: string | null;
  safetyBackup: string | null;
  tables: TableSummary[];
}

/**
 * Restores a backup into the database at `url`, SQLite or PostgreSQL whatever the backup came
 * from. Refuses a backup made by a newer schema, and a database that holds rows unless
 * `replace` (then a safety backup of it comes first). The target is migrated, then every row goes
 * in within one transaction that also checks each table's count and every foreign key: a failure
 * at any point (a cut file, a damaged row) rolls it all back, leaving the target's rows as they
 * were. A backup from an older schema is first restored into a scratch SQLite file and migrated
 * there, exactly as an upgrade migrates a live database, then restored from that.
 */
export async function restoreDatabase(url: string, file: string, options: RestoreOptions): Promise<RestoreSummary> {
  const header = await readBackupHeader(file);
  const known = (await readMigrations(databaseKind(url))).migrationDirectories.map((d) => d.path);
  if (header.migrations.some((m) => !known.includes(m))) {
    throw new AppError("backup.newer_schema", { schema: header.schemaVersion, version: header.pantauVersion, current: known.at(-1) ?? "" });
  }
  const target = await inspect(url);
  const targetUnknown = target.migrations.filter((m) => !known.includes(m));
  if (targetUnknown.length) throw new AppError("backup.target_newer", { schema: targetUnknown.at(-1)! });
  if (target.nonEmpty.length && !options.replace) throw new AppError("backup.target_not_empty", { tables: target.nonEmpty.join(", ") });

  await mkdir(options.workDir, { recursive: true });
  const older = known.some((m) => !header.migrations.includes(m));
  const work = older ? await mkdtemp(path.join(options.workDir, ".pantau-restore-")) : null;
  try {
    const source = work ? await upgrade(file, header, work) : { file, header };
    let safetyBackup: string | null = null;
    if (target.nonEmpty.length) {
      const safety = await backupDatabase(url, freeBackupPath(options.workDir, "before-restore", options.now), options.now);
      options.onSafetyBackup?.(safety);
      safetyBackup = safety.file;
    }
    await applyMigrations(url);
    const tables = await load(url, source.file, source.header, options.replace);
    const db = openPrisma(url);
    try {
      await audit(db, {
        actor: options.actor,
        action: "database.restore",
        entity: "database",
        entityId: null,
        targetName: path.basename(file),
        detail: {
          file: path.resolve(file),
          createdAt: header.createdAt,
          from: header.database,
          schemaVersion: header.schemaVersion,
          rows: totalRows(header),
          safetyBackup,
        },
        at: options.now,
      });
    } finally {
      await db.$disconnect();
    }
    return { header, upgradedTo: work ? known.at(-1)! : null, safetyBackup, tables };
  } finally {
    if (work) await rm(work, { recursive: true, force: true });
  }
}

/** The migrations a database has and its tables holding rows, without creating or changing anything. */
async function inspect(url: string): Promise<{ migrations: string[]; nonEmpty: string[] }> {
  if (databaseKind(url) === "sqlite" && !existsSync(sqliteFile(url))) return { migrations: [], nonEmpty: [] };
  const loader = await openLoader(url);
  try {
    return { migrations: loader.migrations, nonEmpty: await loader.nonEmptyTables() };
  } finally {
    await loader.close();
  }
}

/** Brings an older backup to this Pantau's schema through a scratch SQLite file in `work`. */
async function upgrade(file: string, header: BackupHeader, work: string): Promise<{ file: string; header: BackupHeader }> {
  const url = `file:${path.join(work, "upgrade.db")}`;
  await applyMigrations(url, header.migrations);
  await load(url, file, header, false);
  await applyMigrations(url);
  const upgraded = await backupDatabase(url, path.join(work, "upgraded.jsonl.gz"), new Date(header.createdAt));
  return upgraded;
}

/** Loads a backup into a migrated database in one transaction, checked before it commits. */
async function load(url: string, file: string, header: BackupHeader, clear: boolean): Promise<TableSummary[]> {
  const loader = await openLoader(url);
  try {
    const tables = matchTables(loader, header);
    await loader.begin();
    try {
      if (clear) await loader.clear(loader.tables);
      await insertRows(loader, file, header, tables);
      for (const [i, t] of header.tables.entries()) {
        const actual = await loader.count(tables[i]!.table);
        if (actual !== t.rows) throw new AppError("backup.count_mismatch", { table: t.name, expected: t.rows, actual });
      }
      const problems = await loader.foreignKeyProblems();
      if (problems.length) throw new AppError("backup.foreign_keys", { problems: problems.slice(0, 5).join("; "), count: problems.length });
      for (const [i, t] of header.tables.entries()) await loader.advanceCounter(tables[i]!.table, t.lastId);
      await loader.commit();
    } catch (err) {
      await loader.rollback();
      throw explain(err, file);
    }
    return header.tables.map((t) => ({ name: t.name, rows: t.rows }));
  } finally {
    await loader.close();
  }
}

/**
 * The target's table for each of the backup's, with the backup's columns. Both come from the
 * same migrations, so they hold the same tables and columns (in another order, perhaps: a column
 * added later comes last in PostgreSQL, in its place in SQLite).
 */
function matchTables(loader: Loader, header: BackupHeader): { table: Table; columns: Column[] }[] {
  const names = new Set(header.tables.map((t) => t.name));
  const extra = loader.tables.find((t) => !names.has(t.name));
  if (extra) throw new AppError("backup.schema_mismatch", { table: extra.name });
  return header.tables.map((t) => {
    const table = loader.tables.find((candidate) => candidate.name === t.name);
    const sameColumns =
      table?.columns.length === t.columns.length && t.columns.every((c) => table.columns.some((tc) => tc.name === c.name && tc.type === c.type));
    if (!table || !sameColumns) throw new AppError("backup.schema_mismatch", { table: t.name });
    return { table, columns: t.columns };
  });
}

/** Streams the backup's rows into the loader, checking each table's rows against the header. */
async function insertRows(loader: Loader, file: string, header: BackupHeader, tables: { table: Table; columns: Column[] }[]): Promise<void> {
  const damaged = (reason: string) => new AppError("backup.damaged", { file, reason });
  const read = header.tables.map(() => 0);
  let index = -1;
  let batch: BackupValue[][] = [];
  let ended = false;
  let first = true;
  const flush = async () => {
    if (batch.length) await loader.insert(tables[index]!.table, tables[index]!.columns, batch);
    batch = [];
  };
  for await (const line of backupLines(file)) {
    if (first) {
      first = false; // the header, read already
      continue;
    }
    if (ended) throw damaged("lines after the end");
    if (line.startsWith("[")) {
      const row = JSON.parse(line) as BackupValue[];
      const columns = tables[index]?.columns;
      if (!columns) throw damaged("a row before its table");
      if (row.length !== columns.length) throw damaged(`${header.tables[index]!.name}: a row of ${row.length} values`);
      batch.push(row);
      read[index]!++;
      if (batch.length >= batchSize) await flush();
      continue;
    }
    const mark = JSON.parse(line) as { table?: string; end?: boolean };
    await flush();
    if (index >= 0 && read[index] !== header.tables[index]!.rows) {
      throw damaged(`${header.tables[index]!.name}: ${read[index]} rows, ${header.tables[index]!.rows} in the header`);
    }
    if (mark.end === true) ended = true;
    else if (mark.table !== undefined && mark.table === header.tables[index + 1]?.name) index++;
    else throw damaged(`unexpected line ${line.slice(0, 80)}`);
  }
  if (!ended || index !== header.tables.length - 1) throw new AppError("backup.truncated", { file });
}

/** An error of a failed load, as the admin should read it: the file's fault or the database's. */
function explain(err: unknown, file: string): unknown {
  if (err instanceof AppError) return err;
  if (err instanceof SyntaxError) return new AppError("backup.damaged", { file, reason: err.message });
  const code = err instanceof Error && "code" in err ? String(err.code) : "";
  if (code === "Z_BUF_ERROR") return new AppError("backup.truncated", { file });
  if (code.startsWith("Z_")) return new AppError("backup.damaged", { file, reason: (err as Error).message });
  return new AppError("backup.restore_failed", { reason: err instanceof Error ? err.message : String(err) });
}
