import { TelegramError, type Telegram } from "telegraf";
import { daysBetween, formatLongDate, formatShortDate, formatWeekday, localDate, type Language } from "../domain/dates.js";
import { digestDueWithinDays } from "../domain/digest-plan.js";
import { catalogue, languageOf, type Catalogue } from "../i18n/index.js";
import {
  DeliveryFailure,
  type EscalatedStep,
  type EscalationItem,
  type OutboxMessage,
  type OutboxSender,
  type StepItem,
  type UnreachedUnits,
} from "../outbox/index.js";
import type { Digest } from "../services/digests.js";
import { captionLimit, escapeHtml, messageBudget, progressBar, shorten, splitMessages } from "./format.js";
import { recapChart } from "./recap-chart.js";
import { reminderKeyboard } from "./reminder-keyboard.js";

/** How a name (of a step, an initiative, a unit, a region) is written into a message. */
type Name = (text: string) => string;
const fullName: Name = escapeHtml;
/**
 * Names cut short, for a message Telegram refused as too long although it was measured to fit
 * (should its counting ever differ from ours): the reminder still goes out, a little terser.
 */
const shortName: Name = (text) => escapeHtml(shorten(text, 60));
/** A unit's focal points, listed in an escalation: enough to know whom to call. */
const focalPointsLength = 400;
/** A summary of units nobody is reminded in stays short: this many regions, this many units of each. */
const summaryRegions = 5;
const summaryUnits = 3;

function lastProgress(t: Catalogue, item: StepItem, lang: Language): string {
  const m = item.milestone;
  return m.lastReportAt
    ? t.reminder.lastProgress(t.progressText(m.progress, m.status), formatShortDate(localDate(m.lastReportAt, m.region.timezone), lang))
    : t.reminder.noProgress;
}

/** The unit's focal points away, when any, in one line: to a head, whose reminder this one stands in for. */
function awayLine(t: Catalogue, item: StepItem, lang: Language, name: Name): string[] {
  if (!item.away?.length) return [];
  const people = item.away.map((p) => ({ name: name(p.name), until: formatLongDate(p.lastDay, lang) }));
  return [item.standingIn ? t.away.standIn(people) : t.away.colleaguesAway(people)];
}

function stepTitle(t: Catalogue, item: StepItem): string {
  if (item.kind === "nudge") return t.reminder.nudgeTitle;
  return item.daysLeft < 0 ? t.reminder.overdueTitle(-item.daysLeft) : t.reminder.title(`H-${item.daysLeft}`);
}

/** The text of a reminder (or a nudge), in the person's language: one step, or a list of them. */
export function reminderText(items: StepItem[], language: string, name: Name = fullName): string {
  const t = catalogue(language);
  const lang = languageOf(language);
  if (items.length === 1) {
    const item = items[0]!;
    const m = item.milestone;
    return [
      stepTitle(t, item),
      t.reminder.initiative(name(m.initiative.name), m.initiative.origin ? name(m.initiative.origin) : null),
      t.reminder.unit(name(m.unit.name)),
      t.reminder.milestone(name(m.title)),
      t.reminder.due(formatLongDate(m.dueDate, lang), item.daysLeft),
      lastProgress(t, item, lang),
      ...awayLine(t, item, lang, name),
      "",
      t.reminder.cta,
    ].join("\n");
  }
  const lines = items.map((item, i) => {
    const m = item.milestone;
    return [
      `<b>${i + 1}. ${name(m.title)}</b>`,
      `${name(m.initiative.name)} · ${name(m.unit.name)}`,
      t.reminder.due(formatLongDate(m.dueDate, lang), item.daysLeft),
      lastProgress(t, item, lang),
      ...awayLine(t, item, lang, name),
    ].join("\n");
  });
  return [t.reminder.manyTitle(items.length), "", lines.join("\n\n"), "", t.reminder.manyCta].join("\n");
}

/** Whether a head of the step's unit was told (a coordinator's escalation only): only what happened. */
function headLine(t: Catalogue, head: NonNullable<EscalatedStep["head"]>, tz: string, lang: Language): string {
  if (head.toldAt) return t.escalation.headTold(formatShortDate(localDate(head.toldAt, tz), lang));
  if (head.awayUntil) return t.away.headAway(formatShortDate(head.awayUntil, lang));
  return head.heads === 0 ? t.escalation.noHead : t.escalation.headNotTold;
}

