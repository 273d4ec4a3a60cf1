import { Composer, Markup } from "telegraf";
import { message } from "telegraf/filters";
import { z } from "zod";
import { AppError } from "../../domain/errors.js";
import { parseProgressReply } from "../../domain/reply-parser.js";
import { milestoneStatuses } from "../../domain/statuses.js";
import { matchStep } from "../../domain/step-match.js";
import { attachToRecentReport } from "../../services/evidence.js";
import { claimFlowStep, endFlow, getFlow, releaseFlowStep, updateFlowState } from "../../services/flows.js";
import { evidenceLimit, headOfAny, recordReport, reportableMilestones, type EvidenceInput, type MilestoneView } from "../../services/milestones.js";
import type { Person } from "../../services/people.js";
import { deliveriesForMessage } from "../../services/reminders.js";
import type { PantauContext } from "../context.js";
import { acknowledge, defineFlow, FlowKind, idOf, personActor, type LiveFlow, type Press } from "../flows/flow.js";
import { escapeHtml } from "../format.js";
import { auditActor, requirePerson } from "../guards.js";
import { evidenceOf, evidenceSchema, offerSteps, savedReportAnswer, stepLabel } from "./report.js";

/**
 * A focal point replies to a reminder in plain language ("60% draf SOP selesai", "sudah
 * selesai", "terkendala anggaran"), as text or as the caption of a photo or document: the report
 * is recorded against that reminder's step, with the file as its evidence. A reminder listing
 * several steps: the step the reply names ("75%, SOP-nya tinggal ditandatangani"); when it names
 * none, or several, the bot asks with the steps as buttons and keeps the reply (its report and
 * file) meanwhile, so a press records it. A file without a caption is added to the person's
 * report on the reminder's step(s) of the last hour (a photo sent right after the text, the rest
 * of an album); with no such report the bot asks for the progress in the caption, rather than
 * guessing one.
 */
export const reminderReply = new Composer<PantauContext>();

reminderReply.on("text", (ctx, next) => handleReply(ctx, next, ctx.message.reply_to_message, ctx.message.message_id, ctx.message.text, null));

reminderReply.on([message("photo"), message("document")], (ctx, next) =>
  handleReply(ctx, next, ctx.message.reply_to_message, ctx.message.message_id, ctx.message.caption ?? "", evidenceOf(ctx.message, ctx.chat.id)),
);

/** A step the reminder listed, with the delivery that listed it (the report answers it). */
const listedStep = z.object({ id: z.number().int(), title: z.string(), deliveryId: z.number().int() });
type ListedStep = z.infer<typeof listedStep>;

/** A reply understood but not yet placed: the bot asked which of the reminder's steps it is about. */
const pendingState = z.object({
  step: z.literal("pick"),
  /** The reminder's message id (in the person's private chat). */
  reminder: z.number().int(),
  steps: z.array(listedStep),
  percent: z.number().int().min(0).max(100).nullable(),
  status: z.enum(milestoneStatuses),
  note: z.string().nullable(),
  evidence: z.array(evidenceSchema),
});
export type PendingReply = z.infer<typeof pendingState>;

/** Callback data: "rs:<token>:m:<step id>", and "rs:<token>:x" (Batal). */
const flow = new FlowKind("reply-step", "rs", pendingState);

/** What answers the question: a press of a step's button, or a text naming a step ("yang SOP"). */
export type PendingEvent = { type: "press"; press: Press } | { type: "text"; text: string };

/** The step an answer picks for the pending reply; "stale" for a press of no step listed, "pass" for a text naming none. */
export function pickedStep(state: PendingReply, event: PendingEvent): ListedStep | "stale" | "pass" {
  if (event.type === "text") return matchStep(event.text, state.steps) ?? "pass";
  const id = idOf(event.press.arg);
  return (event.press.action === "m" && state.steps.find((s) => s.id === id)) || "stale";
}

/** The pending reply with one more file (the same file twice counts once); "full" at the limit. */
export function withPendingFile(state: PendingReply, file: EvidenceInput): PendingReply | "full" {
  if (state.evidence.some((e) => e.fileUniqueId === file.fileUniqueId)) return state;
  if (state.evidence.length >= evidenceLimit) return "full";
  return { ...state, evidence: [...state.evidence, file] };
}

