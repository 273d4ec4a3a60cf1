import { readFile, writeFile } from "node:fs/promises";
import { userInfo } from "node:os";
import path from "node:path";
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { Telegram } from "telegraf";
import { startPantau } from "./app.js";
import { backupDatabase, recordBackup, totalRows } from "./backup/backup.js";
import { freeBackupPath } from "./backup/format.js";
import { restoreDatabase } from "./backup/restore.js";
import { systemClock, type Clock } from "./clock.js";
import { createOutboxSender, splitOutboxMessage } from "./bot/outbox-sender.js";
import { erasureText } from "./bot/features/privacy.js";
import { tellRemoved } from "./bot/removal-notice.js";
import { applyApiPolicy } from "./bot/telegram-api.js";
import { ConfigError, httpHost, loadBotConfig, loadConfig, type Config } from "./config.js";
import { openPrisma, type Prisma } from "./db/connection.js";
import { applyMigrations } from "./db/schema-engine.js";
import { addDays, formatLongDate, localDate, localHour, localMinute, parseDueDate, zonedInstant, zoneLabel } from "./domain/dates.js";
import { AppError } from "./domain/errors.js";
import type { PlanError } from "./domain/plan-table.js";
import { roles, type Role } from "./domain/statuses.js";
import { catalogue, errorMessage, unreadablePlanMessage } from "./i18n/index.js";
import { noPlanFileLimits, planFileLimits } from "./files/plan-file.js";
import { csvField, writeExportCsv, writeExportXlsx } from "./files/export-file.js";
import { readPlanFile } from "./files/read-plan-file.js";
import { listenAddress } from "./http/server.js";
import { createLogger, redactToken } from "./logger.js";
import { exportData, recordExport } from "./services/export.js";
import { auditTrail, fieldChanges, type ActorFilter, type AuditActor, type AuditFilter, type AuditRecord } from "./services/audit.js";
import type { Manager } from "./services/authority.js";
import { createInvite, inviteIdOfCode, listOpenInvites, revokeInvite } from "./services/invites.js";
import { peopleNamed, removeMember, seatsOf } from "./services/members.js";
import { erasePerson, erasureTarget } from "./services/personal-data.js";
import { importPlan, type ImportCounts } from "./services/plan-import.js";
import { wholeDatabaseScope } from "./services/scope.js";
import { batchSizeFor } from "./outbox/index.js";
import { owedDigests } from "./services/digests.js";
import { planPass, runReminderPass } from "./services/reminders.js";

/** Where the CLI writes and what it reads; tests pass their own. */
export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  env: NodeJS.ProcessEnv;
  /** Resolves when the process is asked to stop (SIGTERM/SIGINT); used by `start`. */
  stopSignal?: Promise<unknown>;
  /** The business clock (the machine's unless a test sets one). */
  clock?: Clock;
}

/**
 * Each command's arguments as its parser reads them (node's `parseArgs`, strict): the one place
 * they are written, so the admin guide's test can check every command it shows against them.
 */
export const cliCommands = {
  start: { options: {}, allowPositionals: false },
  migrate: { options: {}, allowPositionals: false },
  import: { options: { "no-limits": { type: "boolean", default: false } }, allowPositionals: true },
  invite: {
    options: {
      unit: { type: "string" },
      role: { type: "string", default: "pic" },
      uses: { type: "string" },
      days: { type: "string" },
      program: { type: "string" },
      region: { type: "string" },
      qr: { type: "string" },
    },
    allowPositionals: false,
  },
  invites: { options: { program: { type: "string" }, unit: { type: "string" } }, allowPositionals: false },
  revoke: { options: {}, allowPositionals: true },
  remove: {
    options: { person: { type: "string" }, unit: { type: "string" }, role: { type: "string" }, program: { type: "string" } },
    allowPositionals: false,
  },
  erase: { options: { person: { type: "string" } }, allowPositionals: false },
  remind: { options: { at: { type: "string" }, "dry-run": { type: "boolean", default: false } }, allowPositionals: false },
  export: { options: {}, allowPositionals: true },
  backup: { options: {}, allowPositionals: true },
  restore: { options: { replace: { type: "boolean", default: false } }, allowPositionals: true },
  audit: {
    options: { since: { type: "string" }, until: { type: "string" }, program: { type: "string" }, actor: { type: "string" }, csv: { type: "string" } },
    allowPositionals: false,
  },
  help: { options: {}, allowPositionals: false },
} satisfies Record<string, { options: ParseArgsOptionsConfig; allowPositionals: boolean }>;

