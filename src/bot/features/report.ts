import { Composer, Markup } from "telegraf";
import type { Message } from "telegraf/types";
import { z } from "zod";
import { formatShortDate } from "../../domain/dates.js";
import { AppError } from "../../domain/errors.js";
import { statusForPercent } from "../../domain/progress.js";
import { milestoneStatuses, type MilestoneStatus } from "../../domain/statuses.js";
import type { Catalogue } from "../../i18n/index.js";
import { undoReport } from "../../services/evidence.js";
import { endFlow, updateFlowState } from "../../services/flows.js";
import {
  evidenceLimit,
  noteLimit,
  openMilestones,
  reasonRequired,
  recordReport,
  reportableMilestone,
  type EvidenceInput,
  type MilestoneView,
  type SavedReport,
} from "../../services/milestones.js";
import type { Person } from "../../services/people.js";
import type { PantauContext } from "../context.js";
import { acknowledge, defineFlow, FlowKind, personActor, idOf, type AnswerExtra, type FlowMessage, type Press } from "../flows/flow.js";
import { escapeHtml, shorten } from "../format.js";
import { auditActor, requirePerson, requireRole } from "../guards.js";
import { language } from "../language.js";

/**
 * /lapor (/report): pick the step from buttons, give a percentage (button or typed) or say it
 * is blocked, add a note (required when blocked or when progress goes down), confirm; while the
 * confirmation is open, photos and documents sent are kept as its evidence (bukti dukung), each
 * acknowledged with the count and a Simpan button (one step less than a separate evidence step,
 * which matters on a poor connection). A photo sent instead of the note is evidence too, its
 * caption the note. The saved report can be undone for 30 minutes ("↩️ Urungkan"); to correct a
 * report, undo it and report again. A flow (flows/flow.ts): its steps are `reportStep`, pure.
 */
export const report = new Composer<PantauContext>();

/** A file kept in a flow's state until its report is saved. */
export const evidenceSchema = z.object({
  kind: z.enum(["photo", "document"]),
  fileId: z.string(),
  fileUniqueId: z.string(),
  fileName: z.string().nullable(),
  mimeType: z.string().nullable(),
  chatId: z.number(),
  messageId: z.number(),
});
const files = z.array(evidenceSchema);
const milestoneId = z.number().int();
const percent = z.number().int().min(0).max(100).nullable();
const status = z.enum(milestoneStatuses);

const reportState = z.discriminatedUnion("step", [
  z.object({ step: z.literal("milestone"), evidence: files.optional() }),
  z.object({ step: z.literal("percent"), milestoneId, evidence: files.optional() }),
  z.object({
    step: z.literal("note"),
    milestoneId,
    percent,
    status,
    reason: z.enum(["blocked", "decrease"]).nullable(),
    previous: z.number(),
    evidence: files.optional(),
  }),
  z.object({ step: z.literal("confirm"), milestoneId, percent, status, note: z.string().nullable(), evidence: files }),
]);

export type ReportState = z.infer<typeof reportState>;
type StepState<K extends ReportState["step"]> = Extract<ReportState, { step: K }>;

/** Callback data: "lp:<token>:<action>[:<arg>]". */
const flow = new FlowKind("report", "lp", reportState);
const maxButtons = 30;
const percentChoices = [0, 25, 50, 75, 100];

/** What reaches the flow: a press of its buttons, a typed text, a photo or document. */
export type ReportEvent = { type: "press"; press: Press } | { type: "text"; text: string } | { type: "file"; file: EvidenceInput; caption: string | null };

/** A step shown with its buttons. */
export type ReportView =
  | { view: "percent"; title: string; progress: number }
  | { view: "note"; reason: "blocked" | "decrease" | null; from: number; to: number }
  | { view: "confirm"; title: string; progress: number; status: MilestoneStatus; note: string | null; files: number };

/** An answer that leaves the flow where it is. */
export type ReportNotice =
  { notice: "bad_percent" } | { notice: "reason_missing"; reason: "blocked" | "decrease" | null; from: number; to: number } | { notice: "not_yet" };