/**
 * The silent steps of one unit: the unit once, with its focal points (and whether its head was
 * told, when that is the same for all its steps), then each step with its history.
 */
function unitBlock(t: Catalogue, steps: EscalatedStep[], lang: Language, name: Name): string {
  const { unit, region } = steps[0]!.milestone;
  const pics = steps[0]!.focalPoints;
  const heads = steps.map((item) => (item.head ? headLine(t, item.head, item.milestone.region.timezone, lang) : null));
  const oneHeadLine = heads.every((line) => line === heads[0]);
  const lines = [
    `<b>${name(unit.name)}</b> (${name(region.name)})`,
    t.escalation.focalPoints(pics.length ? name(shorten(pics.join(", "), focalPointsLength)) : t.escalation.noFocalPoint),
  ];
  if (oneHeadLine && heads[0]) lines.push(heads[0]);
  steps.forEach((item, i) => {
    const m = item.milestone;
    lines.push(
      "",
      `• <b>${name(m.title)}</b> — ${name(m.initiative.name)}`,
      t.reminder.due(formatLongDate(m.dueDate, lang), item.daysLeft),
      lastProgress(t, item, lang),
      t.escalation.reminded(item.remindersSent, item.lastReminderAt ? formatShortDate(localDate(item.lastReminderAt, m.region.timezone), lang) : null),
    );
    if (!oneHeadLine && heads[i]) lines.push(heads[i]);
  });
  return lines.join("\n");
}

/** A program's units nobody is reminded in, short: a few units of a few regions, the rest counted. */
function unreachedText(t: Catalogue, summary: UnreachedUnits, name: Name): string {
  const unitName = (text: string) => name(shorten(text, 60));
  const units = (names: string[]) => t.escalation.someUnits(names.slice(0, summaryUnits).map(unitName), names.length - summaryUnits);
  const total = summary.regions.reduce((n, r) => n + r.units.length, 0);
  const lines = summary.regions.slice(0, summaryRegions).map((r) => (r.region === null ? units(r.units) : `${name(r.region)}: ${units(r.units)}`));
  if (summary.regions.length > summaryRegions) lines.push(t.escalation.moreRegions(summary.regions.length - summaryRegions));
  return [t.escalation.unreachedTitle(total, name(summary.program)), ...lines, t.escalation.unreachedAsk].join("\n");
}

/**
 * An escalation to a head of unit or a coordinator: the silent steps unit by unit with their
 * history, then what is only counted (steps owed before the person joined) or summarised (a
 * program's units nobody is reminded in).
 */
export function escalationText(level: "head" | "coordinator", items: EscalationItem[], language: string, name: Name = fullName): string {
  const t = catalogue(language);
  const lang = languageOf(language);
  const steps = items.filter((item): item is EscalatedStep => item.type === "step");
  const blocks: EscalatedStep[][] = [];
  for (const step of steps) {
    const last = blocks.at(-1)?.[0]?.milestone;
    if (last && last.unit.id === step.milestone.unit.id && last.program.id === step.milestone.program.id) blocks.at(-1)!.push(step);
    else blocks.push([step]);
  }
  const summaries = items.flatMap((item) => {
    if (item.type === "earlier") return [level === "head" ? t.escalation.earlierHead(item.steps) : t.escalation.earlierCoordinator(item.steps, item.units)];
    return item.type === "unreached" ? [unreachedText(t, item, name)] : [];
  });
  if (steps.length === 0) return summaries.join("\n\n");
  return [
    level === "head" ? t.escalation.headTitle : t.escalation.coordinatorTitle,
    ...blocks.map((block) => unitBlock(t, block, lang, name)),
    ...summaries,
    level === "head" ? t.escalation.headAsk : t.escalation.coordinatorAsk,
  ].join("\n\n");
}

