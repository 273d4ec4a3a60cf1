import { readFile } from "node:fs/promises";
import { Composer, Markup } from "telegraf";
import { message } from "telegraf/filters";
import { formatShortDate, type Language } from "../../domain/dates.js";
import { AppError } from "../../domain/errors.js";
import type { PlanError, PlanRow } from "../../domain/plan-table.js";
import { planFileLimits } from "../../files/plan-file.js";
import { readPlanFile } from "../../files/read-plan-file.js";
import { unreadablePlanMessage, type Catalogue } from "../../i18n/index.js";
import { claimFlowStep, endFlow, getFlow, saveFlow } from "../../services/flows.js";
import type { Person } from "../../services/people.js";
import { programGrants, scopeOf } from "../../services/scope.js";
import { checkImportScope, importPlan, type ImportCounts, type ImportResult, type ScopeError } from "../../services/plan-import.js";
import { answerError } from "../answer-error.js";
import type { PantauContext } from "../context.js";
import { escapeHtml, shorten, splitMessages } from "../format.js";
import { requireRole } from "../guards.js";
import { language } from "../language.js";

/**
 * /impor (/import): a coordinator sends an action plan file (CSV or XLSX); the bot imports it as
 * a dry run and shows what would be created, updated or stay unchanged (or the row-numbered
 * errors), then applies it on "Terapkan" with the same all-or-nothing rules as `pantau import`.
 *
 * Only the file's Telegram file_id is kept in the flow state: the file is downloaded again on
 * confirm, so nothing big sits in the database. A coordinator may only touch the programs (and,
 * for a region-limited one, the region) they coordinate; new programs come from the CLI.
 */
export const planUpload = new Composer<PantauContext>();

type UploadState = { step: "file" } | { step: "confirm"; fileId: string; fileName: string };

const kind = "plan-upload";
/** Changed steps listed in a preview; the counts cover the rest. */
const previewSteps = 8;
/** Longest name in a preview line. */
const previewNameLength = 80;
/** Error lines shown for a rejected file (a few messages at most; the rest is counted). */
const maxErrorLines = 80;
/** Callback data: "pu:<token>:<ok|x>". */
const button = (text: string, token: string, action: "ok" | "x") => Markup.button.callback(text, `pu:${token}:${action}`);

/** The programs (and regions) a person coordinates. */
const grantsOf = (person: Person) => programGrants(scopeOf(person, "koordinator"));

planUpload.command(["impor", "import"], async (ctx) => {
  if (ctx.chat.type !== "private") return void (await ctx.reply(ctx.t.planUpload.privateOnly));
  const person = await requireRole(ctx, "koordinator");
  if (!person) return;
  const grants = grantsOf(person);
  if (grants.length === 0) return void (await ctx.reply(ctx.t.planUpload.noProgram));
  const [programs, regions] = await Promise.all([
    ctx.deps.db.program.findMany({ where: { id: { in: grants.map((g) => g.programId) } } }),
    ctx.deps.db.region.findMany({ where: { id: { in: grants.flatMap((g) => (g.regionId === null ? [] : [g.regionId])) } } }),
  ]);
  const names = grants
    .map((g) => {
      const program = `<b>${escapeHtml(programs.find((p) => p.id === g.programId)?.name ?? "?")}</b>`;
      const region = regions.find((r) => r.id === g.regionId);
      return region ? `${program} (${ctx.t.planUpload.regionOnly(escapeHtml(region.name))})` : program;
    })
    .join(", ");
  await saveFlow<UploadState>(ctx.deps.db, person.id, kind, { step: "file" }, ctx.now);
  await ctx.reply(ctx.t.planUpload.askFile(names), { parse_mode: "HTML" });
});

/** The person's upload flow, when this private message belongs to one. */
async function uploadFlow(ctx: PantauContext) {
  if (!ctx.person || ctx.chat?.type !== "private") return null;
  const flow = await getFlow<UploadState>(ctx.deps.db, ctx.person.id, ctx.now);
  return flow?.kind === kind ? { person: ctx.person, flow } : null;
}

/** A CSV or XLSX by name or type; other documents (.docx, .pdf, images) are refused before download. */
function isPlanFile(name: string, mimeType: string | undefined): boolean {
  if (/\.(csv|txt|xlsx|xlsm|xls)$/i.test(name)) return true;
  if (name.includes(".")) return false;
  return /^(text\/csv|text\/plain|application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet)$/i.test(mimeType ?? "");
}

planUpload.on(message("document"), async (ctx, next) => {
  const found = await uploadFlow(ctx);
  if (!found) return next();
  const doc = ctx.message.document;
  const name = doc.file_name ?? "";
  if (!isPlanFile(name, doc.mime_type)) return void (await ctx.reply(ctx.t.planUpload.wrongType(escapeHtml(name)), { parse_mode: "HTML" }));
  // Refused on the size Telegram tells, before anything is downloaded.
  if ((doc.file_size ?? 0) > planFileLimits.maxFileBytes) {
    const megabytes = ((doc.file_size ?? 0) / 1024 / 1024).toFixed(1);
    return void (await ctx.reply(ctx.t.planUpload.tooBig(megabytes, planFileLimits.maxFileBytes / 1024 / 1024)));
  }
  if (!beside(ctx, found.person, () => preview(ctx, found.person, doc.file_id, name))) await ctx.reply(ctx.t.planUpload.stillReading);
});