export const replyStepFlow = defineFlow(flow, {
  actor: personActor(requirePerson),
  cancel: { place: "below", text: (t) => t.reply.pendingCancelled },
  press: async (ctx, { person }, state, press) => {
    const picked = pickedStep(state, { type: "press", press });
    if (picked === "stale" || picked === "pass") return "stale";
    await acknowledge(ctx, "below");
    // Recorded first: should saving fail, the reply is still kept, to be answered again by name.
    await record(ctx, person, picked, state);
    await endFlow(ctx.deps.db, person.id);
  },
  // "yang SOP" typed instead of pressing: the answer, when it names one of the steps.
  message: async (ctx, person, live, msg) => ("text" in msg && (await answerPending(ctx, person, live, msg.text)) ? undefined : "pass"),
});

type Answer = { reply_parameters: { message_id: number } };

async function handleReply(
  ctx: PantauContext,
  next: () => Promise<void>,
  replied: { message_id: number; from?: { id: number } } | undefined,
  messageId: number,
  text: string,
  file: EvidenceInput | null,
): Promise<void> {
  if (!replied || !ctx.chat || replied.from?.id !== ctx.botInfo.id || ctx.chat.type !== "private" || text.startsWith("/")) {
    return next();
  }
  const deliveries = await deliveriesForMessage(ctx.deps.db, ctx.chat.id, replied.message_id);
  if (deliveries.length === 0) return next();
  const person = await requirePerson(ctx);
  if (!person) return;
  const answer = { reply_parameters: { message_id: messageId } };
  // The steps the reminder listed (one, or several merged into one message) that are still the person's.
  const deliveryOf = new Map(deliveries.map((d) => [d.milestoneId!, d.id]));
  const steps = await reportableMilestones(ctx.deps.db, person, [...deliveryOf.keys()], ctx.now);
  if (steps.length === 0) {
    // A head who stood in for focal points away is told why it is no longer theirs.
    await ctx.reply((await headOfAny(ctx.deps.db, person, [...deliveryOf.keys()])) ? ctx.t.reply.relieved : ctx.t.reply.notYours);
    return;
  }
  if (file && !text.trim()) return fileAlone(ctx, person, replied.message_id, steps, file, answer);

  const listed = steps.map((s) => ({ id: s.id, title: s.title, deliveryId: deliveryOf.get(s.id)! }));
  const step = listed.length === 1 ? listed[0]! : matchStep(text, listed);
  const parsed = parseProgressReply(text, step?.title);
  if (!parsed.ok) {
    // "yang SOP", replied to the reminder after the bot asked which step: the answer to that question.
    const pending = listed.length > 1 ? await pendingReply(ctx, person.id, replied.message_id) : null;
    if (pending && (await answerPending(ctx, person, pending, text, file))) return;
    await ctx.reply(parsed.reason === "percent_out_of_range" ? ctx.t.reply.outOfRange : ctx.t.reply.notUnderstood, answer);
    return;
  }
  if (parsed.status === "blocked" && !parsed.note) {
    await ctx.reply(ctx.t.reply.needReason, answer);
    return;
  }
  const report = { percent: parsed.percent, status: parsed.status, note: parsed.note, evidence: file ? [file] : [] };
  if (step) return record(ctx, person, step, report, answer);
  // A new reply replaces one still waiting for its step, keeping the files that waited with it.
  const waiting = await pendingReply(ctx, person.id, replied.message_id);
  let state: PendingReply = { step: "pick", reminder: replied.message_id, steps: listed, ...report, evidence: waiting?.state.evidence ?? [] };
  for (const file of report.evidence) {
    const more = withPendingFile(state, file);
    if (more !== "full") state = more;
  }
  await ask(ctx, person, state, steps, answer);
}

/**
 * A photo or document without a caption: part of an album whose caption waits for its step, or
 * evidence for the report just made on one of the reminder's steps; else, with one step, a
 * request for a caption, and with several the guided report from the step (keeping the file).
 */
