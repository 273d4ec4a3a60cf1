import { TelegramError, type Telegram } from "telegraf";
import { formatLongDate, formatShortDate, localDate } from "../domain/dates.js";
import { catalogue } from "../i18n/index.js";
import { DeliveryFailure, type PlannedReminder, type ReminderSender } from "../services/reminders.js";
import { escapeHtml } from "./format.js";

/** The text of a reminder, in the person's language. */
export function reminderText(reminder: PlannedReminder): string {
  const t = catalogue(reminder.language);
  const lang = reminder.language === "en" ? "en" : "id";
  const m = reminder.milestone;
  const left = reminder.slot.daysLeft;
  const title = left < 0 ? t.reminder.overdueTitle(-left) : t.reminder.title(`H-${left}`);
  const last = m.lastReportAt
    ? t.reminder.lastProgress(t.progressText(m.progress, m.status), formatShortDate(localDate(m.lastReportAt, m.region.timezone), lang))
    : t.reminder.noProgress;
  return [
    title,
    t.reminder.initiative(escapeHtml(m.initiative.name), m.initiative.origin ? escapeHtml(m.initiative.origin) : null),
    t.reminder.unit(escapeHtml(m.unit.name)),
    t.reminder.milestone(escapeHtml(m.title)),
    t.reminder.due(formatLongDate(m.dueDate, lang), left),
    last,
    "",
    t.reminder.cta,
  ].join("\n");
}

/** Sends reminders through Telegram; tells a blocked bot apart from a passing failure. */
export function createReminderSender(telegram: Telegram): ReminderSender {
  return async (reminder) => {
    try {
      const message = await telegram.sendMessage(reminder.telegramId, reminderText(reminder), { parse_mode: "HTML" });
      return { chatId: message.chat.id, messageId: message.message_id };
    } catch (err) {
      if (err instanceof TelegramError && err.code === 403) throw new DeliveryFailure("blocked", err.description);
      throw new DeliveryFailure("failed", err instanceof TelegramError ? err.description : String(err));
    }
  };
}
