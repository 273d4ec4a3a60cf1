import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { lastBackup } from "../backup/backup.js";
import { pantauVersion } from "../backup/format.js";
import type { ApiObserver } from "../bot/telegram-api.js";
import type { Clock } from "../clock.js";
import type { Prisma } from "../db/connection.js";
import type { Logger } from "../logger.js";
import { outboxBacklog, type DeliveryKind, type DeliveryOutcome } from "../outbox/index.js";
import type { Vitals } from "./vitals.js";

// Prometheus metrics (text format on GET /metrics), after Prometheus's conventions: a `pantau_`
// prefix, base units (seconds, bytes), `_total` on counters. Labels are kinds and codes from
// short fixed lists, never a chat, a person or an update: the metrics identify nobody.

const prefix = "pantau_";

/**
 * The process's own metrics (CPU, memory, event loop, GC), once per process: they describe the
 * process, not one Pantau in it, and prom-client's collectors (a GC observer among them) cannot
 * be stopped, so several Pantaus in one process (the tests) share them.
 */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix });
  }
  return processRegistry;
}

export interface MetricsDeps {
  db: Prisma;
  /** Business time: the outbox's due dates are on it. */
  clock: Clock;
  vitals: Vitals;
  logger: Logger;
}

/** One running Pantau's metrics, in a registry of its own. */
export class Metrics {
  private readonly registry = new Registry();
  private readonly updates: Histogram<"type">;
  private readonly messages: Counter<"kind" | "outcome">;
  private readonly telegramErrors: Counter<"method" | "code">;
  private readonly rateLimited: Counter;
  private readonly rateLimitWait: Counter;
  private readonly passDuration: Histogram<"outcome">;
  private readonly passLastSuccess: Gauge;
  private readonly queuedGauge: Gauge;
  private readonly outboxDue: Gauge;
  private readonly outboxOldest: Gauge;
  private readonly backupAt: Gauge;
  /** Updates taken in and not yet handled (the update queue's size), set once the queue exists. */
  queued: () => number = () => 0;

  constructor(private readonly deps: MetricsDeps) {
    const registers = [this.registry];
    new Gauge({ name: `${prefix}build_info`, help: "Always 1; the version of Pantau running as a label.", labelNames: ["version"], registers }).set(
      { version: pantauVersion() },
      1,
    );
    this.updates = new Histogram({
      name: `${prefix}update_duration_seconds`,
      help: "Updates handled (_count) and how long each took, from being taken up to the answer, by update type.",
      labelNames: ["type"],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.messages = new Counter({
      name: `${prefix}messages_total`,
      help: "Outbox messages (one per recipient and step, or per broadcast recipient) by kind and outcome: sent, blocked, failed, retrying, cancelled.",
      labelNames: ["kind", "outcome"],
      registers,
    });
    this.telegramErrors = new Counter({
      name: `${prefix}telegram_errors_total`,
      help: 'Bot API calls that failed, by method and Telegram\'s error code ("network" when no answer came).',
      labelNames: ["method", "code"],
      registers,
    });
    this.rateLimited = new Counter({ name: `${prefix}telegram_rate_limited_total`, help: "Times Telegram answered 429 (too many requests).", registers });
    this.rateLimitWait = new Counter({
      name: `${prefix}telegram_rate_limit_wait_seconds_total`,
      help: "Seconds Telegram asked to wait with its 429 answers (retry_after), added up.",
      registers,
    });
    this.passDuration = new Histogram({
      name: `${prefix}reminder_pass_duration_seconds`,
      help: "Reminder passes (planning and sending what is due) and how long each took, by outcome (ok, failed).",
      labelNames: ["outcome"],
      buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    });
    this.passLastSuccess = new Gauge({
      name: `${prefix}reminder_pass_last_success_timestamp_seconds`,
      help: "When this process last finished a reminder pass without error (Unix time; 0 before the first).",
      registers,
    });
    this.queuedGauge = new Gauge({ name: `${prefix}updates_queued`, help: "Updates taken in and not yet handled.", registers });
    this.outboxDue = new Gauge({ name: `${prefix}outbox_due_messages`, help: "Outbox messages due now and not yet sent.", registers });
    this.outboxOldest = new Gauge({
      name: `${prefix}outbox_oldest_due_age_seconds`,
      help: "How long the oldest outbox message due and not yet sent has been due (0 when none).",
      registers,
    });
    this.backupAt = new Gauge({
      name: `${prefix}backup_last_success_timestamp_seconds`,
      help: "When the last backup was made, by hand or scheduled (Unix time; 0 when none is recorded).",
      registers,
    });
  }

  /** An update was handled in `seconds`. */
  updateHandled(type: string, seconds: number): void {
    this.updates.observe({ type }, seconds);
  }

  /** Rows of the outbox that ended one way in a dispatch. */
  delivered(kind: DeliveryKind, outcome: DeliveryOutcome, rows: number): void {
    this.messages.inc({ kind, outcome }, rows);
  }

  /** A reminder pass ended. */
  passFinished(ok: boolean, seconds: number): void {
    this.passDuration.observe({ outcome: ok ? "ok" : "failed" }, seconds);
  }

  /** What the Bot API policy reports. */
  readonly telegram: ApiObserver = {
    error: (method, code) => this.telegramErrors.inc({ method, code }),
    rateLimited: (seconds) => {
      this.rateLimited.inc();
      this.rateLimitWait.inc(seconds);
    },
  };

  readonly contentType = this.registry.contentType;

  /** Every metric, this Pantau's and the process's, in Prometheus's text format. */
  async text(): Promise<string> {
    await this.scrape();
    return Registry.merge([this.registry, processMetrics()]).metrics();
  }

  /**
   * Sets the gauges read at scrape time: from this process, and from the database (three reads
   * on indexes); NaN when the database does not answer, which readyz then names.
   */
  private async scrape(): Promise<void> {
    const { db, clock, vitals, logger } = this.deps;
    try {
      const now = clock();
      const [{ due, oldestDueAt }, backup] = await Promise.all([outboxBacklog(db, now), lastBackup(db)]);
      this.outboxDue.set(due);
      this.outboxOldest.set(oldestDueAt ? Math.max(0, (now.getTime() - oldestDueAt.getTime()) / 1000) : 0);
      this.backupAt.set((backup?.at.getTime() ?? 0) / 1000);
    } catch (err) {
      logger.warn({ err }, "metrics: the database could not be read");
      for (const gauge of [this.outboxDue, this.outboxOldest, this.backupAt]) gauge.set(NaN);
    }
    // After the reads: a pass ending meanwhile is then counted in both its histogram and here.
    this.passLastSuccess.set((vitals.lastPassSuccessAt() ?? 0) / 1000);
    this.queuedGauge.set(this.queued());
  }
}