/** Who runs the command line, as the audit trail records it: the operating-system user. */
function cliActor(env: NodeJS.ProcessEnv): AuditActor {
  // The admin's wrapper (deploy/pantau) runs the command as the user pantau and says who called it.
  const given = env.PANTAU_OS_USER?.trim().slice(0, 64);
  if (given) return { kind: "cli", osUser: given };
  try {
    return { kind: "cli", osUser: userInfo().username };
  } catch {
    // A user id without a passwd entry (some containers): the CLI is still recorded.
    return { kind: "cli", osUser: null };
  }
}

/** The CLI acts as an admin: it reaches every program. */
const cliManager = (env: NodeJS.ProcessEnv): Manager => ({ admin: true, actor: cliActor(env), personId: null });

const t = catalogue("id").cli;

/**
 * `pantau <command>`: the admin's door into Pantau. Returns the exit code; every message
 * (including errors from libraries) passes through the token filter.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const out = (line: string) => io.stdout(redactToken(line));
  const err = (line: string) => io.stderr(redactToken(line));
  const [command, ...args] = argv;
  try {
    switch (command) {
      case "start":
        parseArgs({ args, ...cliCommands.start });
        return await start(io, out, err);
      case "migrate":
        parseArgs({ args, ...cliCommands.migrate });
        out(t.migrated(await applyMigrations(loadConfig(io.env).DATABASE_URL)));
        return 0;
      case "import":
        return await withDb(io, (db, defaultTimezone) => importFile(db, args, defaultTimezone, (io.clock ?? systemClock)(), cliActor(io.env), out, err));
      case "invite":
        return await invite(io, args, out, err);
      case "invites":
        return await listInvites(io, args, out);
      case "revoke":
        return await revoke(io, args, out, err);
      case "remove":
        return await remove(io, args, out, err);
      case "erase":
        return await erase(io, args, out, err);
      case "remind":
        return await remind(io, args, out, err);
      case "export":
        return await exportRecapFile(io, args, out, err);
      case "backup":
        return await backup(io, args, out);
      case "restore":
        return await restore(io, args, out, err);
      case "audit":
        return await auditCommand(io, args, out, err);
      case undefined:
      case "help":
      case "--help":
        parseArgs({ args, ...cliCommands.help });
        out(t.usage);
        return command ? 0 : 1;
      default:
        err(t.unknownCommand(command));
        err(t.usage);
        return 1;
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      err(t.configProblems);
      for (const problem of error.problems) err(`- ${problem}`);
      return 1;
    }
    if (error instanceof AppError) {
      err(errorMessage(catalogue("id"), error) ?? error.code);
      return 1;
    }
    if (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS")) {
      err(t.badOption(error.message));
      return 1;
    }
    err(`Gagal: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

async function withDb(io: CliIo, fn: (db: Prisma, defaultTimezone: string) => Promise<number>): Promise<number> {
  const config = loadConfig(io.env);
  await applyMigrations(config.DATABASE_URL);
  const db = openPrisma(config.DATABASE_URL);
  try {
    return await fn(db, config.DEFAULT_TIMEZONE);
  } finally {
    await db.$disconnect();
  }
}

async function start(io: CliIo, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const config = loadBotConfig(io.env);
  const logger = createLogger(config.LOG_LEVEL);
  let running;
  try {
    running = await startPantau(config, logger);
  } catch (error) {
    if ((error as { code?: unknown }).code !== "EADDRINUSE") throw error;
    err(t.portInUse(listenAddress(httpHost(config), config.PORT)));
    return 1;
  }
  // Runs until asked to stop, or until Telegram stops giving it updates (then a supervisor
  // such as systemd restarts it).
  const failure = await Promise.race([(io.stopSignal ?? new Promise(() => {})).then(() => null), running.failed.catch((err: Error) => err)]);
  await running.stop();
  if (failure) {
    err(t.receivingStopped(failure.message));
    return 1;
  }
  out(t.stopped);
  return 0;
}

function renderPlanErrors(errors: PlanError[]): string[] {
  const messages = catalogue("id").importErrors;
  return errors.map((e) => messages.row(e.row, e.column, messages.codes[e.code]?.(e.value ?? "") ?? e.code));
}

function renderCounts(label: string, c: ImportCounts): string {
  return t.counts(label, c.programs, c.regions, c.units, c.initiatives, c.milestones);
}

async function importFile(
  db: Prisma,
  args: string[],
  defaultTimezone: string,
  now: Date,
  actor: AuditActor,
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const { positionals, values } = parseArgs({ args, ...cliCommands.import });
  const file = positionals[0];
  if (!file) {
    err(t.fileMissing);
    return 1;
  }
  const content = await readFile(file).catch(() => null);
  if (!content) {
    err(t.fileUnreadable(file));
    return 1;
  }
  let plan: Awaited<ReturnType<typeof readPlanFile>>;
  try {
    plan = await readPlanFile(content, file, values["no-limits"] ? noPlanFileLimits : planFileLimits);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    err(t.importRejected(1));
    err(unreadablePlanMessage(catalogue("id"), error));
    if (["import.file_too_large", "import.too_many_rows", "import.xlsx_too_large", "import.out_of_memory", "import.read_timeout"].includes(error.code))
      err(t.limitsHint);
    return 1;
  }
  const { rows, errors } = plan;
  const result = errors.length ? null : await importPlan(db, rows, { actor, defaultTimezone, now, fileName: path.basename(file) });
  const problems = result ? result.errors : errors;
  if (problems.length > 0) {
    err(t.importRejected(problems.length));
    for (const line of renderPlanErrors(problems)) err(line);
    return 1;
  }
  out(t.importDone);
  out(renderCounts(t.created, result!.created));
  out(renderCounts(t.updated, result!.updated));
  out(t.unchanged(result!.unchanged));
  return 0;
}

/** `pantau export <file.xlsx|file.csv>`: every program, in Indonesian. */
async function exportRecapFile(io: CliIo, args: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const { positionals } = parseArgs({ args, ...cliCommands.export });
  const file = positionals[0];
  if (!file) {
    err(t.exportFileMissing);
    return 1;
  }
  const format = /\.xlsx$/i.test(file) ? "xlsx" : /\.csv$/i.test(file) ? "csv" : null;
  if (!format) {
    err(t.exportBadExtension(file));
    return 1;
  }
  return withDb(io, async (db) => {
    const now = (io.clock ?? systemClock)();
    const scope = await wholeDatabaseScope(db);
    const programs = await exportData(db, scope, now);
    const id = catalogue("id");
    const labels = { ...id.exportFile, statusNames: id.statusNames };
    const bytes = format === "xlsx" ? await writeExportXlsx(programs, labels, now) : writeExportCsv(programs, labels);
    if (
      !(await writeFile(file, bytes).then(
        () => true,
        () => false,
      ))
    ) {
      err(t.exportUnwritable(file));
      return 1;
    }
    await recordExport(db, cliActor(io.env), scope, programs, format, now);
    out(
      t.exportDone(
        file,
        programs.length,
        programs.reduce((n, p) => n + p.steps.length, 0),
      ),
    );
    return 0;
  });
}

