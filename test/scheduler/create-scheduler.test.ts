import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { createScheduler } from "../../src/scheduler/create-scheduler.js";

const silent = createLogger("silent", new Writable({ write: (_c, _e, done) => done() }));

describe("the reminder schedule", () => {
  it("runs the pass on its schedule, never two at once, and stop waits for a running pass", async () => {
    let running = 0;
    let overlaps = 0;
    let finished = 0;
    let release: () => void = () => {};
    const scheduler = createScheduler({
      logger: silent,
      expression: "* * * * * *", // every second
      tick: async () => {
        running += 1;
        if (running > 1) overlaps += 1;
        await new Promise<void>((resolve) => (release = resolve));
        running -= 1;
        finished += 1;
      },
    });
    await expect.poll(() => running, { timeout: 3000 }).toBe(1);
    // The pass is still running when the next second comes: no second pass starts.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(overlaps).toBe(0);
    const stopped = scheduler.stop();
    let done = false;
    void stopped.then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(done).toBe(false);
    release();
    await stopped;
    expect(finished).toBe(1);
  });

  it("without a schedule, runs a pass only when asked, and one more when asked during a pass", async () => {
    let calls = 0;
    let release: () => void = () => {};
    const scheduler = createScheduler({
      logger: silent,
      expression: null,
      tick: async () => {
        calls += 1;
        await new Promise<void>((resolve) => (release = resolve));
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(calls).toBe(0);
    scheduler.runNow();
    expect(calls).toBe(1);
    scheduler.runNow();
    scheduler.runNow();
    release();
    await expect.poll(() => calls).toBe(2);
    release();
    await scheduler.stop();
    expect(calls).toBe(2);
  });

  it("keeps going after a pass fails", async () => {
    let calls = 0;
    const scheduler = createScheduler({
      logger: silent,
      expression: "* * * * * *",
      tick: async () => {
        calls += 1;
        throw new Error("database unreachable");
      },
    });
    await expect.poll(() => calls, { timeout: 4000 }).toBeGreaterThanOrEqual(2);
    await scheduler.stop();
  });
});
