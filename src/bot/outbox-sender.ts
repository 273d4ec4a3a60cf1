import { TelegramError, type Telegram } from "telegraf";
import { formatLongDate, formatShortDate, localDate, type Language } from "../domain/dates.js";
import { catalogue, type Catalogue } from "../i18n/index.js";
import { DeliveryFailure, type EscalationItem, type OutboxMessage, type OutboxSender, type StepItem } from "../services/outbox.js";
import { escapeHtml } from "./format.js";

const captionLimit = 1024;

function lastProgress(t: Catalogue, item: StepItem, lang: Language): string {
  const m = item.milestone;
  return m.lastReportAt
    ? t.reminder.lastProgress(t.progressText(m.progress, m.status), formatShortDate(localDate(m.lastReportAt, m.region.timezone), lang))
    : t.reminder.noProgress;
}

function stepTitle(t: Catalogue, item: StepItem): string {
  if (item.kind === "nudge") return t.reminder.nudgeTitle;
  return item.daysLeft < 0 ? t.reminder.overdueTitle(-item.daysLeft) : t.reminder.title(`H-${item.daysLeft}`);
}

/** The text of a reminder (or a nudge), in the person's language: one step, or a list of them. */
export function reminderText(items: StepItem[], language: string): string {
  const t = catalogue(language);
  const lang: Language = language === "en" ? "en" : "id";
  if (items.length === 1) {
    const item = items[0]!;
    const m = item.milestone;
    return [
      stepTitle(t, item),
      t.reminder.initiative(escapeHtml(m.initiative.name), m.initiative.origin ? escapeHtml(m.initiative.origin) : null),
      t.reminder.unit(escapeHtml(m.unit.name)),
      t.reminder.milestone(escapeHtml(m.title)),
      t.reminder.due(formatLongDate(m.dueDate, lang), item.daysLeft),
      lastProgress(t, item, lang),
      "",
      t.reminder.cta,
    ].join("\n");
  }
  const lines = items.map((item, i) => {
    const m = item.milestone;
    return [
      `<b>${i + 1}. ${escapeHtml(m.title)}</b>`,
      `${escapeHtml(m.initiative.name)} · ${escapeHtml(m.unit.name)}`,
      t.reminder.due(formatLongDate(m.dueDate, lang), item.daysLeft),
      lastProgress(t, item, lang),
    ].join("\n");
  });
  return [t.reminder.manyTitle(items.length), "", lines.join("\n\n"), "", t.reminder.manyCta].join("\n");
}

/** An escalation to a head of unit or a coordinator: each silent step with its history. */
export function escalationText(level: "head" | "coordinator", items: EscalationItem[], language: string): string {
  const t = catalogue(language);
  const lang: Language = language === "en" ? "en" : "id";
  const steps = items.map((item) => {
    const m = item.milestone;
    return [
      `<b>${escapeHtml(m.title)}</b>`,
      `${escapeHtml(m.initiative.name)} · ${escapeHtml(m.unit.name)} (${escapeHtml(m.region.name)})`,
      t.reminder.due(formatLongDate(m.dueDate, lang), item.daysLeft),
      lastProgress(t, item, lang),
      t.escalation.reminded(item.remindersSent, item.lastReminderAt ? formatShortDate(localDate(item.lastReminderAt, m.region.timezone), lang) : null),
      t.escalation.focalPoints(item.focalPoints.length ? escapeHtml(item.focalPoints.join(", ")) : t.escalation.noFocalPoint),
    ].join("\n");
  });
  return [level === "head" ? t.escalation.headTitle : t.escalation.coordinatorTitle, "", steps.join("\n\n"), "", level === "head" ? t.escalation.headAsk : t.escalation.coordinatorAsk].join("\n");
}

/** A coordinator's broadcast as its recipients read it. */
export function broadcastText(text: string, senderName: string, language: string): string {
  return `${catalogue(language).broadcast.header(escapeHtml(senderName))}\n\n${escapeHtml(text)}`;
}

/** Why Telegram refused: a blocked bot, a passing failure, or a refusal for good. */
function classify(err: unknown): DeliveryFailure {
  if (err instanceof TelegramError) {
    if (err.code === 403) return new DeliveryFailure("blocked", err.description);
    if (err.code === 429 || err.code >= 500) return new DeliveryFailure("retry", err.description);
    return new DeliveryFailure("failed", err.description);
  }
  return new DeliveryFailure("retry", err instanceof Error ? err.message : String(err));
}

/**
 * Sends the outbox's messages through Telegram (the client's policy takes care of rate limits,
 * 429s and retries) and tells a blocked bot apart from a passing failure.
 */
export function createOutboxSender(telegram: Telegram): OutboxSender {
  return async (message: OutboxMessage) => {
    const chatId = message.to.telegramId;
    try {
      if (message.type === "reminder") {
        const sent = await telegram.sendMessage(chatId, reminderText(message.items, message.to.language), { parse_mode: "HTML" });
        return { chatId: sent.chat.id, messageId: sent.message_id };
      }
      if (message.type === "escalation") {
        const sent = await telegram.sendMessage(chatId, escalationText(message.level, message.items, message.to.language), { parse_mode: "HTML" });
        return { chatId: sent.chat.id, messageId: sent.message_id };
      }
      const { text, senderName, photoFileId, documentId } = message.broadcast;
      const body = broadcastText(text, senderName, message.to.language);
      const fileId = photoFileId ?? documentId;
      if (fileId) {
        const caption = body.length <= captionLimit ? body : undefined;
        const sent = photoFileId
          ? await telegram.sendPhoto(chatId, fileId, { caption, parse_mode: "HTML" })
          : await telegram.sendDocument(chatId, fileId, { caption, parse_mode: "HTML" });
        if (caption) return { chatId: sent.chat.id, messageId: sent.message_id };
      }
      const sent = await telegram.sendMessage(chatId, body, { parse_mode: "HTML" });
      return { chatId: sent.chat.id, messageId: sent.message_id };
    } catch (err) {
      throw classify(err);
    }
  };
}