/** Where backups go unless a file is named: BACKUP_DIR, else ./backups. */
const backupFolder = (config: Config) => config.BACKUP_DIR ?? "backups";

/** `pantau backup [file]`: a consistent backup of the live database (the bot may keep running). */
async function backup(io: CliIo, args: string[], out: (line: string) => void): Promise<number> {
  const { positionals } = parseArgs({ args, ...cliCommands.backup });
  const config = loadConfig(io.env);
  const now = (io.clock ?? systemClock)();
  const made = await backupDatabase(config.DATABASE_URL, positionals[0] ?? freeBackupPath(backupFolder(config), "manual", now), now);
  const db = openPrisma(config.DATABASE_URL);
  try {
    await recordBackup(db, cliActor(io.env), made, now);
  } finally {
    await db.$disconnect();
  }
  out(t.backupDone(made.file, totalRows(made.header), made.header.tables.length, made.header.schemaVersion));
  for (const table of made.header.tables) out(t.tableRows(table.name, table.rows));
  return 0;
}

/** `pantau restore <file> [--replace]`: into an empty database of either kind (the bot stopped). */
async function restore(io: CliIo, args: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const { positionals, values } = parseArgs({ args, ...cliCommands.restore });
  const file = positionals[0];
  if (!file) {
    err(t.restoreFileMissing);
    return 1;
  }
  const config = loadConfig(io.env);
  const restored = await restoreDatabase(config.DATABASE_URL, file, {
    replace: values.replace,
    workDir: backupFolder(config),
    now: (io.clock ?? systemClock)(),
    actor: cliActor(io.env),
    onSafetyBackup: (safety) => out(t.safetyBackup(safety.file)),
  });
  const { header } = restored;
  if (restored.upgradedTo) out(t.restoreUpgraded(header.schemaVersion, restored.upgradedTo));
  out(t.restoreDone(file, header.createdAt, t.databaseNames[header.database] ?? header.database, totalRows(header), header.tables.length));
  for (const table of restored.tables) out(t.tableRows(table.name, table.rows));
  return 0;
}

