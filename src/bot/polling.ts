import { TelegramError, type Telegram } from "telegraf";
import type { Update } from "telegraf/types";
import type { Logger } from "../logger.js";
import type { Acceptance } from "./update-queue.js";
import { allowedUpdates } from "./webhook.js";

// Long polling, in place of telegraf's: its loop handles a whole batch of updates
// (Promise.all) before it fetches the next, so one slow answer held every other chat's.
// Here an update is handed to the update queue and the next batch is fetched at once.

/** How long Telegram holds a poll open when nothing comes (telegraf's value). */
const pollSeconds = 50;
/** Wait before polling again after a network error or a 5xx without retry_after. */
const retrySeconds = 5;

export interface Polling {
  /** Resolves when polling ends after `stop`; rejects when it ends by itself (another poller took the token). */
  done: Promise<void>;
  /** Stops fetching and resolves once the loop has ended. */
  stop(): Promise<void>;
}

/** Where polled updates go: the update queue, and the claim both modes share (services/updates.ts). */
export interface PollingIntake {
  /** Waits while the queue is full; false once `signal` aborts first. */
  room(signal: AbortSignal): Promise<boolean>;
  /** Records the update as being handled; false when it already was (a restart fetched it again). */
  claim(update: Update): Promise<boolean>;
  accept(update: Update): Promise<Acceptance>;
  /** Told every time Telegram answered a poll, with updates or none (the readiness check). */
  polled?(): void;
}

/**
 * Polls Telegram and offers every update to the queue, in order, waiting while it is full.
 * Telegram forgets an update once a later poll asks for the ones after it, so only claimed
 * updates are ever confirmed: one fetched when the stop came is fetched again at the next start.
 * A claimed update may still be fetched again (its confirmation failed, or the process died
 * first): the claim skips it, so it is never handled twice.
 */
export function startPolling(telegram: Telegram, intake: PollingIntake, logger: Logger): Polling {
  const abort = new AbortController();
  const sleep = (seconds: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        abort.signal.removeEventListener("abort", wake);
        resolve();
      };
      const timer = setTimeout(wake, seconds * 1000);
      abort.signal.addEventListener("abort", wake, { once: true });
    });

  const loop = async () => {
    await telegram.deleteWebhook({ drop_pending_updates: false });
    let offset = 0;
    let confirm = true;
    try {
      while (!abort.signal.aborted) {
        let updates: Update[];
        try {
          const payload = { timeout: pollSeconds, offset, allowed_updates: [...allowedUpdates] };
          // telegraf types its signal as the abort-controller package's; Node's is the same thing.
          updates = await telegram.callApi("getUpdates", payload, { signal: abort.signal as never });
          intake.polled?.();
        } catch (err) {
          if (abort.signal.aborted) break;
          const name = (err as { name?: string }).name;
          const code = err instanceof TelegramError ? err.code : 0;
          if (name === "FetchError" || code === 429 || code >= 500) {
            const wait = (err instanceof TelegramError && err.parameters?.retry_after) || retrySeconds;
            logger.warn({ err, retryAfter: wait }, "could not fetch updates, polling again shortly");
            await sleep(wait);
            continue;
          }
          // 401 (token refused) or 409 (another poller): nothing of ours to confirm.
          confirm = false;
          throw err;
        }
        let unrecorded = false;
        for (const update of updates) {
          if (!(await intake.room(abort.signal))) break;
          let claimed: boolean;
          try {
            claimed = await intake.claim(update);
          } catch (err) {
            // Nothing recorded and not confirmed: it is fetched again once the database answers.
            logger.error({ err, update: update.update_id }, "could not record a polled update, polling again shortly");
            unrecorded = true;
            break;
          }
          // Claimed, it is queued even if a stop came meanwhile: the stop's drain answers it.
          if (claimed) await intake.accept(update);
          else logger.debug({ update: update.update_id }, "update already handled, skipped");
          offset = update.update_id + 1;
        }
        if (unrecorded) await sleep(retrySeconds);
      }
    } finally {
      if (confirm && offset > 0) await telegram.callApi("getUpdates", { offset, limit: 1, timeout: 0 }).catch(() => undefined);
    }
  };

  const done = loop();
  return {
    done,
    async stop() {
      abort.abort();
      await done.catch(() => undefined);
    },
  };
}
