import { Composer } from "telegraf";
import { AppError } from "../../domain/errors.js";
import { parseProgressReply } from "../../domain/reply-parser.js";
import { noteLimit, openMilestones, recordReport } from "../../services/milestones.js";
import { deliveriesForMessage } from "../../services/reminders.js";
import type { PantauContext } from "../context.js";
import { escapeHtml } from "../format.js";
import { offerSteps } from "./report.js";

/**
 * A focal point replies to a reminder in plain language ("60% draf SOP selesai", "sudah
 * selesai", "terkendala anggaran"): the report is recorded against that reminder's step.
 */
export const reminderReply = new Composer<PantauContext>();

reminderReply.on("text", async (ctx, next) => {
  const replied = ctx.message.reply_to_message;
  if (!replied || replied.from?.id !== ctx.botInfo.id || ctx.chat.type !== "private" || ctx.message.text.startsWith("/")) {
    return next();
  }
  const deliveries = await deliveriesForMessage(ctx.deps.db, ctx.chat.id, replied.message_id);
  const delivery = deliveries[0];
  if (!delivery?.milestoneId) return next();
  if (!ctx.person) {
    await ctx.reply(ctx.t.access.notRegistered);
    return;
  }
  // A reminder that listed several steps: ask which one (the report flow takes it from there).
  const listed = new Set(deliveries.map((d) => d.milestoneId));
  if (listed.size > 1) {
    const steps = (await openMilestones(ctx.deps.db, ctx.person, ctx.now)).filter((m) => listed.has(m.id));
    await offerSteps(ctx, ctx.person, steps, ctx.t.reply.pickStep);
    return;
  }
  const parsed = parseProgressReply(ctx.message.text);
  if (!parsed.ok) {
    await ctx.reply(parsed.reason === "percent_out_of_range" ? ctx.t.reply.outOfRange : ctx.t.reply.notUnderstood, {
      reply_parameters: { message_id: ctx.message.message_id },
    });
    return;
  }
  if (parsed.status === "blocked" && !parsed.note) {
    await ctx.reply(ctx.t.reply.needReason, { reply_parameters: { message_id: ctx.message.message_id } });
    return;
  }
  try {
    const saved = await recordReport(
      ctx.deps.db,
      ctx.person,
      { milestoneId: delivery.milestoneId, percent: parsed.percent, status: parsed.status, note: parsed.note, source: "reply", deliveryId: delivery.id },
      ctx.now,
    );
    await ctx.reply(
      ctx.t.reply.recorded(escapeHtml(saved.title), ctx.t.progressText(saved.progress, saved.status), parsed.note ? escapeHtml(parsed.note.slice(0, noteLimit)) : null),
      { parse_mode: "HTML", reply_parameters: { message_id: ctx.message.message_id } },
    );
  } catch (err) {
    if (err instanceof AppError && err.code === "access.not_allowed") {
      await ctx.reply(ctx.t.reply.notYours);
      return;
    }
    throw err;
  }
});