function intOption(value: string | undefined, code: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new AppError(code);
  return Number(value);
}

async function invite(io: CliIo, args: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const { values } = parseArgs({ args, ...cliCommands.invite });
  if (!roles.includes(values.role as Role)) {
    err(t.badOption(`--role ${values.role} (pic, kepala, koordinator)`));
    return 1;
  }
  const config = loadBotConfig(io.env);
  const telegram = new Telegram(config.BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT });
  const me = await telegram.getMe();
  return withDb(io, async (db) => {
    const created = await createInvite(db, {
      role: values.role as Role,
      unitCode: values.unit,
      programName: values.program,
      regionName: values.region,
      maxUses: intOption(values.uses, "invite.bad_uses"),
      days: intOption(values.days, "invite.bad_days"),
      actor: cliActor(io.env),
      now: (io.clock ?? systemClock)(),
    });
    const expires = formatLongDate(localDate(created.expiresAt, config.DEFAULT_TIMEZONE), "id");
    out(t.inviteCreated(catalogue("id").roles[created.role] ?? created.role, created.target, created.maxUses, expires));
    const link = `https://t.me/${me.username}?start=${created.code}`;
    out(link);
    if (!values.qr) return 0;
    // The QR code library and the file system are needed only when a QR code is asked for.
    const [{ inviteQrPng }, { writeFile }, { resolve }] = await Promise.all([import("./bot/qr.js"), import("node:fs/promises"), import("node:path")]);
    const file = resolve(values.qr);
    try {
      await writeFile(file, await inviteQrPng(link));
    } catch (error) {
      err(t.qrUnwritable(file, error instanceof Error && "code" in error ? String(error.code) : String(error)));
      return 1;
    }
    out(t.qrWritten(file));
    return 0;
  });
}

/** `pantau invites [--program <name>] [--unit <code>]`: the open invites, oldest first. */
async function listInvites(io: CliIo, args: string[], out: (line: string) => void): Promise<number> {
  const { values } = parseArgs({ args, ...cliCommands.invites });
  return withDb(io, async (db, defaultTimezone) => {
    const invites = await listOpenInvites(db, cliManager(io.env), (io.clock ?? systemClock)(), { programName: values.program, unitCode: values.unit });
    if (invites.length === 0) out(t.invitesNone);
    const roleNames = catalogue("id").roles;
    for (const i of invites) {
      const target = i.unitCode ? `${i.target} (${i.unitCode})` : i.target;
      const expires = formatLongDate(localDate(i.expiresAt, i.timezone ?? defaultTimezone), "id");
      out(t.inviteLine(i.id, roleNames[i.role] ?? i.role, target, i.uses, i.maxUses, expires, i.createdBy ?? t.byAdmin));
    }
    return 0;
  });
}