export type ReportOutcome =
  { to: ReportState; show: ReportView } | { say: ReportNotice } | { save: StepState<"confirm"> } | { addFile: EvidenceInput } | "stale" | "pass";

/** The step an event needs read (and checked as still the person's to report) before `reportStep`. */
export function milestoneToLoad(state: ReportState, event: ReportEvent): number | null {
  if (state.step === "milestone") return event.type === "press" && event.press.action === "m" ? idOf(event.press.arg) : null;
  return state.step === "confirm" ? null : state.milestoneId;
}

/** A typed percentage ("60", "60%", "60 persen"); null for anything else. */
export function typedPercent(text: string): number | null {
  const match = /^(\d{1,3})\s*(%|persen)?$/i.exec(text.trim());
  const value = match ? Number(match[1]) : NaN;
  return value >= 0 && value <= 100 ? value : null;
}

/**
 * The report flow's transitions: the state and what reached it (with the step it names, read by
 * `milestoneToLoad`) give the next state and what to show, or what to do.
 */
export function reportStep(state: ReportState, event: ReportEvent, step: MilestoneView | null): ReportOutcome {
  const refused = event.type === "press" ? "stale" : "pass";
  switch (state.step) {
    case "milestone":
      if (event.type === "press") return event.press.action === "m" && step ? toPercent(state, step) : "stale";
      return event.type === "file" ? { say: { notice: "not_yet" } } : "pass";
    case "percent": {
      if (!step) return refused;
      if (event.type === "press") {
        const chosen = idOf(event.press.arg);
        if (event.press.action === "p" && chosen !== null && percentChoices.includes(chosen)) return toNote(state, step, chosen, statusForPercent(chosen));
        return event.press.action === "b" ? toNote(state, step, null, "blocked") : "stale";
      }
      if (event.type === "file") return { say: { notice: "not_yet" } };
      const typed = typedPercent(event.text);
      return typed === null ? { say: { notice: "bad_percent" } } : toNote(state, step, typed, statusForPercent(typed));
    }
    case "note": {
      if (!step) return refused;
      if (event.type === "press") return event.press.action === "skip" && state.reason === null ? toConfirm(state, step, null, state.evidence ?? []) : "stale";
      if (event.type === "text") {
        const note = event.text.trim().slice(0, noteLimit).trim();
        return note ? toConfirm(state, step, note, state.evidence ?? []) : reasonMissing(state);
      }
      // A photo instead of the note: its caption is the note, and it is evidence.
      const note = event.caption?.trim().slice(0, noteLimit) || null;
      if (!note && state.reason !== null) return reasonMissing(state);
      return toConfirm(state, step, note, [...(state.evidence ?? []), event.file]);
    }
    case "confirm":
      if (event.type === "press") return event.press.action === "ok" ? { save: state } : "stale";
      return event.type === "file" ? { addFile: event.file } : "pass";
  }
}

function toPercent(state: StepState<"milestone">, step: MilestoneView): ReportOutcome {
  return {
    to: { step: "percent", milestoneId: step.id, ...(state.evidence?.length ? { evidence: state.evidence } : {}) },
    show: { view: "percent", title: step.title, progress: step.progress },
  };
}

/** Asks for the note; it is required when blocked or when progress goes down. */
function toNote(state: StepState<"percent">, step: MilestoneView, percent: number | null, status: MilestoneStatus): ReportOutcome {
  const reason = reasonRequired(step, { percent, status });
  return {
    to: { step: "note", milestoneId: step.id, percent, status, reason, previous: step.progress, ...(state.evidence ? { evidence: state.evidence } : {}) },
    show: { view: "note", reason, from: step.progress, to: percent ?? step.progress },
  };
}

function toConfirm(state: StepState<"note">, step: MilestoneView, note: string | null, evidence: EvidenceInput[]): ReportOutcome {
  return {
    to: { step: "confirm", milestoneId: state.milestoneId, percent: state.percent, status: state.status, note, evidence },
    show: { view: "confirm", title: step.title, progress: state.percent ?? step.progress, status: state.status, note, files: evidence.length },
  };
}