/**
 * Runs a file's reading and import without holding the update: with long polling, telegraf asks
 * for the next updates only when the current ones are handled, and a plan of thousands of rows
 * takes seconds, which every other user would wait through. One file per person at a time (false
 * when theirs is still running); a stop waits for it; a failure is answered as bot.catch answers it.
 */
function beside(ctx: PantauContext, person: Person, work: () => Promise<void>): boolean {
  return ctx.deps.detached.start(`plan-upload:${person.id}`, () => work().catch((err: unknown) => answerError(ctx, err, ctx.deps.logger)));
}

planUpload.on(message("photo"), async (ctx, next) => {
  if (!(await uploadFlow(ctx))) return next();
  await ctx.reply(ctx.t.planUpload.wrongType(""), { parse_mode: "HTML" });
});

planUpload.on(message("text"), async (ctx, next) => {
  if (ctx.message.text.startsWith("/") || !(await uploadFlow(ctx))) return next();
  await ctx.reply(ctx.t.planUpload.waitingFile);
});

planUpload.action(/^pu:([\w-]+):(ok|x)$/, async (ctx) => {
  const person = await requireRole(ctx, "koordinator");
  if (!person) return;
  const [, token, action] = ctx.match;
  const flow = await getFlow<UploadState>(ctx.deps.db, person.id, ctx.now);
  if (!flow || flow.kind !== kind || flow.state.step !== "confirm" || flow.token !== token || !(await claimFlowStep(ctx.deps.db, person.id, token!, ctx.now))) {
    ctx.log.info({ action }, "stale or forged import button");
    await ctx.answerCbQuery(ctx.t.access.staleButton, { show_alert: true });
    return;
  }
  await ctx.answerCbQuery();
  await ctx.editMessageReplyMarkup(undefined).catch(() => undefined);
  if (action === "x") {
    await endFlow(ctx.deps.db, person.id);
    await ctx.reply(ctx.t.planUpload.cancelled);
    return;
  }
  const state = flow.state;
  if (!beside(ctx, person, () => apply(ctx, person, state))) await ctx.reply(ctx.t.planUpload.stillReading);
});

/** Dry run of a sent file: the preview with the buttons, or its errors (and the flow waits for another file). */
async function preview(ctx: PantauContext, person: Person, fileId: string, fileName: string): Promise<void> {
  const rows = await loadPlan(ctx, person, fileId, fileName, ctx.t.planUpload.rejected);
  if (!rows) return;
  const result = await importPlan(ctx.deps.db, rows, { actor: `telegram:${person.telegramId}`, defaultTimezone: ctx.deps.defaultTimezone, dryRun: true });
  if (result.errors.length > 0) return rejectFile(ctx, person, ctx.t.planUpload.rejected, result.errors, []);
  const t = ctx.t.planUpload;
  const header = t.previewHeader(escapeHtml(fileName));
  const counts = [countsLine(t, t.willCreate, result.created), countsLine(t, t.willUpdate, result.updated), t.unchanged(result.unchanged)].join("\n");
  if (total(result.created) + total(result.updated) === 0) {
    await endFlow(ctx.deps.db, person.id);
    await ctx.reply(`${header}\n\n${counts}\n\n${t.nothingToApply}`, { parse_mode: "HTML" });
    return;
  }
  const token = await saveFlow<UploadState>(ctx.deps.db, person.id, kind, { step: "confirm", fileId, fileName }, ctx.now);
  const text = [header, counts, changeLines(t, result, language(ctx)), t.confirmHint].filter(Boolean).join("\n\n");
  await ctx.reply(text, {
    parse_mode: "HTML",
    ...Markup.inlineKeyboard([[button(t.apply, token, "ok"), button(t.cancel, token, "x")]]),
  });
}

/** Applies the confirmed file as it is now (a re-import is idempotent, so a changed database is fine). */
async function apply(ctx: PantauContext, person: Person, state: Extract<UploadState, { step: "confirm" }>): Promise<void> {
  const t = ctx.t.planUpload;
  ctx.log.info({ file: state.fileName }, "applying an action plan from Telegram");
  const rows = await loadPlan(ctx, person, state.fileId, state.fileName, t.rejectedOnApply);
  if (!rows) return;
  const result = await importPlan(ctx.deps.db, rows, { actor: `telegram:${person.telegramId}`, defaultTimezone: ctx.deps.defaultTimezone });
  if (result.errors.length > 0) return rejectFile(ctx, person, t.rejectedOnApply, result.errors, []);
  await endFlow(ctx.deps.db, person.id);
  ctx.log.info({ created: result.created, updated: result.updated, unchanged: result.unchanged }, "action plan imported from Telegram");
  await ctx.reply([t.done, countsLine(t, t.created, result.created), countsLine(t, t.updated, result.updated), t.unchanged(result.unchanged)].join("\n"), {
    parse_mode: "HTML",
  });
}