/** `pantau revoke <invite number|code>`: its code is then refused like a wrong one. */
async function revoke(io: CliIo, args: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  // Every argument is the invite: a code may begin with "-" (base64url), which is not an option here.
  const { positionals } = parseArgs({ args: ["--", ...args], ...cliCommands.revoke });
  const what = positionals[0]?.replace(/^#/, "");
  if (!what) {
    err(t.revokeMissing);
    return 1;
  }
  return withDb(io, async (db) => {
    // Invite numbers are small; codes are 22 random characters.
    const id = /^\d{1,9}$/.test(what) ? Number(what) : await inviteIdOfCode(db, what);
    if (id === null || (await db.invite.count({ where: { id } })) === 0) {
      err(t.revokeUnknown(what));
      return 1;
    }
    const result = await revokeInvite(db, cliManager(io.env), id, (io.clock ?? systemClock)());
    if (!result.ok) {
      err(t.revokeGone(id));
      return 1;
    }
    out(t.revoked(id, catalogue("id").roles[result.invite.role] ?? result.invite.role, result.invite.target));
    return 0;
  });
}

/**
 * `pantau remove --person <Telegram id|@username> [--unit] [--role] [--program]`: removes the one
 * seat these name (a coordinator's too), and tells the person on Telegram when BOT_TOKEN is set.
 */
async function remove(io: CliIo, args: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const { values } = parseArgs({ args, ...cliCommands.remove });
  if (!values.person) {
    err(t.removeMissing);
    return 1;
  }
  if (values.role !== undefined && !roles.includes(values.role as Role)) {
    err(t.badOption(`--role ${values.role} (pic, kepala, koordinator)`));
    return 1;
  }
  const who = values.person;
  return withDb(io, async (db) => {
    const seats = await seatsOf(db, who, { unitCode: values.unit, role: values.role as Role | undefined, programName: values.program });
    const roleNames = catalogue("id").roles;
    if (seats.length !== 1) {
      err(seats.length === 0 ? t.removeNone(who) : t.removeChoose(who));
      for (const s of seats) err(t.seatLine(roleNames[s.role] ?? s.role, s.where));
      return 1;
    }
    const result = await removeMember(db, cliManager(io.env), seats[0]!.membershipId, (io.clock ?? systemClock)());
    if (!result.ok) {
      err(t.removeNone(who));
      return 1;
    }
    const { removal } = result;
    out(t.removed(removal.person.name, roleNames[removal.role] ?? removal.role, removal.where, removal.cancelled));
    const config = io.env.BOT_TOKEN ? loadBotConfig(io.env) : null;
    const telegram = config && new Telegram(config.BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT });
    const told = telegram && (await tellRemoved(telegram, db, removal, config.ADMIN_TELEGRAM_IDS, createLogger(config.LOG_LEVEL, process.stderr)));
    if (!told) err(t.removedToldFailed);
    return 0;
  });
}

/** `pantau erase --person <Telegram id|@username>`: erases the personal data of someone who left. */
async function erase(io: CliIo, args: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const { values } = parseArgs({ args, ...cliCommands.erase });
  const p = catalogue("id").privacy;
  const who = values.person?.trim();
  if (!who) {
    err(p.eraseMissing);
    return 1;
  }
  return withDb(io, async (db) => {
    const target = await erasureTarget(db, who);
    if (target.kind !== "found") {
      err(target.kind === "none" ? p.eraseNone(who) : p.eraseSeveral(who, target.count));
      return 1;
    }
    const result = await erasePerson(db, target.personId, cliActor(io.env), (io.clock ?? systemClock)());
    (result.ok ? out : err)(erasureText(p, result));
    return result.ok ? 0 : 1;
  });
}

async function remind(io: CliIo, args: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const { values } = parseArgs({ args, ...cliCommands.remind });
  const now = values.at ? new Date(values.at) : (io.clock ?? systemClock)();
  if (Number.isNaN(now.getTime())) {
    err(t.badAt);
    return 1;
  }
  const dryRun = values["dry-run"];
  const config = dryRun ? null : loadBotConfig(io.env);
  const send = config
    ? (() => {
        const telegram = new Telegram(config.BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT });
        applyApiPolicy(telegram, { messagesPerSecond: config.TELEGRAM_RATE_LIMIT, logger: createLogger(config.LOG_LEVEL, process.stderr) });
        return createOutboxSender(telegram);
      })()
    : undefined;
  return withDb(io, async (db) => {
    if (!send) {
      const plan = await planPass(db, now);
      const owed = [
        ...plan.reminders.map((r) => t.remindLine(r.personName, r.milestone.unit.name, r.milestone.title, r.slot.key)),
        ...plan.escalations.map((e) => t.remindLine(e.personName, e.milestone.unit.name, e.milestone.title, e.kind)),
        ...plan.summaries.map((e) => t.remindLine(e.personName, e.program, t.remindUnreached, "escalation_unreached")),
        ...(await owedDigests(db, now)).map((d) => t.remindLine(d.personName, d.programName, t.remindDigest(d.level), d.key)),
      ];
      out(owed.length ? t.remindPlanned(owed.length) : t.remindNone);
      for (const line of owed) out(line);
      return 0;
    }
    const result = await runReminderPass(db, {
      now,
      send,
      split: splitOutboxMessage,
      ...(config
        ? { leaseMs: config.OUTBOX_LEASE_SECONDS * 1000, batchSize: batchSizeFor(config.TELEGRAM_RATE_LIMIT), messagesPerSecond: config.TELEGRAM_RATE_LIMIT }
        : {}),
    });
    const { sent, blocked, failed, retrying } = result;
    out(sent + blocked + failed + retrying === 0 ? t.remindNone : t.remindDone(sent, blocked, failed, retrying));
    return 0;
  });
}

