import cron from "node-cron";
import type { Logger } from "../logger.js";

export interface Scheduler {
  stop(): Promise<void>;
}

/**
 * Runs `tick` on a cron schedule (every five minutes by default), never two at once. The
 * tick decides from the database what is due; nothing lives in timers, so a restart loses
 * nothing. `stop` waits for a running tick to finish.
 */
export function createScheduler(options: { tick: () => Promise<unknown>; logger: Logger; expression?: string }): Scheduler {
  let running: Promise<unknown> | null = null;
  const task = cron.schedule(
    options.expression ?? "*/5 * * * *",
    async () => {
      running = options.tick().catch((err: unknown) => options.logger.error({ err }, "scheduled reminder pass failed"));
      await running;
      running = null;
    },
    { name: "reminders", noOverlap: true },
  );
  return {
    async stop() {
      await task.stop();
      await running;
    },
  };
}
