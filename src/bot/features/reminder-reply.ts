import { Composer } from "telegraf";
import { AppError } from "../../domain/errors.js";
import { parseProgressReply } from "../../domain/reply-parser.js";
import { noteLimit, recordReport } from "../../services/milestones.js";
import { deliveryForMessage } from "../../services/reminders.js";
import type { PantauContext } from "../context.js";
import { escapeHtml } from "../format.js";

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
  const delivery = await deliveryForMessage(ctx.deps.db, ctx.chat.id, replied.message_id);
  if (!delivery?.milestoneId) return next();
  if (!ctx.person) {
    await ctx.reply(ctx.t.access.notRegistered);
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
