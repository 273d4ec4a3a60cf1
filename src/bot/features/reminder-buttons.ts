import { Composer } from "telegraf";
import { formatLongDate, formatShortDate, localDate, localHour, zoneLabel, type CalendarDate } from "../../domain/dates.js";
import { markDone, ownReminder, pressedReminder, type PressedReminder } from "../../services/one-tap.js";
import { deliveriesForMessage } from "../../services/reminders.js";
import { snoozeReminder, undoSnooze, type SnoozeResult } from "../../services/snooze.js";
import type { PantauContext } from "../context.js";
import { escapeHtml, shorten } from "../format.js";
import { auditActor } from "../guards.js";
import { language } from "../language.js";
import { openedStepKeyboard, reminderButtonData, reminderKeyboard, undoSnoozeKeyboard, type ReminderAction } from "../reminder-keyboard.js";
import { reportOn, savedReportAnswer } from "./report.js";

/**
 * The buttons under a reminder or a nudge (bot/reminder-keyboard.ts): ✅ Selesai records the step
 * done as a report (with the report's own answer and undo), 📝 Lapor opens /lapor on the step, ⏰
 * Besok reminds the person again at the next send hour (services/snooze.ts, with its own undo).
 * The data names the delivery row only; each press is checked on the server (services/one-tap.ts)
 * and refused with an alert, nothing changed, when the reminder is someone else's, the person no
 * longer reports on the step, or the step changed since the reminder was sent.
 */
export const reminderButtons = new Composer<PantauContext>();

reminderButtons.action(reminderButtonData, async (ctx) => {
  const action = ctx.match[1] as ReminderAction;
  const id = Number(ctx.match[2]);
  if (action === "n" || action === "b") return navigate(ctx, action, id);
  if (action === "u") return undo(ctx, id);
  const pressed = await pressedReminder(ctx.deps.db, ctx.person, id, ctx.now);
  if (!pressed.ok) return refuse(ctx, pressed);
  const person = ctx.person!;
  // The answer goes under the reminder it acts on.
  const below = { reply_parameters: { message_id: pressed.delivery.messageId, allow_sending_without_reply: true } };
  if (action === "r") {
    await ctx.answerCbQuery();
    return reportOn(ctx, person, pressed.step);
  }
  if (action === "d") {
    const done = await markDone(ctx.deps.db, person, pressed, ctx.now, auditActor(ctx, person));
    if (!done.ok) return refuse(ctx, done);
    await ctx.answerCbQuery();
    const answer = savedReportAnswer(ctx, done.saved, null);
    await ctx.reply(answer.text, { ...answer.extra, ...below });
    return;
  }
  const snoozed = await snoozeReminder(ctx.deps.db, person, pressed, ctx.now, auditActor(ctx, person));
  ctx.log.info({ snoozed: snoozed.ok || snoozed.reason }, "reminder snoozed");
  if (!snoozed.ok) return void (await ctx.answerCbQuery(snoozeRefusal(ctx, snoozed), { show_alert: true }));
  const when = moment(ctx, snoozed.date, snoozed.hour, snoozed.timezone);
  // A double tap: the first press answered with the undo; this one only says so.
  if (!snoozed.fresh) return void (await ctx.answerCbQuery(ctx.t.reminderButtons.snoozedAlready(when)));
  await ctx.answerCbQuery();
  await ctx.reply(ctx.t.reminderButtons.snoozed(escapeHtml(pressed.step.title), when, snoozed.count, snoozed.max), {
    parse_mode: "HTML",
    reply_markup: undoSnoozeKeyboard(ctx.t, snoozed.snoozeId),
    ...below,
  });
});

/** "Selasa, 1 Desember 2026 pukul 08.00 WIB": a local date at a whole hour in a zone. */
function moment(ctx: PantauContext, date: CalendarDate, hour: number, timezone: string): string {
  return ctx.t.reminderButtons.at(formatLongDate(date, language(ctx)), hour, zoneLabel(timezone));
}

