import { Markup, TelegramError, type Telegram } from "telegraf";
import type { InlineKeyboardMarkup } from "telegraf/types";
import type { Prisma } from "../db/connection.js";
import { catalogue, type Catalogue } from "../i18n/index.js";
import type { Logger } from "../logger.js";
import { broadcastProgress, type BroadcastProgress } from "../services/broadcasts.js";
import { escapeHtml, shorten } from "./format.js";
import { wallClock as systemWallClock } from "../clock.js";

// A broadcast's live delivery report: the coordinator's preview message becomes it, and it is
// edited as the outbox sends (counts come from the outbox's rows), with a cancel button while
// the broadcast is going.

/** Units listed in a delivery report before "and N more units". */
const reportUnits = 10;

/** The message as a one-glance excerpt: "[foto] first words…". */
export function excerpt(t: Catalogue, draft: { text: string; media: string | null }, max: number): string {
  const media = draft.media ? `${t.broadcast.media[draft.media]} ` : "";
  return escapeHtml(`${media}${shorten(draft.text, max)}`);
}

/** The delivery report as its author reads it, with the cancel button while it is sending. */
export function reportView(p: BroadcastProgress): { text: string; markup: InlineKeyboardMarkup | undefined } {
  const t = catalogue(p.language);
  const r = t.broadcast.report;
  const status = p.status === "cancelled" ? r.cancelled : p.status === "sending" ? r.sending : r.done;
  const lines = [
    r.title(escapeHtml(p.programName)),
    `<i>${excerpt(t, p, 80)}</i>`,
    status,
    // People known to have blocked the bot were not sent to; they count as blocked all the same.
    r.recipients(p.recipients + p.blockedBefore),
    "",
    r.sent(p.sent),
    r.failed(p.failed),
    r.blocked(p.blocked + p.blockedBefore),
    p.status === "cancelled" ? r.notSent(p.cancelled, p.sent) : r.pending(p.pending),
  ];
  if (p.unreached.length) {
    lines.push("", r.unreachedHeader(p.unreached.length));
    lines.push(...p.unreached.slice(0, reportUnits).map((u) => r.unreachedLine(escapeHtml(u.name), u.invited)));
    if (p.unreached.length > reportUnits) lines.push(r.more(p.unreached.length - reportUnits));
  }
  const markup = p.status === "sending" ? Markup.inlineKeyboard([[Markup.button.callback(t.broadcast.cancelButton, `bcx:${p.id}`)]]).reply_markup : undefined;
  return { text: lines.join("\n"), markup };
}

/** Shows the report as it stands; returns its text, or null when the broadcast has no report message. */
export async function editReport(telegram: Telegram, p: BroadcastProgress): Promise<string | null> {
  if (p.reportChatId === null || p.reportMessageId === null) return null;
  const view = reportView(p);
  await telegram.editMessageText(p.reportChatId, p.reportMessageId, undefined, view.text, {
    parse_mode: "HTML",
    ...(view.markup ? { reply_markup: view.markup } : {}),
  });
  return view.text;
}

/** An edit that changed nothing is not a failure. */
export function ignoreNotModified(err: unknown): void {
  if (err instanceof TelegramError && err.description.includes("message is not modified")) return;
  throw err;
}

export interface DeliveryReporterOptions {
  /** The time the bot lives in; for invites still waiting. */
  clock: () => Date;
  /** At most one edit of a report per this many milliseconds while it is sending (wall clock). */
  intervalMs?: number;
  /** Real time, for that interval (which must not follow a test's simulated clock). */
  wallClock?: () => number;
}

export interface DeliveryReporter {
  /**
   * For `dispatchOutbox`'s onBroadcastProgress: brings these broadcasts' reports up to date
   * beside the outbox (which does not wait for Telegram's answer to an edit: a report's chat
   * may be busy with its author's own messages).
   */
  progress(broadcastIds: number[]): Promise<void>;
  /** Resolves once no edit is in progress (the end of a pass waits for it). */
  settled(): Promise<void>;
}

/**
 * Keeps coordinators' delivery reports current while the outbox sends their broadcasts: an
 * edit at most every `intervalMs` per broadcast while it is sending, one at a time, and always
 * one when it is done or cancelled. A failing edit is logged and never stops the outbox.
 */
export function createDeliveryReporter(telegram: Telegram, db: Prisma, logger: Logger, options: DeliveryReporterOptions): DeliveryReporter {
  const intervalMs = options.intervalMs ?? 2000;
  const wallClock = options.wallClock ?? systemWallClock;
  const lastEdit = new Map<number, { at: number; text: string }>();
  const editing = new Map<number, Promise<void>>();
  /** Broadcasts that progressed while their report was being edited: looked at once more. */
  const again = new Set<number>();

  async function update(id: number): Promise<void> {
    try {
      const p = await broadcastProgress(db, id, options.clock());
      if (!p) return;
      const final = p.status !== "sending";
      const last = lastEdit.get(id);
      if (!final && last && wallClock() - last.at < intervalMs) return;
      if (last && last.text === reportView(p).text) {
        if (final) lastEdit.delete(id);
        return;
      }
      const text = await editReport(telegram, p).catch((err: unknown) => (ignoreNotModified(err), null));
      if (final) lastEdit.delete(id);
      else if (text) lastEdit.set(id, { at: wallClock(), text });
    } catch (err) {
      logger.warn({ err, broadcast: id }, "could not update a broadcast report");
    }
  }

  return {
    async progress(broadcastIds) {
      for (const id of broadcastIds) {
        if (editing.has(id)) {
          again.add(id);
          continue;
        }
        const run = (async () => {
          do {
            again.delete(id);
            await update(id);
          } while (again.has(id));
        })().finally(() => editing.delete(id));
        editing.set(id, run);
      }
    },
    async settled() {
      while (editing.size) await Promise.all(editing.values());
    },
  };
}