function reasonMissing(state: StepState<"note">): ReportOutcome {
  return { say: { notice: "reason_missing", reason: state.reason, from: state.previous, to: state.percent ?? state.previous } };
}

/**
 * The confirmation with one more file (the same file twice counts once); "full" at the limit,
 * null when the flow is no longer at its confirmation.
 */
export function withFile(state: ReportState, file: EvidenceInput): ReportState | "full" | null {
  if (state.step !== "confirm") return null;
  if (state.evidence.some((e) => e.fileUniqueId === file.fileUniqueId)) return state;
  if (state.evidence.length >= evidenceLimit) return "full";
  return { ...state, evidence: [...state.evidence, file] };
}

type Buttons = ReturnType<typeof flow.buttons>;

function render(t: Catalogue, view: ReportView, button: Buttons): { text: string; extra: AnswerExtra } {
  const cancel = button(t.report.cancel, "x");
  switch (view.view) {
    case "percent":
      return {
        text: t.report.pickPercent(escapeHtml(view.title), view.progress),
        extra: {
          parse_mode: "HTML",
          ...Markup.inlineKeyboard([percentChoices.map((p) => button(`${p}%`, "p", p)), [button(t.report.blockedButton, "b"), cancel]]),
        },
      };
    case "note":
      if (view.reason === "blocked") return { text: t.report.askReason, extra: Markup.inlineKeyboard([[cancel]]) };
      if (view.reason === "decrease") return { text: t.report.askDecreaseReason(view.from, view.to), extra: Markup.inlineKeyboard([[cancel]]) };
      return { text: t.report.askNote, extra: Markup.inlineKeyboard([[button(t.report.skip, "skip"), cancel]]) };
    case "confirm":
      return {
        text: t.report.confirm(escapeHtml(view.title), t.progressText(view.progress, view.status), view.note ? escapeHtml(view.note) : null, view.files),
        extra: { parse_mode: "HTML", ...Markup.inlineKeyboard([[button(t.report.save, "ok"), cancel]]) },
      };
  }
}

function noticeText(t: Catalogue, notice: ReportNotice): string {
  switch (notice.notice) {
    case "bad_percent":
      return t.report.badPercent;
    case "reason_missing":
      return notice.reason === "decrease" ? t.report.askDecreaseReason(notice.from, notice.to) : t.report.needReason;
    case "not_yet":
      return t.evidence.notYet;
  }
}

/** Callback data of the undo button under a saved report: "un:<report id>" (checked on the server). */
export const undoButton = (ctx: PantauContext, reportId: number) => Markup.button.callback(ctx.t.report.undoButton, `un:${reportId}`);

/**
 * The one answer to a saved report, however it came (the guided /lapor, a reply to a reminder,
 * with or without files): what the step is at now, the note, the evidence, the undo button.
 */
export function savedReportAnswer(ctx: PantauContext, saved: SavedReport, note: string | null): { text: string; extra: AnswerExtra } {
  const kept = note?.trim().slice(0, noteLimit) || null;
  const lines = [ctx.t.report.saved(escapeHtml(saved.title), ctx.t.progressText(saved.progress, saved.status), kept ? escapeHtml(kept) : null)];
  if (saved.evidenceCount > 0) lines.push(ctx.t.evidence.line(saved.evidenceCount));
  lines.push("", ctx.t.report.undoHint);
  return { text: lines.join("\n"), extra: { parse_mode: "HTML", ...Markup.inlineKeyboard([[undoButton(ctx, saved.reportId)]]) } };
}

/** Telegram's reference to the photo (its largest size) or document of a message; null for anything else. */
export function evidenceOf(msg: Message, chatId: number): EvidenceInput | null {
  if ("photo" in msg && msg.photo.length > 0) {
    const largest = msg.photo.at(-1)!;
    return {
      kind: "photo",
      fileId: largest.file_id,
      fileUniqueId: largest.file_unique_id,
      fileName: null,
      mimeType: "image/jpeg",
      chatId,
      messageId: msg.message_id,
    };
  }
  if ("document" in msg) {
    const d = msg.document;
    return {
      kind: "document",
      fileId: d.file_id,
      fileUniqueId: d.file_unique_id,
      fileName: d.file_name ?? null,
      mimeType: d.mime_type ?? null,
      chatId,
      messageId: msg.message_id,
    };
  }
  return null;
}