async function fileAlone(ctx: PantauContext, person: Person, reminder: number, steps: MilestoneView[], file: EvidenceInput, answer: Answer) {
  if (steps.length > 1) {
    let full = false;
    const kept = await updateFlowState(
      ctx.deps.db,
      person.id,
      flow.kind,
      (raw) => {
        const current = flow.read(raw);
        const next = current?.reminder === reminder ? withPendingFile(current, file) : null;
        full = next === "full";
        return next === "full" ? null : next;
      },
      ctx.now,
    );
    if (kept || full) {
      await ctx.reply(full ? ctx.t.reply.pendingFull(evidenceLimit) : ctx.t.reply.fileKept, answer);
      return;
    }
  }
  const ids = steps.map((s) => s.id);
  const attached = await attachToRecentReport(ctx.deps.db, person, ids, [file], ctx.now, auditActor(ctx, person));
  if (attached) {
    await ctx.reply(ctx.t.evidence.attached(escapeHtml(attached.title), attached.evidenceCount), { parse_mode: "HTML", ...answer });
    return;
  }
  if (steps.length === 1) {
    await ctx.reply(ctx.t.evidence.needCaption, answer);
    return;
  }
  await offerSteps(ctx, person, steps, ctx.t.reply.pickStep, [file]);
}

/** Asks which step the reply is about: its report as understood, the reminder's steps as buttons. */
async function ask(ctx: PantauContext, person: Person, state: PendingReply, steps: MilestoneView[], answer: Answer) {
  const button = flow.buttons(await flow.save(ctx, person.id, state));
  const what = state.percent === null ? (ctx.t.statusNames[state.status] ?? state.status) : ctx.t.progressText(state.percent, state.status);
  const lines = [ctx.t.reply.whichStep(escapeHtml(state.note ? `${what} — ${state.note}` : what))];
  if (state.evidence.length > 0) lines.push(ctx.t.evidence.line(state.evidence.length));
  const rows = steps.map((m) => [button(stepLabel(ctx, m), "m", m.id)]);
  await ctx.reply(lines.join("\n"), { parse_mode: "HTML", ...answer, ...Markup.inlineKeyboard([...rows, [button(ctx.t.report.cancel, "x")]]) });
}

/** The person's pending reply to this reminder, if the bot is asking which step it is about. */
async function pendingReply(ctx: PantauContext, personId: number, reminder: number): Promise<LiveFlow<PendingReply> | null> {
  const stored = await getFlow(ctx.deps.db, personId, ctx.now);
  const state = stored?.kind === flow.kind ? flow.read(stored.state) : null;
  return stored && state?.reminder === reminder ? { state, token: stored.token } : null;
}

/**
 * A text naming one of the pending reply's steps records the reply there; false when it names
 * none. The step is claimed first, so a press of its button at the same moment does not record it
 * twice; should saving fail, the claim is given back and the reply stays kept.
 */
async function answerPending(
  ctx: PantauContext,
  person: Person,
  pending: LiveFlow<PendingReply>,
  text: string,
  file: EvidenceInput | null = null,
): Promise<boolean> {
  const picked = pickedStep(pending.state, { type: "text", text });
  const claim = picked === "pass" || picked === "stale" ? null : await claimFlowStep(ctx.deps.db, person.id, pending.token, ctx.now);
  if (!claim || picked === "pass" || picked === "stale") return false;
  // A photo captioned "yang SK" is the answer and more evidence for it.
  const withFile = file ? withPendingFile(pending.state, file) : pending.state;
  try {
    await record(ctx, person, picked, withFile === "full" ? pending.state : withFile);
  } catch (err) {
    await releaseFlowStep(ctx.deps.db, person.id, claim, pending.token);
    throw err;
  }
  await endFlow(ctx.deps.db, person.id);
  return true;
}

/** Records the reply's report on `step` and answers with the step as it now stands (or why nothing was saved). */
async function record(
  ctx: PantauContext,
  person: Person,
  step: ListedStep,
  report: Pick<PendingReply, "percent" | "status" | "note" | "evidence">,
  answer?: Answer,
): Promise<void> {
  try {
    const saved = await recordReport(
      ctx.deps.db,
      person,
      {
        milestoneId: step.id,
        percent: report.percent,
        status: report.status,
        note: report.note,
        source: "reply",
        deliveryId: step.deliveryId,
        evidence: report.evidence,
      },
      ctx.now,
      auditActor(ctx, person),
    );
    const done = savedReportAnswer(ctx, saved, report.note);
    await ctx.reply(done.text, { ...done.extra, ...answer });
  } catch (err) {
    if (err instanceof AppError && err.code === "access.not_allowed") {
      await ctx.reply(ctx.t.reply.notYours);
      return;
    }
    if (err instanceof AppError && err.code === "report.decrease_reason_required") {
      await ctx.reply(ctx.t.reply.needDecreaseReason(Number(err.params.from), Number(err.params.to)), answer);
      return;
    }
    throw err;
  }
}
