import type { MiddlewareFn, Telegraf } from "telegraf";
import type { Logger } from "../logger.js";
import type { PantauContext } from "./context.js";

/**
 * Long polling with people side by side. telegraf handles a polled batch together and asks for
 * the next only when all of it is done; answers to one chat go out a second apart, so one person
 * sending twenty messages held everyone else's for twenty seconds. Here each update is handled on
 * its own, at most `maxPending` at once (then polling waits, and Telegram keeps the rest). `drain`
 * waits for those in hand (before the database closes on a stop).
 */
export function handleUpdatesApart(bot: Telegraf<PantauContext>, logger: Logger, maxPending = 200): { drain(): Promise<void> } {
  const handle = bot.handleUpdate.bind(bot);
  const pending = new Set<Promise<void>>();
  bot.handleUpdate = async (update) => {
    while (pending.size >= maxPending) await Promise.race(pending);
    const task: Promise<void> = handle(update)
      .then(
        () => undefined,
        // bot.catch answers every handler error; what reaches here failed inside it.
        (err: unknown) => logger.error({ err, update: update.update_id }, "update failed in the error handler"),
      )
      .finally(() => pending.delete(task));
    pending.add(task);
  };
  return {
    async drain() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}

/**
 * Each person's updates one after another, in the order they came (a /batal before the next
 * command, a step before the button under it); different people side by side. Mounted after the
 * flood limit, so what waits here is bounded by it.
 */
export function onePersonAtATime(): MiddlewareFn<PantauContext> {
  const lastOf = new Map<number, Promise<void>>();
  return async (ctx, next) => {
    const sender = ctx.from?.id;
    if (sender === undefined) return next();
    const previous = lastOf.get(sender);
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    lastOf.set(sender, mine);
    try {
      await previous;
      await next();
    } finally {
      done();
      if (lastOf.get(sender) === mine) lastOf.delete(sender);
    }
  };
}
