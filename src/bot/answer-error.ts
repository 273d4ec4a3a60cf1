import type { Context } from "telegraf";
import { AppError } from "../domain/errors.js";
import { catalogue, errorMessage } from "../i18n/index.js";
import type { Logger } from "../logger.js";
import type { PantauContext } from "./context.js";

/**
 * Tells the user about something thrown while handling their update: a known AppError in their
 * language, anything else as a generic apology and an error log line with the update id. Used by
 * bot.catch and by work a handler left running (the /impor preview and apply).
 */
export async function answerError(ctx: Context, err: unknown, logger: Logger): Promise<void> {
  const context = ctx as PantauContext;
  const t = context.t ?? catalogue("id");
  const known = err instanceof AppError ? (errorMessage(t, err) ?? undefined) : undefined;
  if (!known) (context.log ?? logger).error({ err, update: ctx.update.update_id }, "update failed");
  const text = known ?? t.errors.generic;
  try {
    // A button press may already have been answered; then the chat gets the message instead.
    const answered = ctx.callbackQuery
      ? await ctx.answerCbQuery(text, { show_alert: true }).then(
          () => true,
          () => false,
        )
      : false;
    if (!answered && ctx.chat) await ctx.reply(text);
  } catch (replyError) {
    logger.warn({ err: replyError }, "could not tell the user about an error");
  }
}