/**
 * `pantau audit [--since] [--until] [--program] [--actor] [--csv <file>]`: the audit trail for an
 * auditor, oldest first, as a table on the screen or as a CSV file. Read a page at a time, so a
 * trail of millions of rows streams through in flat memory. Dates are calendar days in
 * DEFAULT_TIMEZONE (--until includes its day) or exact ISO instants.
 */
async function auditCommand(io: CliIo, args: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const { values } = parseArgs({ args, ...cliCommands.audit });
  const config = loadConfig(io.env);
  const tz = config.DEFAULT_TIMEZONE;
  const instant = (option: string, value: string, endOfDay: boolean): Date | null => {
    const date = parseDueDate(value);
    if (date) return zonedInstant(endOfDay ? addDays(date, 1) : date, 0, tz);
    // An exact instant says its offset: without one, the server's own zone would be read.
    const exact = /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/.test(value) ? new Date(value) : null;
    if (exact && !Number.isNaN(exact.getTime())) return exact;
    err(t.auditBadDate(option, value));
    return null;
  };
  const since = values.since === undefined ? undefined : instant("--since", values.since, false);
  const until = values.until === undefined ? undefined : instant("--until", values.until, true);
  if (since === null || until === null) return 1;
  if (since && until && until <= since) {
    err(t.auditUntilBeforeSince);
    return 1;
  }
  return withDb(io, async (db) => {
    const filter: AuditFilter = { since, until };
    if (values.program !== undefined) {
      const program = await db.program.findUnique({ where: { name: values.program } });
      if (!program) {
        err(t.auditUnknownProgram(values.program));
        return 1;
      }
      filter.programId = program.id;
    }
    if (values.actor !== undefined) {
      const actor = await actorFilter(db, values.actor.trim());
      if (!actor) {
        err(t.auditUnknownActor(values.actor));
        return 1;
      }
      filter.actor = actor;
    }
    const pages = auditTrail(db, filter);
    return values.csv ? auditCsv(pages, values.csv, tz, out, err) : auditTable(pages, tz, out);
  });
}

/** --actor: a Telegram id (digits), an @username, "cli" or "scheduler". */
async function actorFilter(db: Prisma, who: string): Promise<ActorFilter | null> {
  if (who.toLowerCase() === "cli") return { kind: "cli" };
  if (who.toLowerCase() === "scheduler") return { kind: "scheduler" };
  // A Telegram id is enough even for someone whose person row is gone: rows keep the id.
  if (/^\d+$/.test(who)) return { kind: "person", telegramIds: [BigInt(who)] };
  const people = await peopleNamed(db, who);
  return people.length ? { kind: "person", telegramIds: people.map((p) => p.telegramId) } : null;
}

