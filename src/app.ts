import type { BotConfig } from "./config.js";
import { createBot, registerCommands } from "./bot/create-bot.js";
import { createReminderSender } from "./bot/reminder-sender.js";
import { openPrisma } from "./db/connection.js";
import { applyMigrations } from "./db/schema-engine.js";
import type { Logger } from "./logger.js";
import { createScheduler } from "./scheduler/create-scheduler.js";
import { runReminderPass } from "./services/reminders.js";

export interface RunningPantau {
  botUsername: string;
  /** Rejects if the bot stops receiving updates by itself (e.g. another poller took the token). */
  failed: Promise<never>;
  stop(): Promise<void>;
}

/**
 * Starts Pantau: applies pending migrations, starts the bot (long polling, or a webhook when
 * WEBHOOK_URL is set) and the reminder schedule. `stop` ends all three cleanly.
 */
export async function startPantau(config: BotConfig, logger: Logger, clock: () => Date = () => new Date()): Promise<RunningPantau> {
  const applied = await applyMigrations(config.DATABASE_URL);
  if (applied.length) logger.info({ migrations: applied }, "migrations applied");
  const db = openPrisma(config.DATABASE_URL);
  const bot = createBot({ token: config.BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT }, { db, logger, clock });
  try {
    bot.botInfo = await bot.telegram.getMe();
    await registerCommands(bot);
  } catch (err) {
    await db.$disconnect();
    throw err;
  }

  const launched = config.WEBHOOK_URL
    ? bot.launch({
        webhook: {
          domain: config.WEBHOOK_URL,
          port: config.PORT,
          secretToken: config.WEBHOOK_SECRET,
        },
      })
    : bot.launch({ dropPendingUpdates: false });
  let stopping = false;
  let receiving = true;
  // launch() settles only when receiving ends; unless we are stopping, that is a failure.
  const failed = launched.then(
    () => Promise.reject(new Error("the bot stopped receiving updates")),
    (err: unknown) => Promise.reject(err instanceof Error ? err : new Error(String(err))),
  );
  failed.catch((err: unknown) => {
    receiving = false;
    if (!stopping) logger.error({ err }, "the bot stopped receiving updates");
  });

  const send = createReminderSender(bot.telegram);
  const scheduler = createScheduler({
    logger,
    tick: async () => {
      const result = await runReminderPass(db, { now: clock(), send });
      if (result.planned.length) {
        logger.info({ sent: result.sent, blocked: result.blocked, failed: result.failed }, "reminder pass");
      }
    },
  });
  logger.info({ bot: bot.botInfo.username, mode: config.WEBHOOK_URL ? "webhook" : "polling" }, "Pantau started");

  return {
    botUsername: bot.botInfo.username,
    failed,
    async stop() {
      stopping = true;
      await scheduler.stop();
      if (receiving) bot.stop("shutdown");
      await db.$disconnect();
      logger.info("Pantau stopped");
    },
  };
}
