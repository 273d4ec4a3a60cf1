import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lastBackup } from "../../src/backup/backup.js";
import { readBackupHeader, type BackupHeader } from "../../src/backup/format.js";
import { openSqliteSnapshot } from "../../src/backup/sqlite.js";
import { runCli } from "../../src/cli.js";
import { databaseKind, openPrisma, sqliteFile, type DatabaseKind, type Prisma } from "../../src/db/connection.js";
import { createScratchDatabase, type ScratchDatabase } from "../../src/db/scratch-database.js";
import { applyMigrations, readMigrations } from "../../src/db/schema-engine.js";
import type { EmuUser } from "../support/bot-api-emulator.js";
import { databaseKinds, examplePlan, Harness, type CliRun } from "../support/harness.js";

// `pantau backup` and `pantau restore` as an admin runs them, on SQLite and PostgreSQL: a backup
// taken while a focal point's reports keep arriving from another process, restored into fresh
// databases of both kinds and compared; the refusals (a newer schema, a database with rows); a
// cut or damaged file that leaves the target as it was; an older backup brought up to date; and
// the daily backups of `pantau start`, driven by the harness's clock.

const kinds = await databaseKinds();
const program = "Replikasi Inovasi 2022 Kabupaten Bangka Barat";
const rina: EmuUser = { id: 9101, first_name: "Rina", language_code: "id" };
const latestMigration = (await readMigrations("sqlite")).migrationDirectories.at(-1)!.path;

/** 3,000 steps (300 units of 10): enough rows that the backup takes a while next to the writer. */
function largePlan(): string {
  const header = "program,pemda,zona_waktu,opd,kode_opd,inovasi,asal,tahapan,tenggat,bobot";
  const rows = Array.from({ length: 3000 }, (_, i) => {
    const unit = Math.floor(i / 10) + 1;
    return `${program},Kabupaten Bangka Barat,WIB,Unit Uji ${unit},BABAR-UJI-${unit},Inovasi Uji ${unit},,Tahap ${(i % 10) + 1},2022-12-31,${(i % 3) + 0.5}`;
  });
  return `${header}\n${rows.join("\n")}\n`;
}

/** Every row of every table, as Prisma reads it (dates, bigints), in id order. */
async function everyRow(db: Prisma): Promise<Record<string, unknown[]>> {
  const byId = { orderBy: { id: "asc" as const } };
  // A restore's own inserts count up the plan versions of units and programs (the database's
  // triggers), so that the next reminder pass looks at every step again: all else is as it was.
  const omitPlanVersion = { omit: { planVersion: true } } as const;
  return {
    program: await db.program.findMany({ ...byId, ...omitPlanVersion }),
    region: await db.region.findMany(byId),
    unit: await db.unit.findMany({ ...byId, ...omitPlanVersion }),
    initiative: await db.initiative.findMany(byId),
    milestone: await db.milestone.findMany(byId),
    progressReport: await db.progressReport.findMany(byId),
    evidence: await db.evidence.findMany(byId),
    person: await db.person.findMany(byId),
    membership: await db.membership.findMany(byId),
    invite: await db.invite.findMany(byId),
    seatRemoval: await db.seatRemoval.findMany(byId),
    delivery: await db.delivery.findMany(byId),
    broadcast: await db.broadcast.findMany(byId),
    chatFlow: await db.chatFlow.findMany(byId),
    // A restore records itself; a backup too, after its snapshot; and the export that compares
    // them is a read that is recorded.
    auditLog: await db.auditLog.findMany({
      ...byId,
      where: { action: { notIn: ["database.restore", "database.backup"] }, NOT: { action: { endsWith: ".read" } } },
    }),
    processedUpdate: await db.processedUpdate.findMany({ orderBy: { updateId: "asc" } }),
  };
}

