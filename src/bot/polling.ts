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

/**
 * Polls Telegram and offers every update to `accept`, in order, waiting while it is full.
 * Telegram forgets an update once a later poll asks for the ones after it, so only accepted
 * updates are ever confirmed: one fetched when the stop came is fetched again at the next start.
 */
export function startPolling(telegram: Telegram, accept: (update: Update, signal: AbortSignal) => Promise<Acceptance>, logger: Logger): Polling {
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
        for (const update of updates) {
          if ((await accept(update, abort.signal)) === "closed") break;
          offset = update.update_id + 1;
        }
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
