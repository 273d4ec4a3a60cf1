import cron from "node-cron";
import type { Logger } from "../logger.js";

export interface Scheduler {
  /** Runs the tick now (or right after the running one), e.g. when a broadcast was queued. */
  runNow(): void;
  stop(): Promise<void>;
}

/**
 * Runs `tick` on a cron schedule (every five minutes by default) and on demand, never two at
 * once: a request while a tick runs makes one more tick right after it. The tick decides from
 * the database what is due; nothing lives in timers, so a restart loses nothing. `stop` waits
 * for a running tick to finish.
 */
export function createScheduler(options: {
  tick: () => Promise<unknown>;
  logger: Logger;
  /** Cron expression (default every five minutes); null: on demand only. */
  expression?: string | null;
}): Scheduler {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const run = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await options.tick().catch((err: unknown) => options.logger.error({ err }, "scheduled reminder pass failed"));
      } while (again && !stopped);
    })().finally(() => {
      running = null;
    });
  };
  const task = options.expression === null ? null : cron.schedule(options.expression ?? "*/5 * * * *", run, { name: "reminders" });
  return {
    runNow: run,
    async stop() {
      stopped = true;
      await task?.stop();
      await running;
    },
  };
}
