import path from "node:path";
import { databaseKind, type Prisma } from "../db/connection.js";
import { AppError } from "../domain/errors.js";
import { audit, type AuditActor } from "../services/audit.js";
import { BackupWriter, pantauVersion, type BackupHeader } from "./format.js";
import { openPostgresLoader, openPostgresSnapshot } from "./postgresql.js";
import { openSqliteLoader, openSqliteSnapshot } from "./sqlite.js";
import type { Loader, Snapshot } from "./tables.js";

/** Rows read and written at a time: small enough that memory stays flat, large enough to be quick. */
const pageSize = 1000;

export interface BackupSummary {
  file: string;
  header: BackupHeader;
}

export const openSnapshot = (url: string): Promise<Snapshot> =>
  databaseKind(url) === "sqlite" ? Promise.resolve(openSqliteSnapshot(url)) : openPostgresSnapshot(url);

export const openLoader = (url: string): Promise<Loader> => (databaseKind(url) === "sqlite" ? Promise.resolve(openSqliteLoader(url)) : openPostgresLoader(url));

/**
 * Writes a consistent backup of the live database at `url` to `file` (see format.ts): every row
 * of every table as of one moment, with the schema version, Pantau's version and the row count
 * of each table in its header. Users keep writing meanwhile; rows stream through a page at a
 * time. Refuses a file that exists and a database without Pantau's schema; `signal` stops it
 * between pages, leaving no file.
 */
export async function backupDatabase(url: string, file: string, now: Date, signal?: AbortSignal): Promise<BackupSummary> {
  const snapshot = await openSnapshot(url);
  try {
    if (snapshot.migrations.length === 0) throw new AppError("backup.no_schema");
    const tables: BackupHeader["tables"] = [];
    for (const t of snapshot.tables) tables.push({ name: t.name, columns: t.columns, rows: await snapshot.count(t), lastId: await snapshot.lastId(t) });
    const header: BackupHeader = {
      format: "pantau-backup",
      formatVersion: 1,
      pantauVersion: pantauVersion(),
      schemaVersion: snapshot.migrations.at(-1)!,
      migrations: snapshot.migrations,
      database: snapshot.kind,
      createdAt: now.toISOString(),
      tables,
    };
    const writer = await BackupWriter.create(file);
    try {
      await writer.write(`${JSON.stringify(header)}\n`);
      for (const [i, table] of snapshot.tables.entries()) {
        await writer.write(`${JSON.stringify({ table: table.name })}\n`);
        let written = 0;
        for await (const page of snapshot.rows(table, pageSize)) {
          signal?.throwIfAborted();
          await writer.write(`${page.map((row) => JSON.stringify(row)).join("\n")}\n`);
          written += page.length;
        }
        // Cannot differ within one snapshot; checked because a backup is trusted blindly later.
        if (written !== tables[i]!.rows) throw new Error(`${table.name}: ${written} rows read, ${tables[i]!.rows} counted`);
      }
      await writer.write(`${JSON.stringify({ end: true })}\n`);
      await writer.finish();
    } catch (err) {
      await writer.abort();
      throw err;
    }
    return { file: path.resolve(file), header };
  } finally {
    await snapshot.close();
  }
}

/** Rows in a backup, all tables together. */
export const totalRows = (header: BackupHeader) => header.tables.reduce((n, t) => n + t.rows, 0);

const backupAction = "database.backup";

/** Records a backup in the audit log, where `lastBackup` (and admins) find it. */
export function recordBackup(db: Prisma, actor: AuditActor, backup: BackupSummary, at: Date): Promise<void> {
  return audit(db, {
    actor,
    action: backupAction,
    entity: "database",
    entityId: null,
    targetName: path.basename(backup.file),
    detail: { file: backup.file, rows: totalRows(backup.header), schemaVersion: backup.header.schemaVersion },
    at,
  });
}

/**
 * The latest backup recorded (by hand or scheduled): when, which file, how many rows; null when
 * none. Read on every metrics scrape: the entity narrows it to the index on (entity, entityId).
 */
export async function lastBackup(db: Prisma): Promise<{ at: Date; file: string; rows: number } | null> {
  const row = await db.auditLog.findFirst({ where: { entity: "database", action: backupAction }, orderBy: { id: "desc" } });
  if (!row) return null;
  const detail = JSON.parse(row.detail ?? "{}") as { file?: string; rows?: number };
  return { at: row.createdAt, file: detail.file ?? "", rows: detail.rows ?? 0 };
}