/** The text of a reminder or an escalation. */
function stepsText(message: Extract<OutboxMessage, { type: "reminder" | "escalation" }>, name: Name = fullName): string {
  return message.type === "reminder"
    ? reminderText(message.items, message.to.language, name)
    : escalationText(message.level, message.items, message.to.language, name);
}

/**
 * A reminder or an escalation as messages that each fit Telegram's limit, split between its
 * steps (in order; every step fits alone, its names being at most 200 characters): each part is
 * a message of its own, which a reply to it is matched against. A broadcast stays whole (its
 * length is checked when it is written).
 */
export function splitOutboxMessage(message: OutboxMessage): OutboxMessage[] {
  const fits = (text: string) => text.length <= messageBudget;
  switch (message.type) {
    case "broadcast":
    case "digest":
      return [message];
    case "reminder":
      return fitItems(message.items, (items) => fits(reminderText(items, message.to.language))).map((items) => ({ ...message, items }));
    case "escalation":
      return fitItems(message.items, (items) => fits(escalationText(message.level, items, message.to.language))).map((items) => ({ ...message, items }));
  }
}

/** Items in order, in as few consecutive groups as `fits` allows (an item alone always makes a group). */
function fitItems<T>(items: T[], fits: (group: T[]) => boolean): T[][] {
  const groups: T[][] = [];
  for (const item of items) {
    const last = groups.at(-1);
    if (last && fits([...last, item])) last.push(item);
    else groups.push([item]);
  }
  return groups;
}

/** Telegram refused a text or a caption for its length. */
const tooLong = (err: unknown) => err instanceof TelegramError && err.code === 400 && /too long/i.test(err.description);

/** A coordinator's broadcast as its recipients read it. */
export function broadcastText(text: string, senderName: string, language: string): string {
  return `${catalogue(language).broadcast.header(escapeHtml(senderName))}\n\n${escapeHtml(text)}`;
}