report.command(["lapor", "report"], async (ctx) => {
  const person = await requireRole(ctx, "pic");
  if (!person) return;
  await offerSteps(ctx, person, await openMilestones(ctx.deps.db, person, ctx.now), ctx.t.report.pickMilestone);
});

/** A step as a button shows it: late ones marked, the title shortened, the due date. */
export function stepLabel(ctx: PantauContext, m: MilestoneView): string {
  return `${m.daysLate > 0 ? "🔴 " : ""}${shorten(m.title, 40)} · ${formatShortDate(m.dueDate, language(ctx))}`;
}

/**
 * Starts the report flow at its first step: the given steps as buttons (the nearest
 * `maxButtons`), under `intro`. Also used when a reply to a reminder listing several steps
 * is a file without a caption (`evidence`: that file, kept for the report).
 */
export async function offerSteps(ctx: PantauContext, person: Person, steps: MilestoneView[], intro: string, evidence?: EvidenceInput[]): Promise<void> {
  if (steps.length === 0) {
    await endFlow(ctx.deps.db, person.id);
    await ctx.reply(ctx.t.report.noMilestones);
    return;
  }
  const button = flow.buttons(await flow.save(ctx, person.id, { step: "milestone", ...(evidence?.length ? { evidence } : {}) }));
  const rows = steps.slice(0, maxButtons).map((m) => [button(stepLabel(ctx, m), "m", m.id)]);
  const text = steps.length > maxButtons ? `${intro}\n${ctx.t.report.listCut(maxButtons, steps.length)}` : intro;
  await ctx.reply(text, Markup.inlineKeyboard(rows));
}

/**
 * Starts the report flow on one step, past the step's choice (📝 Lapor under a reminder): the
 * flow's own step from its first, as a press of that step's button would take it.
 */
export async function reportOn(ctx: PantauContext, person: Person, step: MilestoneView): Promise<void> {
  const outcome = reportStep({ step: "milestone" }, { type: "press", press: { action: "m", arg: String(step.id) } }, step);
  if (typeof outcome === "string" || !("show" in outcome)) throw new Error("the report flow did not take its first step");
  const view = render(ctx.t, outcome.show, flow.buttons(await flow.save(ctx, person.id, outcome.to)));
  await ctx.reply(view.text, view.extra);
}

/**
 * Validate, load, decide, save: the step the event names is read (and checked as still the
 * person's), `reportStep` decides, and its outcome is saved and shown.
 */
async function take(ctx: PantauContext, person: Person, state: ReportState, token: string | null, event: ReportEvent) {
  const id = milestoneToLoad(state, event);
  const step = id === null ? null : await reportableMilestone(ctx.deps.db, person, id, ctx.now);
  const outcome = reportStep(state, event, step);
  if (outcome === "stale" || outcome === "pass") return outcome;
  // A valid press is answered, and its keyboard removed (no second press), before the work.
  if (event.type === "press") await acknowledge(ctx, "below");
  if ("save" in outcome) return save(ctx, person, outcome.save);
  if ("addFile" in outcome) return token === null ? "pass" : addFile(ctx, person, token, outcome.addFile);
  if ("say" in outcome) return void (await ctx.reply(noticeText(ctx.t, outcome.say)));
  const view = render(ctx.t, outcome.show, flow.buttons(await flow.save(ctx, person.id, outcome.to)));
  await ctx.reply(view.text, view.extra);
}

export const reportFlow = defineFlow(flow, {
  // Whoever holds the flow: a focal point's /lapor, or a reminder's 📝 Lapor pressed by a head
  // standing in; each step is checked as still theirs to report on (`take`).
  actor: personActor(requirePerson),
  cancel: { place: "below", text: (t) => t.report.cancelled },
  press: async (ctx, { person }, state, press) => {
    const result = await take(ctx, person, state, null, { type: "press", press });
    return result === "pass" ? "stale" : result;
  },
  message: async (ctx, person, live, message: FlowMessage) => {
    const event: ReportEvent =
      "text" in message
        ? { type: "text", text: message.text }
        : { type: "file", file: evidenceOf(message, message.chat.id)!, caption: message.caption ?? null };
    const result = await take(ctx, person, live.state, live.token, event);
    return result === "stale" ? "pass" : result;
  },
});

