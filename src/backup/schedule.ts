import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import type { Prisma } from "../db/connection.js";
import { addDays, localDate, zonedInstant } from "../domain/dates.js";
import type { Logger } from "../logger.js";
import { createScheduler, type Scheduler } from "../scheduler/create-scheduler.js";
import { backupDatabase, recordBackup, totalRows, type BackupSummary } from "./backup.js";
import { backupFileTime, freeBackupPath } from "./format.js";

export interface BackupSchedule {
  /** The folder of the daily backups (BACKUP_DIR). */
  dir: string;
  /** Local hour (0–23) of the daily backup (BACKUP_HOUR). */
  hour: number;
  /** How many daily backups to keep (BACKUP_KEEP). */
  keep: number;
  /** The time zone of that hour (DEFAULT_TIMEZONE). */
  timezone: string;
}

/** The moment the latest daily backup fell due: today at the hour, or yesterday before it. */
export function latestSlot(now: Date, hour: number, timezone: string): Date {
  const today = localDate(now, timezone);
  const slot = zonedInstant(today, hour, timezone);
  return slot <= now ? slot : zonedInstant(addDays(today, -1), hour, timezone);
}

/** The daily backups in the folder, oldest first (other files, hand-made backups included, are not counted). */
async function dailyBackups(dir: string): Promise<{ file: string; at: Date }[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names
    .map((name) => ({ file: path.join(dir, name), at: backupFileTime("daily", name) }))
    .filter((b): b is { file: string; at: Date } => b.at !== null)
    .sort((a, b) => a.at.getTime() - b.at.getTime() || (a.file < b.file ? -1 : 1));
}

/**
 * Deletes what daily backups cut short left (a `.partial` file: the process was killed midway,
 * so its writer could not clean up). Ticks never overlap, so none of them is being written now.
 */
async function removeLeftovers(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names)
    if (name.endsWith(".partial") && backupFileTime("daily", name.slice(0, -".partial".length))) await rm(path.join(dir, name), { force: true });
}

/**
 * Makes the daily backup when the latest one is owed and not in the folder yet (so a bot that was
 * down at the hour makes it when it starts), records it in the audit log, and then deletes the
 * oldest daily backups beyond `keep` (and first, any a killed process left half written). Returns what it did, or null when nothing was owed.
 */
export async function backupIfDue(
  url: string,
  db: Prisma,
  schedule: BackupSchedule,
  now: Date,
  signal?: AbortSignal,
): Promise<{ backup: BackupSummary; removed: string[] } | null> {
  await removeLeftovers(schedule.dir);
  const slot = latestSlot(now, schedule.hour, schedule.timezone);
  if ((await dailyBackups(schedule.dir)).some((b) => b.at >= slot)) return null;
  const backup = await backupDatabase(url, freeBackupPath(schedule.dir, "daily", now), now, signal);
  await recordBackup(db, { kind: "scheduler" }, backup, now);
  const all = await dailyBackups(schedule.dir);
  const removed = all.slice(0, Math.max(0, all.length - schedule.keep)).map((b) => b.file);
  for (const file of removed) await rm(file, { force: true });
  return { backup, removed };
}

/**
 * Checks every five minutes (and at once) whether the daily backup is owed, on a schedule of its
 * own so a long backup never holds up reminders. `expression` null: at start only (tests).
 * `stop` cuts a backup in progress short (the next start makes it) rather than wait for it.
 */
export function startBackupSchedule(options: {
  url: string;
  db: Prisma;
  schedule: BackupSchedule;
  clock: () => Date;
  logger: Logger;
  expression?: null;
}): Scheduler {
  const { url, db, schedule, clock, logger } = options;
  const stopping = new AbortController();
  const scheduler = createScheduler({
    logger,
    expression: options.expression === null ? null : "*/5 * * * *",
    tick: async () => {
      try {
        const started = performance.now();
        const made = await backupIfDue(url, db, schedule, clock(), stopping.signal);
        if (made) {
          const { backup, removed } = made;
          logger.info({ file: backup.file, rows: totalRows(backup.header), ms: Math.round(performance.now() - started), removed }, "backup written");
        } else logger.debug("no backup owed");
      } catch (err) {
        if (stopping.signal.aborted) logger.info("backup cut short by the stop; made at the next start");
        else logger.error({ err }, "scheduled backup failed");
      }
    },
  });
  scheduler.runNow();
  return {
    runNow: scheduler.runNow,
    async stop() {
      stopping.abort();
      await scheduler.stop();
    },
  };
}
