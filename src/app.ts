import type { Update } from "telegraf/types";
import { systemClock, wallClock, type Clock } from "./clock.js";
import { httpHost, type BotConfig } from "./config.js";
import { startBackupSchedule } from "./backup/schedule.js";
import { createBot, registerCommands } from "./bot/create-bot.js";
import { createDeliveryReporter } from "./bot/delivery-report.js";
import { DetachedWork } from "./bot/detached-work.js";
import { FloodGuard } from "./bot/flood-limit.js";
import { createOutboxSender, splitOutboxMessage } from "./bot/outbox-sender.js";
import { startPolling, type Polling } from "./bot/polling.js";
import { bulkClient } from "./bot/telegram-api.js";
import { updateQueueFor } from "./bot/update-queue.js";
import { registerWebhook, setWebhook, webhookPath } from "./bot/webhook.js";
import { databaseKind, openPrisma } from "./db/connection.js";
import { applyMigrations, migrationNames } from "./db/schema-engine.js";
import { createHttpServer, listenAddress } from "./http/server.js";
import type { Logger } from "./logger.js";
import { registerMiniApp } from "./miniapp/routes.js";
import { registerMonitoring } from "./monitoring/endpoints.js";
import { Metrics } from "./monitoring/metrics.js";
import { Vitals } from "./monitoring/vitals.js";
import { createScheduler } from "./scheduler/create-scheduler.js";
import { batchSizeFor } from "./outbox/index.js";
import { runReminderPass } from "./services/reminders.js";
import { dailyPurge } from "./services/retention.js";
import { claimUpdate } from "./services/updates.js";

/**
 * How long one scheduled pass sends before it lets the next one plan (and a stop end it):
 * about 1,700 messages at the default rate.
 */
const outboxBudgetMs = 60_000;
/**
 * How long a stop waits for the updates taken in to be answered, then for an /impor preview or
 * apply in progress (a plan of 10,000 steps takes seconds).
 */
const stopGraceMs = 30_000;

