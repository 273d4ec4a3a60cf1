import type { BotConfig } from "./config.js";
import { createBot, registerCommands } from "./bot/create-bot.js";
import { createDeliveryReporter } from "./bot/delivery-report.js";
import { DetachedWork } from "./bot/detached-work.js";
import { createOutboxSender, splitOutboxMessage } from "./bot/outbox-sender.js";
import { bulkClient } from "./bot/telegram-api.js";
import { startWebhook, type RunningWebhook } from "./bot/webhook.js";
import { openPrisma } from "./db/connection.js";
import { applyMigrations } from "./db/schema-engine.js";
import type { Logger } from "./logger.js";
import { createScheduler } from "./scheduler/create-scheduler.js";
import { batchSizeFor } from "./outbox/index.js";
import { runReminderPass } from "./services/reminders.js";

/**
 * How long one scheduled pass sends before it lets the next one plan (and a stop end it):
 * about 1,700 messages at the default rate.
 */
const outboxBudgetMs = 60_000;
/** How long a stop waits for an /impor preview or apply in progress (a plan of 10,000 steps takes seconds). */
const detachedGraceMs = 30_000;

export interface RunningPantau {
  botUsername: string;
  /**
   * Rejects if the bot stops receiving updates by itself (another poller took the token, or the
   * webhook server failed).
   */
  failed: Promise<never>;
  stop(): Promise<void>;
}

/**
 * Starts Pantau: applies pending migrations, starts the bot (long polling, or a webhook when
 * WEBHOOK_URL is set) and the reminder schedule. `stop` ends all three cleanly.
 */
export async function startPantau(
  config: BotConfig,
  logger: Logger,
  options: {
    clock?: () => Date;
    /** The reminder pass's cron expression (default every five minutes); null: at start and on demand only. */
    schedule?: string | null;
  } = {},
): Promise<RunningPantau> {
  const clock = options.clock ?? (() => new Date());
  const applied = await applyMigrations(config.DATABASE_URL);
  if (applied.length) logger.info({ migrations: applied }, "migrations applied");
  const db = openPrisma(config.DATABASE_URL);
  const outbox = { wake: () => {} };
  const detached = new DetachedWork();
  const bot = createBot(
    {
      token: config.BOT_TOKEN,
      apiRoot: config.TELEGRAM_API_ROOT,
      messagesPerSecond: config.TELEGRAM_RATE_LIMIT,
      updatesPerMinute: config.FLOOD_LIMIT_PER_MINUTE,
    },
    { db, logger, clock, outbox, detached, defaultTimezone: config.DEFAULT_TIMEZONE, adminIds: config.ADMIN_TELEGRAM_IDS },
  );
  try {
    bot.botInfo = await bot.telegram.getMe();
    await registerCommands(bot);
  } catch (err) {
    await db.$disconnect();
    throw err;
  }

  // Updates come by webhook (our own server, see bot/webhook.ts) or by long polling.
  let webhook: RunningWebhook | null = null;
  if (config.WEBHOOK_URL) {
    try {
      webhook = await startWebhook(bot, { url: config.WEBHOOK_URL, secret: config.WEBHOOK_SECRET ?? "", port: config.PORT }, { db, logger });
    } catch (err) {
      await db.$disconnect();
      throw err;
    }
  }
  const launched = webhook ? webhook.failed : bot.launch({ dropPendingUpdates: false });
  let stopping = false;
  let receiving = true;
  // Receiving settles only when it ends (polling) or the server fails (webhook); unless we are
  // stopping, that is a failure.
  const failed = launched.then(
    () => Promise.reject(new Error("the bot stopped receiving updates")),
    (err: unknown) => Promise.reject(err instanceof Error ? err : new Error(String(err))),
  );
  failed.catch((err: unknown) => {
    receiving = false;
    if (!stopping) logger.error({ err }, "the bot stopped receiving updates");
  });

  // Reminders and broadcasts wait behind answers to what users just did.
  const send = createOutboxSender(bulkClient(bot.telegram));
  const reportDelivery = createDeliveryReporter(bot.telegram, db, logger, { clock });
  const scheduler = createScheduler({
    logger,
    expression: options.schedule,
    tick: async () => {
      const result = await runReminderPass(db, {
        now: clock(),
        send,
        split: splitOutboxMessage,
        leaseMs: config.OUTBOX_LEASE_SECONDS * 1000,
        batchSize: batchSizeFor(config.TELEGRAM_RATE_LIMIT),
        messagesPerSecond: config.TELEGRAM_RATE_LIMIT,
        onBroadcastProgress: reportDelivery.progress,
        budgetMs: outboxBudgetMs,
      });
      await reportDelivery.settled();
      const { sent, blocked, failed, retrying, cancelled, more } = result;
      if (sent + blocked + failed + retrying + cancelled > 0) logger.info({ sent, blocked, failed, retrying, cancelled, more }, "outbox pass");
      // A backlog goes on in the next pass at once, with whatever fell due meanwhile planned first.
      if (more) scheduler.runNow();
    },
  });
  outbox.wake = () => scheduler.runNow();
  // Catch up at once on what fell due while the bot was down.
  scheduler.runNow();
  // The webhook's path may be the user's second secret: only its host and our port are logged.
  const receivingBy = webhook && config.WEBHOOK_URL ? { mode: "webhook", host: new URL(config.WEBHOOK_URL).host, port: webhook.port } : { mode: "polling" };
  logger.info({ bot: bot.botInfo.username, ...receivingBy }, "Pantau started");

  return {
    botUsername: bot.botInfo.username,
    failed,
    async stop() {
      stopping = true;
      await scheduler.stop();
      // The webhook stays set at Telegram: other instances may still serve it.
      if (webhook) await webhook.close();
      else if (receiving) {
        // launch() starts polling only after a first round trip; a stop right after the start
        // waits for it, or polling would begin after the stop.
        const polling = () => (bot as unknown as { polling?: unknown }).polling !== undefined;
        for (let i = 0; i < 250 && !polling() && receiving; i++) await new Promise((resolve) => setTimeout(resolve, 20));
        if (polling()) bot.stop("shutdown");
      }
      // An import being applied finishes and is answered before the database goes: cut off, it
      // would be rolled back with its coordinator never told.
      if (!(await detached.settle(detachedGraceMs))) logger.warn({ running: detached.size }, "plan file work still running at stop");
      await db.$disconnect();
      logger.info("Pantau stopped");
    },
  };
}
