import { once } from "node:events";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { StringDecoder } from "node:string_decoder";
import { createGunzip, createGzip, type Gzip } from "node:zlib";
import { z } from "zod";
import { AppError } from "../domain/errors.js";
import { columnTypes } from "./tables.js";

// A backup is one gzip file of JSON lines, readable with `zcat` anywhere: a header line, then
// for each table a line {"table": name} followed by one JSON array per row (values in the
// header's column order), then {"end": true}. The gzip checksum and the end line together tell
// a complete file from a cut or damaged one.

export const backupHeader = z.object({
  format: z.literal("pantau-backup"),
  formatVersion: z.literal(1),
  pantauVersion: z.string(),
  /** The latest migration applied to the database backed up. */
  schemaVersion: z.string(),
  migrations: z.array(z.string()),
  database: z.enum(["sqlite", "postgresql"]),
  createdAt: z.iso.datetime(),
  tables: z.array(
    z.object({
      name: z.string(),
      columns: z.array(z.object({ name: z.string(), type: z.enum(columnTypes) })),
      rows: z.number().int().nonnegative(),
      /** The last id the table's counter handed out, so that a restore never hands it out again. */
      lastId: z.number().int().nullable(),
    }),
  ),
});
export type BackupHeader = z.infer<typeof backupHeader>;

/** Pantau's version, from its package.json. */
export function pantauVersion(): string {
  return (createRequire(import.meta.url)("../../package.json") as { version: string }).version;
}

/** Backups by hand, daily ones (the only ones pruned), and the copy a restore keeps of what it replaces. */
export type BackupKind = "manual" | "daily" | "before-restore";
const prefixes: Record<BackupKind, string> = { manual: "pantau", daily: "pantau-daily", "before-restore": "pantau-before-restore" };
const extension = ".jsonl.gz";

/** An instant as it appears in file names: ISO 8601 basic format in UTC, e.g. 20261130T020000Z. */
const stamp = (at: Date) =>
  at
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");

/** A path in `dir` for a backup of this kind made at `at`, not taken yet (-2, -3 … added when needed). */
export function freeBackupPath(dir: string, kind: BackupKind, at: Date): string {
  const base = path.join(dir, `${prefixes[kind]}-${stamp(at)}`);
  let candidate = `${base}${extension}`;
  for (let n = 2; existsSync(candidate); n++) candidate = `${base}-${n}${extension}`;
  return candidate;
}

/** When a backup of this kind was made, read from its file name; null for any other file. */
export function backupFileTime(kind: BackupKind, name: string): Date | null {
  const match = new RegExp(`^${prefixes[kind]}-(\\d{4})(\\d\\d)(\\d\\d)T(\\d\\d)(\\d\\d)(\\d\\d)Z(-\\d+)?\\.jsonl\\.gz$`).exec(name);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
}

/**
 * Writes a backup file through gzip with backpressure (memory stays flat whatever the size) into
 * `<file>.partial`, synced to disk and renamed only once complete: a file under the final name
 * is always whole, and a failed backup leaves nothing behind.
 */
export class BackupWriter {
  private constructor(
    readonly file: string,
    private readonly partial: string,
    private readonly gzip: Gzip,
    private readonly done: Promise<void>,
  ) {}

  static async create(file: string): Promise<BackupWriter> {
    if (existsSync(file)) throw new AppError("backup.file_exists", { file });
    await mkdir(path.dirname(file), { recursive: true });
    const partial = `${file}.partial`;
    const gzip = createGzip();
    const done = pipeline(gzip, createWriteStream(partial));
    done.catch(() => undefined); // awaited by finish or abort
    return new BackupWriter(file, partial, gzip, done);
  }

  async write(text: string): Promise<void> {
    if (!this.gzip.write(text)) await Promise.race([once(this.gzip, "drain"), this.done]);
  }

  async finish(): Promise<void> {
    this.gzip.end();
    await this.done;
    const handle = await open(this.partial, "r+");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(this.partial, this.file);
  }

  async abort(): Promise<void> {
    this.gzip.destroy();
    await this.done.catch(() => undefined);
    await rm(this.partial, { force: true });
  }
}

/** The lines of a backup file as they are unpacked; rejects when the file is cut or damaged. */
export async function* backupLines(file: string): AsyncGenerator<string> {
  const input = createReadStream(file);
  const gunzip = createGunzip();
  input.on("error", (err) => gunzip.destroy(err));
  input.pipe(gunzip);
  const decoder = new StringDecoder("utf8");
  let rest = "";
  try {
    for await (const chunk of gunzip) {
      const lines = (rest + decoder.write(chunk as Buffer)).split("\n");
      rest = lines.pop()!;
      yield* lines;
    }
    rest += decoder.end();
    if (rest) yield rest;
  } finally {
    input.destroy();
    gunzip.destroy();
  }
}

/** The header of a backup file; refuses a file that is not a Pantau backup. */
export async function readBackupHeader(file: string): Promise<BackupHeader> {
  if (!existsSync(file)) throw new AppError("backup.unreadable", { file });
  try {
    for await (const line of backupLines(file)) {
      const parsed = backupHeader.safeParse(JSON.parse(line));
      if (parsed.success) return parsed.data;
      break;
    }
  } catch {
    // not gzip, not JSON: not a backup either
  }
  throw new AppError("backup.not_a_backup", { file });
}