/**
 * A file at the confirmation joins its evidence: a compare-and-set on the stored state, so the
 * files of an album, handled at once, are all kept. The flow's token stays valid while files come
 * in, so the confirmation's own Simpan works too (and saves every file so far).
 */
async function addFile(ctx: PantauContext, person: Person, token: string, file: EvidenceInput): Promise<"pass" | void> {
  let full = false;
  const updated = await updateFlowState(
    ctx.deps.db,
    person.id,
    flow.kind,
    (raw) => {
      const current = flow.read(raw);
      const next = current && withFile(current, file);
      if (next === "full") full = true;
      return next === "full" ? null : next;
    },
    ctx.now,
  );
  const button = flow.buttons(token);
  if (full) {
    await ctx.reply(ctx.t.evidence.tooMany(evidenceLimit), Markup.inlineKeyboard([[button(ctx.t.evidence.save(evidenceLimit), "ok")]]));
    return;
  }
  // The flow moved on meanwhile (saved, cancelled): the file is not part of it.
  if (!updated || updated.step !== "confirm") return "pass";
  const position = updated.evidence.findIndex((e) => e.fileUniqueId === file.fileUniqueId) + 1;
  const total = updated.evidence.length;
  const name = file.kind === "photo" ? ctx.t.evidence.photo : (file.fileName ?? ctx.t.evidence.document);
  await ctx.reply(ctx.t.evidence.received(position, name, total), {
    reply_parameters: { message_id: file.messageId },
    ...Markup.inlineKeyboard([[button(ctx.t.evidence.save(total), "ok"), button(ctx.t.report.cancel, "x")]]),
  });
}

async function save(ctx: PantauContext, person: Person, state: StepState<"confirm">) {
  let saved: SavedReport;
  try {
    saved = await recordReport(
      ctx.deps.db,
      person,
      { milestoneId: state.milestoneId, percent: state.percent, status: state.status, note: state.note, source: "flow", evidence: state.evidence },
      ctx.now,
      auditActor(ctx, person),
    );
  } catch (err) {
    // Access lost, the step vanished, or its progress moved above this report meanwhile.
    if (err instanceof AppError) await endFlow(ctx.deps.db, person.id);
    if (err instanceof AppError && err.code === "report.decrease_reason_required") {
      await ctx.reply(ctx.t.report.decreaseRefused(Number(err.params.from), Number(err.params.to)));
      return;
    }
    throw err;
  }
  await endFlow(ctx.deps.db, person.id);
  const answer = savedReportAnswer(ctx, saved, state.note);
  await ctx.reply(answer.text, answer.extra);
}

/**
 * "↩️ Urungkan" under a saved report (from the flow or a reply to a reminder): checked on the
 * server (the reporter, not undone yet, within 30 minutes); the confirmation is replaced by what
 * the undo did, which also removes the button.
 */
report.action(/^un:(\d+)$/, async (ctx) => {
  // The reporter: a focal point, or a head who reported standing in (`undoReport` checks both).
  const person = await requirePerson(ctx);
  if (!person) return;
  const result = await undoReport(ctx.deps.db, person, Number(ctx.match[1]), ctx.now, auditActor(ctx, person));
  if (!result.ok) {
    ctx.log.info({ reason: result.reason }, "undo refused");
    await ctx.answerCbQuery(ctx.t.report.undoRefused[result.reason], { show_alert: true });
    return;
  }
  await ctx.answerCbQuery();
  const text = ctx.t.report.undone(escapeHtml(result.title), ctx.t.progressText(result.progress, result.status));
  await ctx.editMessageText(text, { parse_mode: "HTML" }).catch(async () => {
    // The confirmation is gone or too old to edit: say it in a new message.
    await ctx.reply(text, { parse_mode: "HTML" });
  });
});
