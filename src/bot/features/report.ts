import { Composer, Markup } from "telegraf";
import { message } from "telegraf/filters";
import type { Message } from "telegraf/types";
import { formatShortDate } from "../../domain/dates.js";
import { AppError } from "../../domain/errors.js";
import { statusForPercent } from "../../domain/progress.js";
import type { MilestoneStatus } from "../../domain/statuses.js";
import { claimFlowStep, endFlow, getFlow, saveFlow } from "../../services/flows.js";
import { updateFlowState, undoReport } from "../../services/evidence.js";
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
import { escapeHtml, shorten } from "../format.js";
import { requireRole } from "../guards.js";
import { language } from "../language.js";

/**
 * /lapor (/report): pick the step from buttons, give a percentage (button or typed) or say it
 * is blocked, add a note (required when blocked or when progress goes down), confirm; while the
 * confirmation is open, photos and documents sent are kept as its evidence (bukti dukung), each
 * acknowledged with the count and a Simpan button (one step less than a separate evidence step,
 * which matters on a poor connection). A photo sent instead of the note is evidence too, its
 * caption the note. The saved report can be undone for 30 minutes
 * ("↩️ Urungkan"); to correct a report, undo it and report again. The state lives in the database (ChatFlow), so a restart
 * in the middle loses nothing; every button carries the flow's current token and is checked
 * again on the server, so a stale or forged press changes nothing.
 */
export const report = new Composer<PantauContext>();

type Files = EvidenceInput[];
type Reason = "blocked" | "decrease" | null;
type ReportState =
  | { step: "milestone"; evidence?: Files }
  | { step: "percent"; milestoneId: number; evidence?: Files }
  | { step: "note"; milestoneId: number; percent: number | null; status: MilestoneStatus; reason: Reason; previous: number; evidence?: Files }
  | { step: "confirm"; milestoneId: number; percent: number | null; status: MilestoneStatus; note: string | null; evidence: Files };

const kind = "report";
const maxButtons = 30;
const percentChoices = [0, 25, 50, 75, 100];

/** Callback data: "lp:<token>:<action>[:<arg>]". */
const button = (text: string, token: string, action: string, arg?: string | number) =>
  Markup.button.callback(text, ["lp", token, action, ...(arg === undefined ? [] : [String(arg)])].join(":"));

/** Callback data of the undo button under a saved report: "un:<report id>" (checked on the server). */
export const undoButton = (ctx: PantauContext, reportId: number) => Markup.button.callback(ctx.t.report.undoButton, `un:${reportId}`);