/** Why Telegram refused: a blocked bot, a passing failure, or a refusal for good. */
function classify(err: unknown): DeliveryFailure {
  if (err instanceof TelegramError) {
    if (err.code === 403) return new DeliveryFailure("blocked", err.description);
    // Telegram's flood control: the outbox sends it again once retry_after has passed.
    if (err.code === 429) return new DeliveryFailure("retry", err.description, (err.parameters?.retry_after ?? 1) * 1000);
    // Too long is ours to fix, never the end of a message: it goes again, as it is rendered then.
    if (err.code >= 500 || tooLong(err)) return new DeliveryFailure("retry", err.description);
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
      if (message.type === "digest") return await sendDigest(telegram, chatId, message.digest, message.to.language);
      if (message.type !== "broadcast") {
        // Reminders far from their due date go without a notification sound (see `remindsSilently`);
        // each carries the buttons of its own steps (a part of a split one, those of its part).
        const extra =
          message.type === "reminder"
            ? { disable_notification: message.silent, reply_markup: reminderKeyboard(catalogue(message.to.language), message.items) }
            : {};
        const send = (name: Name) => telegram.sendMessage(chatId, stepsText(message, name), { parse_mode: "HTML", ...extra });
        const sent = await send(fullName).catch((err: unknown) => (tooLong(err) ? send(shortName) : Promise.reject(err)));
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

/** Items in a digest's list at most; the rest are counted. */
const digestListCap = 10;

/** A digest list: its header and at most `digestListCap` lines, or the line saying it is empty. */
function digestList<T>(t: Catalogue, items: T[], header: string, none: string, line: (item: T) => string): string {
  if (items.length === 0) return none;
  const more = items.length > digestListCap ? [t.digest.more(items.length - digestListCap)] : [];
  return [header, ...items.slice(0, digestListCap).map(line), ...more].join("\n");
}

/** A weekly digest as blocks of text (paragraphs) in the person's language. */
export function digestBlocks(digest: Digest, language: string): string[] {
  const t = catalogue(language);
  const lang = languageOf(language);
  const days = digest.silentDays;
  const head = [
    t.digest.title(fullName(digest.schedule.programName)),
    t.digest.week(formatShortDate(digest.week.from, lang), formatShortDate(digest.week.to, lang)),
  ];
  const footer = t.digest.footer(formatWeekday(digest.schedule.weekday, lang), digest.schedule.hour);
  if (digest.level === "coordinator") {
    const { recap, steps, reports } = digest;
    return [
      [...head, ...(digest.regions ? [t.digest.regions(fullName(digest.regions.join(", ")))] : [])].join("\n"),
      [
        t.digest.progress(progressBar(recap.progress), recap.progress),
        t.digest.steps(steps.onTrack, steps.late, steps.blocked, steps.done),
        t.digest.reports(reports.count, reports.units),
      ].join("\n"),
      digestList(t, digest.silentUnits, t.digest.silentUnits(digest.silentUnits.length, days), t.digest.silentUnitsNone(days), (u) =>
        t.digest.silentUnit(fullName(u.name), fullName(u.region)),
      ),
      t.digest.coordinatorHint(days),
      footer,
    ];
  }
  const what = (m: { progress: number; status: string }) => t.progressText(m.progress, m.status);
  const units = digest.units.flatMap((unit) => {
    const when = (at: Date) => formatShortDate(localDate(at, unit.timezone), lang);
    return [
      t.digest.unit(fullName(unit.name), fullName(unit.region)),
      digestList(t, unit.reported, t.digest.reported(unit.reported.length), t.digest.reportedNone, (r) =>
        t.digest.reportLine(fullName(r.title), t.progressText(r.percent, r.status), r.by && fullName(r.by), when(r.at)),
      ),
      digestList(t, unit.dueSoon, t.digest.due(unit.dueSoon.length, digestDueWithinDays), t.digest.dueNone(digestDueWithinDays), (m) =>
        t.digest.dueLine(fullName(m.title), formatLongDate(m.dueDate, lang), daysBetween(m.today, m.dueDate), what(m)),
      ),
      digestList(t, unit.late, t.digest.late(unit.late.length), t.digest.lateNone, (m) => t.digest.lateLine(fullName(m.title), m.daysLate, what(m))),
      unit.focalPoints === 0
        ? t.digest.noFocalPoint
        : digestList(t, unit.silentFocalPoints, t.digest.silentFocalPoints(unit.silentFocalPoints.length, days), t.digest.silentFocalPointsNone(days), (p) =>
            t.digest.silentFocalPoint(fullName(p.name), p.lastReportAt && when(p.lastReportAt), p.blocked),
          ),
    ];
  });
  return [head.join("\n"), ...units, footer];
}

/** The button under a digest that switches the person's digests off (see features/digest.ts). */
export const digestOffData = "digest:off";

/**
 * Sends a digest: a head's as text (split only for length), a coordinator's with the recap chart
 * (one photo with the text as its caption when it fits, else the text and then the photo). The
 * switch-off button goes under the last message; the first one is where it landed.
 */
async function sendDigest(telegram: Telegram, chatId: number, digest: Digest, language: string): Promise<{ chatId: number; messageId: number }> {
  const t = catalogue(language);
  const stop = { reply_markup: { inline_keyboard: [[{ text: t.digest.stopButton, callback_data: digestOffData }]] } };
  const blocks = digestBlocks(digest, language);
  const sent: { chat: { id: number }; message_id: number }[] = [];
  if (digest.level === "coordinator") {
    const photo = { source: await recapChart(digest.recap, t, formatLongDate(digest.recap.today, languageOf(language))), filename: "ringkasan.png" };
    const caption = blocks.join("\n\n");
    if (caption.length <= captionLimit) sent.push(await telegram.sendPhoto(chatId, photo, { caption, parse_mode: "HTML", ...stop }));
    else {
      for (const part of splitMessages(blocks)) sent.push(await telegram.sendMessage(chatId, part, { parse_mode: "HTML" }));
      sent.push(await telegram.sendPhoto(chatId, photo, { caption: t.chart.caption(digest.recap.name), ...stop }));
    }
  } else {
    const parts = splitMessages(blocks);
    for (const [i, part] of parts.entries())
      sent.push(await telegram.sendMessage(chatId, part, { parse_mode: "HTML", ...(i === parts.length - 1 ? stop : {}) }));
  }
  return { chatId: sent[0]!.chat.id, messageId: sent[0]!.message_id };
}
