/**
 * Waiting for what the bot does: a check re-run on every change (and every 10 ms), failing with a
 * description of the chat when it times out, so a failing test says what the bot sent instead.
 */
import { inlineMarkup } from "./reply-markup.js";
import type { SentMessage } from "./types.js";

interface Waiter {
  check: () => void;
  fail: (error: Error) => void;
}

export class Waiters {
  private readonly waiters = new Set<Waiter>();
  private stopped = false;

  /** Re-runs every waiting check (after a call or a new update). */
  notify(): void {
    for (const waiter of [...this.waiters]) waiter.check();
  }

  /** Fails every wait, now and later. */
  stop(): void {
    this.stopped = true;
    for (const waiter of [...this.waiters]) waiter.fail(new Error("BotApiEmulator stopped"));
  }

  /** Resolves with check's first defined result; rejects with describe() after timeoutMs. */
  until<T>(check: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const finish = () => {
        done = true;
        clearTimeout(timer);
        clearInterval(interval);
        this.waiters.delete(waiter);
      };
      const waiter: Waiter = {
        check: () => {
          if (done) return;
          let result: T | undefined;
          try {
            result = check();
          } catch (error) {
            finish();
            reject(error instanceof Error ? error : new Error(String(error)));
            return;
          }
          if (result !== undefined) {
            finish();
            resolve(result);
          }
        },
        fail: (error) => {
          if (done) return;
          finish();
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        if (done) return;
        finish();
        reject(new Error(describe()));
      }, timeoutMs);
      const interval = setInterval(() => waiter.check(), 10);
      this.waiters.add(waiter);
      if (this.stopped) waiter.fail(new Error("BotApiEmulator stopped"));
      else waiter.check();
    });
  }
}

/** One line for a message the bot sent: id, method, text, buttons, edits. */
export function describeMessage(m: SentMessage): string {
  const body = m.text ?? (m.caption !== undefined ? `[caption] ${m.caption}` : "");
  const kind = m.photo ? " [photo]" : m.document ? ` [document ${m.document.file_name ?? ""}]` : "";
  const markup = inlineMarkup(m.reply_markup);
  const keyboard = markup
    ? ` [buttons: ${markup.inline_keyboard
        .flat()
        .map((b) => `${b.text}${b.callback_data ? `=${b.callback_data}` : ""}`)
        .join(", ")}]`
    : "";
  const extra = `${m.edits ? ` (edited ${m.edits}x)` : ""}${m.deleted ? " (deleted)" : ""}`;
  return `#${m.message_id} ${m.method}${kind}: ${JSON.stringify(body.length > 300 ? `${body.slice(0, 300)}…` : body)}${keyboard}${extra}`;
}