function describe(ctx: PantauContext, percent: number | null, status: MilestoneStatus, previous: number): string {
  return ctx.t.progressText(percent ?? previous, status);
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

/**
 * Starts the report flow at its first step: the given steps as buttons (the nearest
 * `maxButtons`), under `intro`. Also used when a reply to a reminder listing several steps
 * must say which one it is about (`evidence`: the files that reply carried, kept for the report).
 */
export async function offerSteps(ctx: PantauContext, person: Person, steps: MilestoneView[], intro: string, evidence?: Files): Promise<void> {
  if (steps.length === 0) {
    await endFlow(ctx.deps.db, person.id);
    await ctx.reply(ctx.t.report.noMilestones);
    return;
  }
  const token = await saveFlow<ReportState>(ctx.deps.db, person.id, kind, { step: "milestone", ...(evidence?.length ? { evidence } : {}) }, ctx.now);
  const lang = language(ctx);
  const rows = steps
    .slice(0, maxButtons)
    .map((m) => [button(`${m.daysLate > 0 ? "🔴 " : ""}${shorten(m.title, 40)} · ${formatShortDate(m.dueDate, lang)}`, token, "m", m.id)]);
  const text = steps.length > maxButtons ? `${intro}\n${ctx.t.report.listCut(maxButtons, steps.length)}` : intro;
  await ctx.reply(text, Markup.inlineKeyboard(rows));
}

report.action(/^lp:([\w-]+):(\w+)(?::([\w-]+))?$/, async (ctx) => {
  const person = await requireRole(ctx, "pic");
  if (!person) return;
  const [, token, action, arg] = ctx.match;
  const flow = await getFlow<ReportState>(ctx.deps.db, person.id, ctx.now);
  if (!flow || flow.kind !== kind || flow.token !== token || !(await claimFlowStep(ctx.deps.db, person.id, token, ctx.now))) {
    ctx.log.info({ action }, "stale or forged report button");
    await ctx.answerCbQuery(ctx.t.access.staleButton, { show_alert: true });
    return;
  }
  // Answered (and the keyboard removed, preventing double presses) once the press is known
  // to be valid; a refused press is answered by the error handler with the reason.
  const acknowledge = async () => {
    await ctx.answerCbQuery();
    await ctx.editMessageReplyMarkup(undefined).catch(() => undefined);
  };
  const state = flow.state;

  if (action === "m" && state.step === "milestone") {
    const step = await reportableMilestone(ctx.deps.db, person, Number(arg), ctx.now);
    await acknowledge();
    return choosePercent(ctx, person, step, state.evidence);
  }
  if (action === "p" && state.step === "percent" && percentChoices.includes(Number(arg))) {
    await acknowledge();
    return askNote(ctx, person, state, Number(arg), statusForPercent(Number(arg)));
  }
  if (action === "b" && state.step === "percent") {
    await acknowledge();
    return askNote(ctx, person, state, null, "blocked");
  }
  if (action === "skip" && state.step === "note" && state.reason === null) {
    await acknowledge();
    return confirm(ctx, person, { ...toConfirm(state), note: null });
  }
  if (action === "ok" && state.step === "confirm") {
    await acknowledge();
    return save(ctx, person, state);
  }
  if (action === "x") {
    await acknowledge();
    await endFlow(ctx.deps.db, person.id);
    await ctx.reply(ctx.t.report.cancelled);
    return;
  }
  await ctx.answerCbQuery(ctx.t.access.staleButton, { show_alert: true });
});

/** Typed answers inside the flow: a percentage, or the note. */
report.on("text", async (ctx, next) => {
  if (!ctx.person || ctx.message.text.startsWith("/") || ctx.chat.type !== "private") return next();
  const flow = await getFlow<ReportState>(ctx.deps.db, ctx.person.id, ctx.now);
  if (!flow || flow.kind !== kind) return next();
  const state = flow.state;
  const text = ctx.message.text.trim();
  if (state.step === "percent") {
    const match = /^(\d{1,3})\s*(%|persen)?$/i.exec(text);
    const percent = match ? Number(match[1]) : NaN;
    if (!(percent >= 0 && percent <= 100)) {
      await ctx.reply(ctx.t.report.badPercent);
      return;
    }
    return askNote(ctx, ctx.person, state, percent, statusForPercent(percent));
  }
  if (state.step === "note") {
    const note = text.slice(0, noteLimit).trim();
    if (!note) return askAgainForReason(ctx, state);
    return confirm(ctx, ctx.person, { ...toConfirm(state), note });
  }
  // At the other steps the buttons are the answer.
  return next();
});

/** A photo or document inside the flow: evidence (at the note step, its caption is the note). */
report.on([message("photo"), message("document")], async (ctx, next) => {
  if (!ctx.person || ctx.chat.type !== "private") return next();
  const flow = await getFlow<ReportState>(ctx.deps.db, ctx.person.id, ctx.now);
  if (!flow || flow.kind !== kind) return next();
  const file = evidenceOf(ctx.message, ctx.chat.id)!;
  const state = flow.state;
  if (state.step === "note") {
    const note = ctx.message.caption?.trim().slice(0, noteLimit) || null;
    if (!note && state.reason !== null) return askAgainForReason(ctx, state);
    return confirm(ctx, ctx.person, { ...toConfirm(state), note, evidence: [...(state.evidence ?? []), file] });
  }
  if (state.step !== "confirm") {
    await ctx.reply(ctx.t.evidence.notYet);
    return;
  }
  let full = false;
  const updated = await updateFlowState<ReportState>(
    ctx.deps.db,
    ctx.person.id,
    kind,
    (current) => {
      if (current.step !== "confirm") return null;
      if (current.evidence.some((e) => e.fileUniqueId === file.fileUniqueId)) return current;
      if (current.evidence.length >= evidenceLimit) {
        full = true;
        return null;
      }
      return { ...current, evidence: [...current.evidence, file] };
    },
    ctx.now,
  );
  if (full) {
    await ctx.reply(ctx.t.evidence.tooMany(evidenceLimit), Markup.inlineKeyboard([[button(ctx.t.evidence.save(evidenceLimit), flow.token, "ok")]]));
    return;
  }
  // The flow moved on meanwhile (saved, cancelled): the file is not part of it.
  if (!updated || updated.step !== "confirm") return next();
  const position = updated.evidence.findIndex((e) => e.fileUniqueId === file.fileUniqueId) + 1;
  return acknowledgeFile(ctx, flow.token, position, file, updated.evidence.length);
});

/**
 * One short answer per file with the count and a Simpan button; the flow's token stays valid
 * while files come in, so the confirmation's own Simpan works too (and saves every file so far).
 */
async function acknowledgeFile(ctx: PantauContext, token: string, position: number, file: EvidenceInput, total: number) {
  const name = file.kind === "photo" ? ctx.t.evidence.photo : (file.fileName ?? ctx.t.evidence.document);
  await ctx.reply(ctx.t.evidence.received(position, name, total), {
    reply_parameters: { message_id: file.messageId },
    ...Markup.inlineKeyboard([[button(ctx.t.evidence.save(total), token, "ok"), button(ctx.t.report.cancel, token, "x")]]),
  });
}

/** The note step's state without its note-step fields, ready for the confirmation. */
function toConfirm(state: Extract<ReportState, { step: "note" }>) {
  return { step: "confirm" as const, milestoneId: state.milestoneId, percent: state.percent, status: state.status, evidence: state.evidence ?? [] };
}

async function askAgainForReason(ctx: PantauContext, state: Extract<ReportState, { step: "note" }>) {
  await ctx.reply(state.reason === "decrease" ? ctx.t.report.askDecreaseReason(state.previous, state.percent ?? state.previous) : ctx.t.report.needReason);
}

async function choosePercent(ctx: PantauContext, person: Person, step: MilestoneView, evidence?: Files) {
  const state: ReportState = { step: "percent", milestoneId: step.id, ...(evidence?.length ? { evidence } : {}) };
  const token = await saveFlow<ReportState>(ctx.deps.db, person.id, kind, state, ctx.now);
  await ctx.reply(ctx.t.report.pickPercent(escapeHtml(step.title), step.progress), {
    parse_mode: "HTML",
    ...Markup.inlineKeyboard([
      percentChoices.map((p) => button(`${p}%`, token, "p", p)),
      [button(ctx.t.report.blockedButton, token, "b"), button(ctx.t.report.cancel, token, "x")],
    ]),
  });
}

/** Asks for the note; without Lewati when one is required (blocked, or progress going down). */
async function askNote(ctx: PantauContext, person: Person, from: Extract<ReportState, { step: "percent" }>, percent: number | null, status: MilestoneStatus) {
  const step = await reportableMilestone(ctx.deps.db, person, from.milestoneId, ctx.now);
  const reason = reasonRequired(step, { percent, status });
  const state: ReportState = {
    step: "note",
    milestoneId: step.id,
    percent,
    status,
    reason,
    previous: step.progress,
    ...(from.evidence ? { evidence: from.evidence } : {}),
  };
  const token = await saveFlow<ReportState>(ctx.deps.db, person.id, kind, state, ctx.now);
  if (reason === "blocked") {
    await ctx.reply(ctx.t.report.askReason, Markup.inlineKeyboard([[button(ctx.t.report.cancel, token, "x")]]));
    return;
  }
  if (reason === "decrease") {
    await ctx.reply(
      ctx.t.report.askDecreaseReason(step.progress, percent ?? step.progress),
      Markup.inlineKeyboard([[button(ctx.t.report.cancel, token, "x")]]),
    );
    return;
  }
  await ctx.reply(ctx.t.report.askNote, Markup.inlineKeyboard([[button(ctx.t.report.skip, token, "skip"), button(ctx.t.report.cancel, token, "x")]]));
}

async function confirm(ctx: PantauContext, person: Person, state: Extract<ReportState, { step: "confirm" }>) {
  const step = await reportableMilestone(ctx.deps.db, person, state.milestoneId, ctx.now);
  const token = await saveFlow<ReportState>(ctx.deps.db, person.id, kind, state, ctx.now);
  await ctx.reply(
    ctx.t.report.confirm(
      escapeHtml(step.title),
      describe(ctx, state.percent, state.status, step.progress),
      state.note ? escapeHtml(state.note) : null,
      state.evidence.length,
    ),
    {
      parse_mode: "HTML",
      ...Markup.inlineKeyboard([[button(ctx.t.report.save, token, "ok"), button(ctx.t.report.cancel, token, "x")]]),
    },
  );
}

async function save(ctx: PantauContext, person: Person, state: Extract<ReportState, { step: "confirm" }>) {
  let saved: SavedReport;
  try {
    saved = await recordReport(
      ctx.deps.db,
      person,
      { milestoneId: state.milestoneId, percent: state.percent, status: state.status, note: state.note, source: "flow", evidence: state.evidence },
      ctx.now,
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
  const lines = [ctx.t.report.saved(escapeHtml(saved.title), ctx.t.progressText(saved.progress, saved.status))];
  if (saved.evidenceCount > 0) lines.push(ctx.t.evidence.line(saved.evidenceCount));
  lines.push("", ctx.t.report.undoHint);
  await ctx.reply(lines.join("\n"), { parse_mode: "HTML", ...Markup.inlineKeyboard([[undoButton(ctx, saved.reportId)]]) });
}

/**
 * "↩️ Urungkan" under a saved report (from the flow or a reply to a reminder): checked on the
 * server (the reporter, not undone yet, within 30 minutes); the confirmation is replaced by what
 * the undo did, which also removes the button.
 */
report.action(/^un:(\d+)$/, async (ctx) => {
  const person = await requireRole(ctx, "pic");
  if (!person) return;
  const result = await undoReport(ctx.deps.db, person, Number(ctx.match[1]), ctx.now);
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