/** Tables of a database, without creating it: none for a SQLite file that does not exist. */
async function tableCount(url: string): Promise<number> {
  if (databaseKind(url) === "sqlite") {
    if (!existsSync(sqliteFile(url))) return 0;
    const db = openPrisma(url);
    try {
      return Number((await db.$queryRawUnsafe<{ n: bigint }[]>("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'"))[0]!.n);
    } finally {
      await db.$disconnect();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'public'")).rows[0].n);
  } finally {
    await client.end();
  }
}

/** Rows of every table together, through Prisma. */
async function rowCount(url: string): Promise<number> {
  const db = openPrisma(url);
  try {
    return Object.values(await everyRow(db)).reduce((n, rows) => n + rows.length, 0) + (await db.auditLog.count({ where: { action: "database.restore" } }));
  } finally {
    await db.$disconnect();
  }
}

/** A copy of a backup file with its lines changed (small files only: unpacked in memory). */
function rewrite(from: string, to: string, change: (lines: string[]) => string[]): void {
  const lines = gunzipSync(readFileSync(from)).toString("utf8").split("\n");
  writeFileSync(to, gzipSync(change(lines).join("\n")));
}

/** The focal point's reports from a process of its own; `ids` grows as they are saved. */
class ReportWriter {
  readonly ids: number[] = [];
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly exited: Promise<number | null>;
  private stderr = "";

  constructor(url: string, telegramId: number, stepIds: number[]) {
    this.child = spawn(process.execPath, ["--import", "tsx", "test/support/report-writer.ts", url, String(telegramId), ...stepIds.map(String)]);
    let rest = "";
    this.child.stdout.on("data", (chunk: Buffer) => {
      const lines = (rest + String(chunk)).split("\n");
      rest = lines.pop()!;
      for (const line of lines) this.ids.push(Number(line));
    });
    this.child.stderr.on("data", (chunk: Buffer) => (this.stderr += String(chunk)));
    this.exited = new Promise((resolve) => this.child.on("exit", resolve));
  }

  /** Waits until `count` reports are saved in all. */
  async saved(count: number): Promise<void> {
    for (let waited = 0; this.ids.length < count; waited += 20) {
      if (waited > 60_000 || this.child.exitCode !== null) throw new Error(`the writer saved ${this.ids.length} reports: ${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async stop(): Promise<void> {
    this.child.kill("SIGTERM");
    expect(await this.exited, this.stderr).toBe(0);
  }
}

describe.each(kinds)("backup and restore of a %s database", (kind) => {
  let h: Harness;
  let dir: string;
  const scratches: ScratchDatabase[] = [];
  /** A new empty database of a kind, dropped after the file. */
  const fresh = async (k: DatabaseKind) => {
    const db = await createScratchDatabase(k);
    scratches.push(db);
    return db;
  };
  /** `pantau <argv>` on another database, with the test's backup folder. */
  const pantau = async (url: string, ...argv: string[]): Promise<CliRun> => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const env = { ...h.env, DATABASE_URL: url, BACKUP_DIR: path.join(dir, "backups") };
    const code = await runCli(argv, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l), env });
    return { code, stdout: stdout.join("\n"), stderr: stderr.join("\n") };
  };
  /** `pantau export` of a database, as its CSV text. */
  const exported = async (url: string, name: string) => {
    const file = path.join(dir, `${name}.csv`);
    const run = await pantau(url, "export", file);
    expect(run.code, run.stderr).toBe(0);
    return readFileSync(file, "utf8");
  };
  const maxStepId = async (url: string) => {
    const db = openPrisma(url);
    try {
      return (await db.milestone.aggregate({ _max: { id: true } }))._max.id ?? 0;
    } finally {
      await db.$disconnect();
    }
  };
  let stepIds: number[];
  /** A backup made with nothing written meanwhile, with the source's export and rows at that moment. */
  let quiet: { file: string; csv: string; rows: Record<string, unknown[]> };

  beforeAll(async () => {
    h = await Harness.create(kind);
    dir = await mkdtemp(path.join(tmpdir(), "pantau-backup-"));
    writeFileSync(path.join(dir, "large.csv"), largePlan());
    expect((await h.cli("import", examplePlan)).code).toBe(0);
    expect((await h.cli("import", path.join(dir, "large.csv"))).code).toBe(0);
    await h.startBot();
    const code = /start=([\w-]+)/.exec((await h.cli("invite", "--unit", "BABAR-UJI-1")).stdout)![1]!;
    await h.emulator.sendText(rina, `/start ${code}`);
    await h.emulator.waitForMessage(rina.id, (m) => (m.plainText ?? "").includes("Selamat bergabung"), 30_000);
    stepIds = (await h.db.milestone.findMany({ where: { initiative: { unit: { code: "BABAR-UJI-1" } } }, orderBy: { id: "asc" } })).map((m) => m.id);
  }, 240_000);
  afterAll(async () => {
    await h?.stop();
    for (const db of scratches) await db.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("when an admin backs up while a focal point's reports keep arriving from another process, then every restore holds the database of one moment", async () => {
    const writer = new ReportWriter(h.database.url, rina.id, stepIds);
    await writer.saved(30);
    const file = path.join(dir, "during-writes.jsonl.gz");
    const made = await h.cli("backup", file);
    expect(made.code, made.stderr).toBe(0);
    const savedByTheEnd = writer.ids.length;
    await writer.saved(savedByTheEnd + 10);
    await writer.stop();
    const source = await h.db.progressReport.findMany({ orderBy: { id: "asc" }, include: { evidence: true } });

    const exports: string[] = [];
    for (const k of kinds) {
      const target = await fresh(k);
      const restored = await pantau(target.url, "restore", file);
      expect(restored.code, restored.stderr).toBe(0);
      const db = openPrisma(target.url);
      try {
        const reports = await db.progressReport.findMany({ orderBy: { id: "asc" }, include: { evidence: true } });
        const last = reports.at(-1)!.id;
        // Every report saved before the moment, each with its evidence, and none after it.
        expect(reports).toEqual(source.filter((r) => r.id <= last));
        expect(reports.length).toBeGreaterThanOrEqual(30);
        expect(last).toBeLessThan(source.at(-1)!.id);
        console.info(`${kind} → ${k}: ${writer.ids.filter((id) => id > last).length - (writer.ids.length - savedByTheEnd)} reports saved while the backup ran`);
        // Each step stands at its latest report of that moment, and the audit trail holds exactly those reports.
        for (const step of await db.milestone.findMany({ where: { id: { in: stepIds } } })) {
          const latest = reports.filter((r) => r.milestoneId === step.id).at(-1);
          if (latest) expect([step.progress, step.status]).toEqual([latest.percent, latest.status]);
        }
        expect(await db.auditLog.count({ where: { action: "report.create" } })).toBe(reports.length);
      } finally {
        await db.$disconnect();
      }
      exports.push(await exported(target.url, `during-writes-${k}`));
    }
    expect(new Set(exports).size).toBe(1);
  }, 240_000);

  it("when nothing is written meanwhile, then the backup records its schema, version and counts, and restores into SQLite and PostgreSQL export and read exactly as the source", async () => {
    const csv = await exported(h.database.url, "source");
    const rows = await everyRow(h.db);
    const file = path.join(dir, "quiet.jsonl.gz");
    const made = await h.cli("backup", file);
    expect(made.code, made.stderr).toBe(0);
    quiet = { file, csv, rows };
    expect(made.stdout).toContain(`skema ${latestMigration}`);
    expect(made.stdout).toContain(`- Milestone: ${rows.milestone!.length}`);
    const header = await readBackupHeader(file);
    expect(header).toMatchObject({ schemaVersion: latestMigration, pantauVersion: JSON.parse(readFileSync("package.json", "utf8")).version, database: kind });
    expect(header.tables.find((t) => t.name === "ProgressReport")?.rows).toBe(rows.progressReport!.length);

    for (const k of kinds) {
      const target = await fresh(k);
      const restored = await pantau(target.url, "restore", file);
      expect(restored.code, restored.stderr).toBe(0);
      expect(restored.stdout).toMatch(/Dipulihkan dari .* jumlah baris tiap tabel dan rujukan antartabel sudah diperiksa/i);
      expect(await exported(target.url, `quiet-${k}`)).toBe(csv);
      const db = openPrisma(target.url);
      try {
        expect(await everyRow(db)).toEqual(rows);
        expect(await db.auditLog.count({ where: { action: "database.restore" } })).toBe(1);
      } finally {
        await db.$disconnect();
      }
      // New rows get new ids: the counters stand past the restored ones.
      const invite = await pantau(target.url, "invite", "--unit", "BABAR-UJI-2");
      expect(invite.code, invite.stderr).toBe(0);
    }
  }, 240_000);

  it("when a backup was made by a newer schema, then it is refused by name and nothing is created", async () => {
    const future = path.join(dir, "future.jsonl.gz");
    rewrite(quiet.file, future, ([first, ...rest]) => {
      const header = JSON.parse(first!);
      header.migrations.push("29991231000000_from_the_future");
      Object.assign(header, { schemaVersion: "29991231000000_from_the_future", pantauVersion: "9.0.0" });
      return [JSON.stringify(header), ...rest];
    });
    for (const k of kinds) {
      const target = await fresh(k);
      const refused = await pantau(target.url, "restore", future);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("dibuat oleh Pantau 9.0.0 dengan skema 29991231000000_from_the_future, lebih baru dari Pantau ini");
      expect(refused.stderr).toContain("Tidak ada yang diubah");
      expect(await tableCount(target.url)).toBe(0);
    }
  });

  it("when the target holds rows, then it is refused; with --replace a safety copy of it is written first, named, and restores what was there", async () => {
    for (const k of kinds) {
      const target = await fresh(k);
      expect((await pantau(target.url, "restore", quiet.file)).code).toBe(0);
      const extra = path.join(dir, "extra.csv");
      writeFileSync(
        extra,
        "program,pemda,zona_waktu,opd,kode_opd,inovasi,asal,tahapan,tenggat,bobot\nProgram Lain,Kota Lain,WITA,Dinas Lain,LAIN-1,Inovasi Lain,,Tahap Lain,2022-06-30,1\n",
      );
      expect((await pantau(target.url, "import", extra)).code).toBe(0);
      const before = await exported(target.url, `before-replace-${k}`);
      const handedOut = await maxStepId(target.url);

      const refused = await pantau(target.url, "restore", quiet.file);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/Database tujuan tidak kosong \(ada isi di tabel .*Milestone.*\)\. Tidak ada yang diubah\. .*--replace/);
      expect(await exported(target.url, `after-refusal-${k}`)).toBe(before);

      const replaced = await pantau(target.url, "restore", quiet.file, "--replace");
      expect(replaced.code, replaced.stderr).toBe(0);
      const safety = /ditulis ke (\S+) sebelum ditimpa/.exec(replaced.stdout)?.[1];
      expect(safety && path.basename(safety)).toMatch(/^pantau-before-restore-\d{8}T\d{6}Z(-\d+)?\.jsonl\.gz$/);
      expect(await exported(target.url, `replaced-${k}`)).toBe(quiet.csv);

      // Ids the replaced database handed out are not given again (old buttons name them).
      expect((await pantau(target.url, "import", extra)).code).toBe(0);
      expect(await maxStepId(target.url)).toBeGreaterThan(handedOut);

      const copy = await fresh(k);
      expect((await pantau(copy.url, "restore", safety!)).code).toBe(0);
      expect(await exported(copy.url, `safety-${k}`)).toBe(before);
    }
  }, 240_000);

  it("when the file is cut short or a row is missing, then the restore stops and the target is left as it was", async () => {
    const cut = path.join(dir, "cut.jsonl.gz");
    const bytes = readFileSync(quiet.file);
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const missingRow = path.join(dir, "missing-row.jsonl.gz");
    rewrite(quiet.file, missingRow, (lines) => {
      const at = lines.indexOf('{"table":"Milestone"}') + 100;
      return [...lines.slice(0, at), ...lines.slice(at + 1)];
    });

    for (const k of kinds) {
      const target = await fresh(k);
      expect((await pantau(target.url, "restore", quiet.file)).code).toBe(0);
      const rows = await rowCount(target.url);

      const cutShort = await pantau(target.url, "restore", cut, "--replace");
      expect(cutShort.code).toBe(1);
      expect(cutShort.stderr).toContain("terpotong");
      expect(cutShort.stderr).toContain("isi database tujuan tetap seperti semula");
      expect(await exported(target.url, `after-cut-${k}`)).toBe(quiet.csv);
      expect(await rowCount(target.url)).toBe(rows);

      const damaged = await pantau(target.url, "restore", missingRow, "--replace");
      expect(damaged.code).toBe(1);
      expect(damaged.stderr).toMatch(/rusak \(Milestone: \d+ rows, \d+ in the header\)/);
      expect(await exported(target.url, `after-damage-${k}`)).toBe(quiet.csv);
      expect(await rowCount(target.url)).toBe(rows);

      // Into an empty database: it stays without rows.
      const empty = await fresh(k);
      expect((await pantau(empty.url, "restore", cut)).code).toBe(1);
      expect(await rowCount(empty.url)).toBe(0);
    }
  }, 240_000);

  it("when a backup is of an older schema, then it is brought to this Pantau's schema first and restores whole", async () => {
    // The backup as a Pantau from before the SeatRemoval table would have written it: the tables
    // and columns of that schema only, read from a database migrated that far.
    const migrations = (await readMigrations("sqlite")).migrationDirectories.map((m) => m.path);
    const kept = migrations.slice(
      0,
      migrations.findIndex((m) => m.endsWith("_seat_removal")),
    );
    const scratch = await createScratchDatabase("sqlite");
    await applyMigrations(scratch.url, kept);
    const snapshot = openSqliteSnapshot(scratch.url);
    const olderTables = new Map(snapshot.tables.map((t) => [t.name, new Set(t.columns.map((c) => c.name))]));
    await snapshot.close();
    await scratch.drop();
    const older = path.join(dir, "older.jsonl.gz");
    rewrite(quiet.file, older, ([first, ...rest]) => {
      const header = JSON.parse(first!) as BackupHeader;
      const keptColumns = new Map<string, number[]>();
      for (const table of header.tables) {
        const columns = olderTables.get(table.name);
        if (columns)
          keptColumns.set(
            table.name,
            table.columns.flatMap((c, i) => (columns.has(c.name) ? [i] : [])),
          );
      }
      const lines = [
        JSON.stringify({
          ...header,
          migrations: kept,
          schemaVersion: kept.at(-1),
          tables: header.tables
            .filter((t) => olderTables.has(t.name))
            .map((t) => ({
              ...t,
              columns: [
                ...t.columns.filter((c) => olderTables.get(t.name)!.has(c.name)),
                // The audit log named its actor in one string then.
                ...(t.name === "AuditLog" ? [{ name: "actor", type: "text" }] : []),
              ],
            })),
        }),
      ];
      const audit = header.tables.find((t) => t.name === "AuditLog")!.columns.map((c) => c.name);
      const oldActor = (row: unknown[]) => {
        const kind = row[audit.indexOf("actorKind")];
        return kind === "person" ? `telegram:${String(row[audit.indexOf("actorTelegramId")])}` : kind === "scheduler" ? "system" : kind;
      };
      let columns: number[] | undefined;
      let table: string | undefined;
      for (const line of rest) {
        const starts = /^\{"table":"(\w+)"\}$/.exec(line)?.[1];
        if (starts !== undefined) [table, columns] = [starts, keptColumns.get(starts)];
        if (line.startsWith("{")) {
          if (starts === undefined || columns) lines.push(line);
        } else if (columns && line) {
          const row = JSON.parse(line) as unknown[];
          lines.push(JSON.stringify([...columns.map((i) => row[i]), ...(table === "AuditLog" ? [oldActor(row)] : [])]));
        } else if (!line) lines.push(line);
      }
      return lines;
    });
    for (const k of kinds) {
      const target = await fresh(k);
      const restored = await pantau(target.url, "restore", older);
      expect(restored.code, restored.stderr).toBe(0);
      expect(restored.stdout).toContain(`skema ${latestMigration} lebih dulu`);
      expect(restored.stdout).toContain(kept.at(-1));
      expect(await exported(target.url, `older-${k}`)).toBe(quiet.csv);
      const db = openPrisma(target.url);
      try {
        expect(await db.seatRemoval.count()).toBe(0);
      } finally {
        await db.$disconnect();
      }
    }
  }, 240_000);
});

describe.each(kinds)("daily backups inside pantau start on %s", (kind) => {
  let h: Harness;
  let dir: string;
  const env = () => ({ BACKUP_DIR: dir, BACKUP_HOUR: "2", BACKUP_KEEP: "3", DEFAULT_TIMEZONE: "Asia/Jakarta" });
  const dailyFiles = () => readdirSync(dir).filter((name) => name.startsWith("pantau-daily-"));
  /** Starts Pantau at a moment of the harness's clock and stops it once its backup check ran. */
  const startAt = async (iso: string) => {
    h.clock = new Date(iso);
    const checks = () => h.logs.filter((l) => /"msg":"(backup written|no backup owed)"/.test(l)).length;
    const before = checks();
    const running = await h.startInstance(env());
    for (let waited = 0; checks() === before; waited += 20) {
      if (waited > 60_000) throw new Error("the backup check did not run");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await running.stop();
    return dailyFiles();
  };

  beforeAll(async () => {
    h = await Harness.create(kind);
    dir = await mkdtemp(path.join(tmpdir(), "pantau-daily-"));
    expect((await h.cli("import", examplePlan)).code).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("when BACKUP_DIR is set, then a backup is made once a day from BACKUP_HOUR local time, the last BACKUP_KEEP are kept, hand-made ones stay, and the last one is recorded", async () => {
    const byHand = await runCli(["backup"], { stdout: () => {}, stderr: () => {}, env: { ...h.env, ...env() } });
    expect(byHand).toBe(0);
    const handMade = readdirSync(dir).filter((name) => /^pantau-\d/.test(name));
    expect(handMade).toHaveLength(1);

    // Started after 02:00 WIB with no backup of the day yet: made at once.
    expect(await startAt("2022-01-11T10:00:00+07:00")).toEqual(["pantau-daily-20220111T030000Z.jsonl.gz"]);
    // The same day, and the next day before 02:00: not owed. What a backup killed midway left
    // half written goes at the next check.
    writeFileSync(path.join(dir, "pantau-daily-20220111T040000Z.jsonl.gz.partial"), "cut short");
    expect(await startAt("2022-01-11T23:00:00+07:00")).toEqual(["pantau-daily-20220111T030000Z.jsonl.gz"]);
    expect(await startAt("2022-01-12T01:59:00+07:00")).toHaveLength(1);
    expect(await startAt("2022-01-12T02:00:00+07:00")).toHaveLength(2);
    expect(await startAt("2022-01-13T09:00:00+07:00")).toHaveLength(3);
    // After two days down: one backup, and the oldest beyond three goes.
    expect(await startAt("2022-01-15T02:30:00+07:00")).toEqual([
      "pantau-daily-20220111T190000Z.jsonl.gz",
      "pantau-daily-20220113T020000Z.jsonl.gz",
      "pantau-daily-20220114T193000Z.jsonl.gz",
    ]);
    expect(readdirSync(dir)).toContain(handMade[0]);
    expect(await lastBackup(h.db)).toMatchObject({ at: new Date("2022-01-15T02:30:00+07:00"), file: path.join(dir, "pantau-daily-20220114T193000Z.jsonl.gz") });
    expect(h.logs.filter((l) => l.includes('"msg":"backup written"'))).toHaveLength(4);
    // Each is a whole backup of the database.
    const header = await readBackupHeader(path.join(dir, "pantau-daily-20220114T193000Z.jsonl.gz"));
    expect(header.tables.find((t) => t.name === "Milestone")?.rows).toBe(await h.db.milestone.count());

    // Admins read the last one at the foot of /bantuan.
    const admin: EmuUser = { id: 9102, first_name: "Adi", language_code: "id" };
    h.clock = new Date("2022-01-15T09:00:00+07:00");
    const running = await h.startInstance({ ...env(), ADMIN_TELEGRAM_IDS: String(admin.id) });
    try {
      await h.emulator.sendText(admin, "/bantuan");
      const help = await h.emulator.waitForMessage(admin.id, (m) => (m.plainText ?? "").includes("Perintah"), 20_000);
      expect(help.plainText).toContain("Cadangan terakhir (admin): Sabtu, 15 Januari 2022 pukul 02.30, pantau-daily-20220114T193000Z.jsonl.gz.");
      expect(help.plainText).not.toContain("Cadangan harian mati");
    } finally {
      await running.stop();
    }
  }, 180_000);
});
