import { readFile } from "node:fs/promises";
import { Composer, Markup } from "telegraf";
import { z } from "zod";
import { formatShortDate, type Language } from "../../domain/dates.js";
import { AppError } from "../../domain/errors.js";
import type { PlanError, PlanRow } from "../../domain/plan-table.js";
import { planFileLimits } from "../../files/plan-file.js";
import { readPlanFile } from "../../files/read-plan-file.js";
import { unreadablePlanMessage, type Catalogue } from "../../i18n/index.js";
import { endFlow } from "../../services/flows.js";
import type { Person } from "../../services/people.js";
import { programGrants, scopeOf } from "../../services/scope.js";
import { checkImportScope, importPlan, type ImportCounts, type ImportResult, type ScopeError } from "../../services/plan-import.js";
import { answerError } from "../answer-error.js";
import type { PantauContext } from "../context.js";
import { acknowledge, defineFlow, FlowKind, personActor, type FlowMessage, type Press } from "../flows/flow.js";
import { escapeHtml, shorten, splitMessages } from "../format.js";
import { auditActor, requireRole } from "../guards.js";
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

const uploadState = z.discriminatedUnion("step", [
  z.object({ step: z.literal("file") }),
  z.object({ step: z.literal("confirm"), fileId: z.string(), fileName: z.string() }),
]);
export type UploadState = z.infer<typeof uploadState>;

/** Callback data: "pu:<token>:<ok|x>". */
const flow = new FlowKind("plan-upload", "pu", uploadState);
/** Changed steps listed in a preview; the counts cover the rest. */
const previewSteps = 8;
/** Longest name in a preview line. */
const previewNameLength = 80;
/** Error lines shown for a rejected file (a few messages at most; the rest is counted). */
const maxErrorLines = 80;

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
  await flow.save(ctx, person.id, { step: "file" });
  await ctx.reply(ctx.t.planUpload.askFile(names), { parse_mode: "HTML" });
});

/** A CSV or XLSX by name or type; other documents (.docx, .pdf, images) are refused before download. */
export function isPlanFile(name: string, mimeType: string | undefined): boolean {
  if (/\.(csv|txt|xlsx|xlsm|xls)$/i.test(name)) return true;
  if (name.includes(".")) return false;
  return /^(text\/csv|text\/plain|application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet)$/i.test(mimeType ?? "");
}

export type UploadNotice = { notice: "wrong_type"; name: string } | { notice: "too_big"; bytes: number } | { notice: "waiting_file" };

/**
 * A message while the flow is open (at either step: a new file replaces the one previewed): a plan
 * file is read, anything else answered. Refused on the size Telegram tells, before any download.
 */
export function uploadMessage(message: FlowMessage): { preview: { fileId: string; fileName: string } } | { say: UploadNotice } {
  if ("text" in message) return { say: { notice: "waiting_file" } };
  if ("photo" in message) return { say: { notice: "wrong_type", name: "" } };
  const doc = message.document;
  const name = doc.file_name ?? "";
  if (!isPlanFile(name, doc.mime_type)) return { say: { notice: "wrong_type", name } };
  if ((doc.file_size ?? 0) > planFileLimits.maxFileBytes) return { say: { notice: "too_big", bytes: doc.file_size ?? 0 } };
  return { preview: { fileId: doc.file_id, fileName: name } };
}

/** A press: Terapkan applies the file previewed; nothing else is a press of this flow. */
export function uploadPress(state: UploadState, press: Press): { apply: Extract<UploadState, { step: "confirm" }> } | "stale" {
  return state.step === "confirm" && press.action === "ok" ? { apply: state } : "stale";
}

function noticeText(t: Catalogue, say: UploadNotice): string {
  if (say.notice === "waiting_file") return t.planUpload.waitingFile;
  if (say.notice === "wrong_type") return t.planUpload.wrongType(escapeHtml(say.name));
  return t.planUpload.tooBig((say.bytes / 1024 / 1024).toFixed(1), planFileLimits.maxFileBytes / 1024 / 1024);
}

export const planUploadFlow = defineFlow(flow, {
  actor: personActor((ctx) => requireRole(ctx, "koordinator")),
  cancel: { place: "below", text: (t) => t.planUpload.cancelled },
  press: async (ctx, { person }, state, press) => {
    const outcome = uploadPress(state, press);
    if (outcome === "stale") return "stale";
    await acknowledge(ctx, "below");
    if (!beside(ctx, person, () => apply(ctx, person, outcome.apply))) await ctx.reply(ctx.t.planUpload.stillReading);
  },
  message: async (ctx, person, _live, message) => {
    const outcome = uploadMessage(message);
    if ("say" in outcome) {
      const text = noticeText(ctx.t, outcome.say);
      return void (await ctx.reply(text, outcome.say.notice === "wrong_type" ? { parse_mode: "HTML" } : {}));
    }
    const { fileId, fileName } = outcome.preview;
    if (!beside(ctx, person, () => preview(ctx, person, fileId, fileName))) await ctx.reply(ctx.t.planUpload.stillReading);
  },
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

/** Dry run of a sent file: the preview with the buttons, or its errors (and the flow waits for another file). */
async function preview(ctx: PantauContext, person: Person, fileId: string, fileName: string): Promise<void> {
  const rows = await loadPlan(ctx, person, fileId, fileName, ctx.t.planUpload.rejected);
  if (!rows) return;
  const result = await importPlan(ctx.deps.db, rows, {
    actor: auditActor(ctx, person),
    defaultTimezone: ctx.deps.defaultTimezone,
    now: ctx.now,
    fileName,
    dryRun: true,
  });
  if (result.errors.length > 0) return rejectFile(ctx, person, ctx.t.planUpload.rejected, result.errors, []);
  const t = ctx.t.planUpload;
  const header = t.previewHeader(escapeHtml(fileName));
  const counts = [countsLine(t, t.willCreate, result.created), countsLine(t, t.willUpdate, result.updated), t.unchanged(result.unchanged)].join("\n");
  if (total(result.created) + total(result.updated) === 0) {
    await endFlow(ctx.deps.db, person.id);
    await ctx.reply(`${header}\n\n${counts}\n\n${t.nothingToApply}`, { parse_mode: "HTML" });
    return;
  }
  const button = flow.buttons(await flow.save(ctx, person.id, { step: "confirm", fileId, fileName }));
  const text = [header, counts, changeLines(t, result, language(ctx)), t.confirmHint].filter(Boolean).join("\n\n");
  await ctx.reply(text, {
    parse_mode: "HTML",
    ...Markup.inlineKeyboard([[button(t.apply, "ok"), button(t.cancel, "x")]]),
  });
}

/** Applies the confirmed file as it is now (a re-import is idempotent, so a changed database is fine). */
async function apply(ctx: PantauContext, person: Person, state: Extract<UploadState, { step: "confirm" }>): Promise<void> {
  const t = ctx.t.planUpload;
  ctx.log.info({ file: state.fileName }, "applying an action plan from Telegram");
  const rows = await loadPlan(ctx, person, state.fileId, state.fileName, t.rejectedOnApply);
  if (!rows) return;
  const result = await importPlan(ctx.deps.db, rows, {
    actor: auditActor(ctx, person),
    defaultTimezone: ctx.deps.defaultTimezone,
    now: ctx.now,
    fileName: state.fileName,
  });
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
    await flow.save(ctx, person.id, { step: "file" });
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
  await flow.save(ctx, person.id, { step: "file" });
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