const auditText = {
  when: (e: AuditRecord, tz: string) => {
    const zone = e.region?.timezone ?? tz;
    const two = (n: number) => String(n).padStart(2, "0");
    return `${localDate(e.at, zone)} ${two(localHour(e.at, zone))}:${two(localMinute(e.at, zone))} ${zoneLabel(zone)}`;
  },
  who: (e: AuditRecord) => {
    const a = e.actor;
    if (a.kind === "person") return `${a.name ?? "?"} [${a.telegramId ?? a.personId ?? "?"}]${a.role ? ` ${a.role}` : ""}`;
    if (a.kind === "cli") return `cli${a.name ? ` (${a.name})` : ""}`;
    return a.kind;
  },
  from: (e: AuditRecord) => `${t.auditOrigins[e.origin] ?? e.origin}${e.chatId !== null && e.origin === "group" ? ` ${e.chatId}` : ""}`,
  target: (e: AuditRecord) => [e.targetName ?? (e.entityId ? `${e.entity} #${e.entityId}` : e.entity), e.program?.name].filter(Boolean).join(" · "),
  change: (e: AuditRecord) => {
    const value = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
    const changes = fieldChanges(e).map((c) => `${c.field}: ${value(c.before)} → ${value(c.after)}`);
    const detail = typeof e.detail === "object" && e.detail !== null ? (e.detail as Record<string, unknown>) : {};
    if (e.action === "plan.import" && Array.isArray(detail.steps)) {
      const steps = (
        detail.steps as { kind: string; step: string; before?: { dueDate: string; weight: number }; after: { dueDate: string; weight: number } }[]
      ).map((s) =>
        s.before
          ? `${s.step}: ${s.before.dueDate}/${s.before.weight} → ${s.after.dueDate}/${s.after.weight}`
          : `${s.step}: + ${s.after.dueDate}/${s.after.weight}`,
      );
      const more = Number(detail.more ?? 0);
      changes.push(...steps.slice(0, 5), ...(steps.length > 5 || more > 0 ? [`… +${steps.length - Math.min(5, steps.length) + more}`] : []));
    }
    return changes.join("; ");
  },
};

/** A cell of the table: at most `width` characters (by code point), padded. */
const cell = (text: string, width: number) => {
  const chars = [...text.replace(/\s+/g, " ")];
  return (chars.length > width ? `${chars.slice(0, width - 1).join("")}…` : chars.join("")).padEnd(width);
};
const auditWidths = [21, 30, 20, 18, 36];

async function auditTable(pages: AsyncGenerator<AuditRecord[]>, tz: string, out: (line: string) => void): Promise<number> {
  let count = 0;
  for await (const page of pages) {
    if (count === 0) out(t.auditColumns.map((c, i) => (i < auditWidths.length ? cell(c, auditWidths[i]!) : c)).join(" "));
    for (const e of page) {
      const cells = [auditText.when(e, tz), auditText.who(e), auditText.from(e), e.action, auditText.target(e)];
      out(`${cells.map((c, i) => cell(c, auditWidths[i]!)).join(" ")} ${auditText.change(e)}`.trimEnd());
    }
    count += page.length;
  }
  out(count ? t.auditCount(count) : t.auditNone);
  return 0;
}

/** The trail as CSV (UTF-8 with a byte order mark, CRLF, like `pantau export`), written as it is read. */
async function auditCsv(
  pages: AsyncGenerator<AuditRecord[]>,
  file: string,
  tz: string,
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const { createWriteStream } = await import("node:fs");
  const stream = createWriteStream(file);
  const failed = new Promise<never>((_, reject) => stream.once("error", reject));
  failed.catch(() => undefined);
  const write = (line: string) => Promise.race([new Promise<void>((resolve) => (stream.write(line) ? resolve() : stream.once("drain", resolve))), failed]);
  const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
  let count = 0;
  try {
    await write(`\uFEFF${t.auditCsvHeaders.map((h) => csvField(h, true)).join(",")}\r\n`);
    for await (const page of pages) {
      const lines = page.map((e) =>
        [
          e.id,
          e.at.toISOString(),
          auditText.when(e, tz),
          e.actor.kind,
          e.actor.personId,
          e.actor.telegramId,
          e.actor.name,
          e.actor.role,
          e.actor.seat,
          e.origin,
          e.chatId,
          e.action,
          e.entity,
          e.entityId,
          e.targetName,
          e.program?.name ?? null,
          e.region?.name ?? null,
          json(e.before),
          json(e.after),
          json(e.detail),
        ]
          .map((v) => csvField(v, typeof v === "string"))
          .join(","),
      );
      if (lines.length) await write(`${lines.join("\r\n")}\r\n`);
      count += page.length;
    }
    await Promise.race([new Promise<void>((resolve) => stream.end(resolve)), failed]);
  } catch {
    stream.destroy();
    err(t.auditCsvUnwritable(file));
    return 1;
  }
  out(t.auditCsvDone(file, count));
  return 0;
}