/** Why a press was refused, as an alert (at most 200 characters: never a step's title). */
async function refuse(ctx: PantauContext, pressed: Exclude<PressedReminder, { ok: true }>): Promise<void> {
  ctx.log.info({ reason: pressed.reason, ...(pressed.reason === "changed" ? { change: pressed.change } : {}) }, "reminder button refused");
  const b = ctx.t.reminderButtons;
  const lang = language(ctx);
  const text = (() => {
    switch (pressed.reason) {
      case "stale":
        return ctx.t.access.staleButton;
      case "not_yours":
        return b.notYours;
      case "removed":
        return b.removed;
      case "relieved":
        return b.relieved;
      case "changed": {
        const { step } = pressed;
        if (pressed.change === "done") return b.changedDone;
        if (pressed.change === "revised") return b.changedRevised(formatLongDate(step.dueDate, lang));
        const when = step.lastReportAt ? formatShortDate(localDate(step.lastReportAt, step.region.timezone), lang) : "";
        return b.changedReported(ctx.t.progressText(step.progress, step.status), when);
      }
    }
  })();
  await ctx.answerCbQuery(text, { show_alert: true });
}

function snoozeRefusal(ctx: PantauContext, refused: Exclude<SnoozeResult, { ok: true }>): string {
  const b = ctx.t.reminderButtons;
  if (refused.reason === "limit") return b.snoozeLimit(refused.max);
  const { at, timezone } = refused;
  const momentOf = (instant: Date) => moment(ctx, localDate(instant, timezone), localHour(instant, timezone), timezone);
  if (!refused.passed) return b.snoozeEscalation(momentOf(at));
  // Past the escalation day, a head was told only if one was there: the pass tells a head away when back.
  const h = ctx.t.snoozeHeads;
  if (refused.told) return h.told(momentOf(refused.told));
  return refused.headsAwayUntil ? h.away(momentOf(at), formatShortDate(refused.headsAwayUntil, language(ctx))) : h.waiting(momentOf(at));
}

/**
 * A step's number under a merged reminder opens its actions in place (its title shown briefly),
 * and back shows the numbers again: only the keyboard changes, and nothing is recorded, so the
 * reminder being the presser's is all that is checked.
 */
async function navigate(ctx: PantauContext, action: "n" | "b", id: number): Promise<void> {
  const own = await ownReminder(ctx.deps.db, ctx.person, id);
  if (!own.ok) return refuse(ctx, own);
  const listed = await deliveriesForMessage(ctx.deps.db, own.delivery.chatId, own.delivery.messageId);
  const position = listed.findIndex((d) => d.id === id) + 1;
  if (action === "b") {
    await ctx.answerCbQuery();
    const steps = listed.map((d) => ({ deliveryId: d.id }));
    await ctx.editMessageReplyMarkup(reminderKeyboard(ctx.t, steps)).catch(() => undefined);
    return;
  }
  const step = await ctx.deps.db.milestone.findUniqueOrThrow({ where: { id: own.delivery.milestoneId }, select: { title: true } });
  await ctx.answerCbQuery(ctx.t.reminderButtons.opened(position, shorten(step.title, 150)));
  // Not modified (the same number pressed twice) needs no answer.
  await ctx.editMessageReplyMarkup(openedStepKeyboard(ctx.t, id, position)).catch(() => undefined);
}

/** ↩️ Urungkan under a snooze's answer: the answer is replaced by what the undo did (and the earlier snooze it gives back). */
async function undo(ctx: PantauContext, snoozeId: number): Promise<void> {
  const person = ctx.person;
  const result = person ? await undoSnooze(ctx.deps.db, person, snoozeId, ctx.now, auditActor(ctx, person)) : ({ ok: false, reason: "not_yours" } as const);
  if (!result.ok) {
    ctx.log.info({ reason: result.reason }, "snooze undo refused");
    await ctx.answerCbQuery(ctx.t.reminderButtons.undoRefused[result.reason], { show_alert: true });
    return;
  }
  await ctx.answerCbQuery();
  // What it held back (a reminder due meanwhile), or the snooze it gives back when that one's moment has passed, goes now.
  if (result.released > 0 || result.restored) ctx.deps.outbox.wake();
  const at = (instant: Date) => moment(ctx, localDate(instant, result.timezone), localHour(instant, result.timezone), result.timezone);
  const text = ctx.t.reminderButtons.snoozeUndone(escapeHtml(result.title), at(result.dueAt), result.restored && at(result.restored));
  await ctx.editMessageText(text, { parse_mode: "HTML" }).catch(async () => {
    await ctx.reply(text, { parse_mode: "HTML" });
  });
}