export interface RunningPantau {
  botUsername: string;
  /** Where Pantau's HTTP server listens (health, metrics, the webhook): the port bound, also for PORT=0. */
  http: { host: string; port: number };
  /**
   * Rejects if the bot stops receiving updates by itself (another poller took the token, or the
   * webhook server failed).
   */
  failed: Promise<never>;
  /**
   * Resolves once every update taken in so far has been handled (its answers sent). Taken in
   * is not handled: updates are answered in the background, one chat at a time per chat.
   */
  handled(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts Pantau: applies pending migrations, starts its HTTP server (health, metrics, and the
 * webhook when WEBHOOK_URL is set), the bot (long polling, or that webhook) and the reminder
 * schedule. `stop` ends them all cleanly.
 */
export async function startPantau(
  config: BotConfig,
  logger: Logger,
  options: {
    clock?: Clock;
    /** The reminder pass's cron expression (default every five minutes); null: at start and on demand only. */
    schedule?: string | null;
    /** Real time (epoch ms) of the health checks and uptime; a test moves its own to make them stale. */
    wallClock?: () => number;
  } = {},
): Promise<RunningPantau> {
  const clock = options.clock ?? systemClock;
  const applied = await applyMigrations(config.DATABASE_URL);
  if (applied.length) logger.info({ migrations: applied }, "migrations applied");
  const kind = databaseKind(config.DATABASE_URL);
  // What this code expects applied, as it was started: readiness fails while one is missing.
  const migrations = await migrationNames(kind);
  const db = openPrisma(config.DATABASE_URL);
  const vitals = new Vitals(options.wallClock ?? wallClock, config.WEBHOOK_URL ? "webhook" : "polling");
  const metrics = new Metrics({ db, clock, vitals, logger });
  const outbox = { wake: () => {} };
  const detached = new DetachedWork();
  const flood = new FloodGuard(config.FLOOD_LIMIT_PER_MINUTE);
  const bot = createBot(
    {
      token: config.BOT_TOKEN,
      apiRoot: config.TELEGRAM_API_ROOT,
      messagesPerSecond: config.TELEGRAM_RATE_LIMIT,
      flood,
      observer: metrics.telegram,
    },
    {
      db,
      logger,
      clock,
      outbox,
      detached,
      defaultTimezone: config.DEFAULT_TIMEZONE,
      adminIds: config.ADMIN_TELEGRAM_IDS,
      privacyContact: config.PRIVACY_CONTACT || null,
      dailyBackups: Boolean(config.BACKUP_DIR),
      miniAppUrl: config.MINIAPP_URL ?? null,
      system: { databaseKind: kind, vitals },
    },
  );
  try {
    bot.botInfo = await bot.telegram.getMe();
    await registerCommands(bot);
  } catch (err) {
    await db.$disconnect();
    throw err;
  }

  // Updates come by webhook (a route of our own server, see bot/webhook.ts) or by long polling,
  // and both hand them to one queue: in order within a chat, concurrently across chats.
  const queue = updateQueueFor(bot, { flood, logger, observe: (type, seconds) => metrics.updateHandled(type, seconds) });
  metrics.queued = () => queue.size;
  const server = createHttpServer(logger);
  registerMonitoring(server, { db, migrations, vitals, metrics, logger });
  // The dashboard, only once the admin has published it (MINIAPP_URL): see README "Dashboard (Mini App)".
  if (config.MINIAPP_URL) {
    registerMiniApp(server, {
      db,
      logger,
      clock,
      telegram: bot.telegram,
      botToken: config.BOT_TOKEN,
      apiRoot: config.TELEGRAM_API_ROOT,
      maxAgeSeconds: config.MINIAPP_AUTH_MAX_AGE,
      wallClock: options.wallClock ?? wallClock,
    });
  }
  if (config.WEBHOOK_URL) {
    const secret = config.WEBHOOK_SECRET ?? "";
    registerWebhook(server, { accept: (update) => queue.accept(update), db, logger, secret, path: webhookPath(config.WEBHOOK_URL) });
  }
  const host = httpHost(config);
  let port: number;
  try {
    port = await server.listen(config.PORT, host);
    if (config.WEBHOOK_URL) await setWebhook(bot.telegram, config.WEBHOOK_URL, config.WEBHOOK_SECRET ?? "");
  } catch (err) {
    await server.close();
    await db.$disconnect();
    throw err;
  }
  // Polled updates are claimed like the webhook's (services/updates.ts), so a restart that is
  // handed one again skips it.
  const intake = {
    room: (signal: AbortSignal) => queue.room(signal),
    claim: (update: Update) => claimUpdate(db, update.update_id),
    accept: (update: Update) => queue.accept(update),
    polled: () => vitals.polled(),
  };
  const polling: Polling | null = config.WEBHOOK_URL ? null : startPolling(bot.telegram, intake, logger);
  let stopping = false;
  // Receiving settles only when polling ends or the server fails; unless we are stopping, that
  // is a failure (and readyz says so meanwhile).
  const launched = polling ? Promise.race([polling.done, server.failed]) : server.failed;
  const failed = launched.then(
    () => Promise.reject(new Error("the bot stopped receiving updates")),
    (err: unknown) => Promise.reject(err instanceof Error ? err : new Error(String(err))),
  );
  failed.catch((err: unknown) => {
    vitals.receivingStopped();
    if (!stopping) logger.error({ err }, "the bot stopped receiving updates");
  });

  // Reminders and broadcasts wait behind answers to what users just did.
  const send = createOutboxSender(bulkClient(bot.telegram));
  const reportDelivery = createDeliveryReporter(bot.telegram, db, logger, { clock });
  const purge = dailyPurge(db);
  // A stop claims no new outbox batch: it waits for the batch in hand, not for the budget.
  const stopSending = new AbortController();
  const scheduler = createScheduler({
    logger,
    expression: options.schedule,
    tick: async () => {
      // Data past its retention goes once a day (services/retention.ts); a failure waits for tomorrow.
      await purge(clock(), systemClock()).then(
        (purged) => purged && purged.deliveries + purged.flows + purged.readAudits + purged.claims > 0 && logger.info(purged, "retention purge"),
        (err: unknown) => logger.error({ err }, "retention purge failed"),
      );
      const now = clock();
      const started = performance.now();
      const passEnded = (ok: boolean) => {
        const seconds = (performance.now() - started) / 1000;
        vitals.passFinished({ at: now, ok, seconds });
        metrics.passFinished(ok, seconds);
      };
      const result = await runReminderPass(db, {
        now,
        send,
        split: splitOutboxMessage,
        leaseMs: config.OUTBOX_LEASE_SECONDS * 1000,
        batchSize: batchSizeFor(config.TELEGRAM_RATE_LIMIT),
        messagesPerSecond: config.TELEGRAM_RATE_LIMIT,
        onBroadcastProgress: reportDelivery.progress,
        budgetMs: outboxBudgetMs,
        onOutcome: (kind, outcome, rows) => metrics.delivered(kind, outcome, rows),
        signal: stopSending.signal,
      }).catch((err: unknown) => {
        passEnded(false);
        throw err;
      });
      passEnded(true);
      await reportDelivery.settled();
      const { sent, blocked, failed, retrying, cancelled, more } = result;
      if (sent + blocked + failed + retrying + cancelled > 0) logger.info({ sent, blocked, failed, retrying, cancelled, more }, "outbox pass");
      // A backlog goes on in the next pass at once, with whatever fell due meanwhile planned first.
      if (more && !stopSending.signal.aborted) scheduler.runNow();
    },
  });
  outbox.wake = () => scheduler.runNow();
  // Catch up at once on what fell due while the bot was down.
  scheduler.runNow();
  // Daily backups, when a folder for them is configured.
  const backups = config.BACKUP_DIR
    ? startBackupSchedule({
        url: config.DATABASE_URL,
        db,
        schedule: { dir: config.BACKUP_DIR, hour: config.BACKUP_HOUR, keep: config.BACKUP_KEEP, timezone: config.DEFAULT_TIMEZONE },
        clock,
        logger,
        expression: options.schedule === null ? null : undefined,
      })
    : null;
  // The webhook's path may be the user's second secret: only its host is logged.
  const receivingBy = config.WEBHOOK_URL ? { mode: "webhook", webhook: new URL(config.WEBHOOK_URL).host } : { mode: "polling" };
  logger.info({ bot: bot.botInfo.username, ...receivingBy, listen: listenAddress(host, port) }, "Pantau started");

  return {
    botUsername: bot.botInfo.username,
    http: { host, port },
    failed,
    handled: () => queue.idle(),
    async stop() {
      stopping = true;
      stopSending.abort();
      // Receiving stops first (the HTTP server with the webhook, or polling), then the scheduler
      // (whose pass sends the outbox batch in hand and claims no other); the grace for what was
      // taken in starts only after both. The webhook stays set at Telegram: other instances may
      // still serve it.
      await server.close();
      await polling?.stop();
      await scheduler.stop();
      await backups?.stop();
      const deadline = wallClock() + stopGraceMs;
      // Telegram forgot the updates taken in: they are answered before the database goes (an
      // update still waiting past the grace is lost, and logged). A crash loses them, like a
      // webhook's claimed update: at most once, never answered twice.
      const left = await queue.drain(Math.max(0, deadline - wallClock()));
      if (left.discarded.length + left.running > 0) logger.warn(left, "updates left unanswered at stop");
      // An import being applied finishes and is answered before the database goes: cut off, it
      // would be rolled back with its coordinator never told.
      if (!(await detached.settle(Math.max(0, deadline - wallClock())))) logger.warn({ running: detached.size }, "plan file work still running at stop");
      await db.$disconnect();
      logger.info("Pantau stopped");
    },
  };
}
