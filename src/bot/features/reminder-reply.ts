import { Composer } from "telegraf";
import { message } from "telegraf/filters";
import { AppError } from "../../domain/errors.js";
import { parseProgressReply } from "../../domain/reply-parser.js";
import { attachToRecentReport } from "../../services/evidence.js";
import { openMilestones, recordReport, type EvidenceInput } from "../../services/milestones.js";
import { deliveriesForMessage } from "../../services/reminders.js";
import type { PantauContext } from "../context.js";
import { escapeHtml } from "../format.js";
import { auditActor, requirePerson } from "../guards.js";
import { evidenceOf, offerSteps, savedReportAnswer } from "./report.js";

/**
 * A focal point replies to a reminder in plain language ("60% draf SOP selesai", "sudah
 * selesai", "terkendala anggaran"), as text or as the caption of a photo or document: the report
 * is recorded against that reminder's step, with the file as its evidence. A file without a
 * caption is added to the person's report on that step of the last hour (a photo sent right
 * after the text, the rest of an album); with no such report the bot asks for the progress in
 * the caption, rather than guessing one.
 */
export const reminderReply = new Composer<PantauContext>();

reminderReply.on("text", (ctx, next) => handleReply(ctx, next, ctx.message.reply_to_message, ctx.message.message_id, ctx.message.text, null));

reminderReply.on([message("photo"), message("document")], (ctx, next) =>
  handleReply(ctx, next, ctx.message.reply_to_message, ctx.message.message_id, ctx.message.caption ?? "", evidenceOf(ctx.message, ctx.chat.id)),
);

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
  const delivery = deliveries[0];
  if (!delivery?.milestoneId) return next();
  const person = await requirePerson(ctx);
  if (!person) return;
  const answer = { reply_parameters: { message_id: messageId } };
  // A reminder that listed several steps: ask which one (the report flow takes it from there,
  // keeping the file for the report).
  const listed = new Set(deliveries.map((d) => d.milestoneId));
  if (listed.size > 1) {
    const steps = (await openMilestones(ctx.deps.db, person, ctx.now)).filter((m) => listed.has(m.id));
    await offerSteps(ctx, person, steps, ctx.t.reply.pickStep, file ? [file] : undefined);
    return;
  }
  try {
    if (file && !text.trim()) {
      const attached = await attachToRecentReport(ctx.deps.db, person, delivery.milestoneId, [file], ctx.now, auditActor(ctx, person));
      await ctx.reply(attached ? ctx.t.evidence.attached(escapeHtml(attached.title), attached.evidenceCount) : ctx.t.evidence.needCaption, {
        parse_mode: "HTML",
        ...answer,
      });
      return;
    }
    const parsed = parseProgressReply(text);
    if (!parsed.ok) {
      await ctx.reply(parsed.reason === "percent_out_of_range" ? ctx.t.reply.outOfRange : ctx.t.reply.notUnderstood, answer);
      return;
    }
    if (parsed.status === "blocked" && !parsed.note) {
      await ctx.reply(ctx.t.reply.needReason, answer);
      return;
    }
    const saved = await recordReport(
      ctx.deps.db,
      person,
      {
        milestoneId: delivery.milestoneId,
        percent: parsed.percent,
        status: parsed.status,
        note: parsed.note,
        source: "reply",
        deliveryId: delivery.id,
        evidence: file ? [file] : [],
      },
      ctx.now,
      auditActor(ctx, person),
    );
    const done = savedReportAnswer(ctx, saved, parsed.note);
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