/**
 * Downloads, reads, validates and scope-checks a file. Returns its rows, or null after telling
 * the person what is wrong (the flow then waits for another file).
 */
async function loadPlan(ctx: PantauContext, person: Person, fileId: string, fileName: string, rejected: (count: number) => string): Promise<PlanRow[] | null> {
  const bytes = await download(ctx, fileId);
  if (!bytes) {
    await saveFlow<UploadState>(ctx.deps.db, person.id, kind, { step: "file" }, ctx.now);
    await ctx.reply(ctx.t.planUpload.downloadFailed);
    return null;
  }
  let plan: Awaited<ReturnType<typeof readPlanFile>>;
  try {
    plan = await readPlanFile(bytes, fileName, planFileLimits);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    await rejectFile(ctx, person, rejected, [], [unreadablePlanMessage(ctx.t, err)]);
    return null;
  }
  const { rows, errors } = plan;
  if (errors.length > 0) {
    await rejectFile(ctx, person, rejected, errors, []);
    return null;
  }
  const outside = await checkImportScope(ctx.deps.db, rows, grantsOf(person));
  if (outside.length > 0) {
    await rejectFile(ctx, person, rejected, outside, []);
    return null;
  }
  return rows;
}

/** The file's bytes from Telegram, or null when it cannot be had (never logging the URL: it holds the token). */
async function download(ctx: PantauContext, fileId: string): Promise<Buffer | null> {
  try {
    const url = await ctx.telegram.getFileLink(fileId);
    // A local Bot API server gives a path on its own disk.
    if (url.protocol === "file:") return await readFile(url);
    const response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
    if (!response.ok) {
      ctx.log.warn({ status: response.status }, "plan file download failed");
      return null;
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    return bytes;
  } catch (err) {
    ctx.log.warn({ error: err instanceof Error ? err.name : typeof err, code: (err as { code?: unknown })?.code }, "plan file download failed");
    return null;
  }
}

/** Tells the person why nothing was imported: the row-numbered errors, split within Telegram's limit. */
async function rejectFile(
  ctx: PantauContext,
  person: Person,
  rejected: (count: number) => string,
  errors: (PlanError | ScopeError)[],
  extra: string[],
): Promise<void> {
  await saveFlow<UploadState>(ctx.deps.db, person.id, kind, { step: "file" }, ctx.now);
  const lines = [...extra.map(escapeHtml), ...errors.slice(0, maxErrorLines).map((e) => escapeHtml(errorLine(ctx.t, e)))];
  if (errors.length > maxErrorLines) lines.push(ctx.t.planUpload.moreErrors(errors.length - maxErrorLines));
  const count = errors.length + extra.length;
  for (const text of splitMessages([rejected(count), lines.join("\n")])) await ctx.reply(text, { parse_mode: "HTML" });
}

function errorLine(t: Catalogue, e: PlanError | ScopeError): string {
  const value = e.value ?? "";
  const message = t.planUpload.scopeCodes[e.code]?.(value) ?? t.importErrors.codes[e.code]?.(value) ?? e.code;
  return t.importErrors.row(e.row, e.column, message);
}

const total = (c: ImportCounts) => c.programs + c.regions + c.units + c.initiatives + c.milestones;

function countsLine(t: Catalogue["planUpload"], label: string, c: ImportCounts): string {
  return t.counts(label, c.regions, c.units, c.initiatives, c.milestones);
}

/** The first few created or changed steps, for the preview; "" when none. */
function changeLines(t: Catalogue["planUpload"], result: ImportResult, lang: Language): string {
  if (result.changes.length === 0) return "";
  const date = (d: string) => formatShortDate(d, lang);
  const lines = result.changes.slice(0, previewSteps).map((c) => {
    // Names of up to 200 characters, shortened: eight such lines must fit one message with its buttons.
    const [title, initiative, unit] = [c.milestone, c.initiative, c.unit].map((name) => escapeHtml(shorten(name, previewNameLength))) as [
      string,
      string,
      string,
    ];
    if (c.kind === "created" || !c.previous) return t.createdLine(title, initiative, unit, date(c.dueDate), c.weight);
    const what = [
      ...(c.previous.dueDate !== c.dueDate ? [t.dueChange(date(c.previous.dueDate), date(c.dueDate))] : []),
      ...(c.previous.weight !== c.weight ? [t.weightChange(c.previous.weight, c.weight)] : []),
    ];
    return t.updatedLine(title, initiative, unit, what.join(", "));
  });
  if (result.changes.length > previewSteps) lines.push(t.moreChanges(result.changes.length - previewSteps));
  return [t.changesHeader, ...lines].join("\n");
}
