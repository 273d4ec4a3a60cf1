import { wallClock } from "../clock.js";

/**
 * Work an update handler starts and does not wait for (an /impor preview or apply), so that the
 * updates after it are not held. One piece per key (a person) at a time, and `settle` lets a stop
 * wait for what is running before the database goes away.
 */
export class DetachedWork {
  private readonly running = new Map<string, Promise<void>>();

  /** Starts `work` (which answers its own failures: it must not reject) under `key`, unless work under that key is still running (then false). */
  start(key: string, work: () => Promise<void>): boolean {
    if (this.running.has(key)) return false;
    // The work answers its own failures; one it missed must still not end the process (an
    // unhandled rejection does on Node 15 and later).
    const done = work()
      .catch(() => undefined)
      .finally(() => this.running.delete(key));
    this.running.set(key, done);
    return true;
  }

  /**
   * Resolves when everything running has ended (failures included), work started meanwhile too,
   * or after `ms`: true when all ended.
   */
  async settle(ms: number): Promise<boolean> {
    const deadline = wallClock() + ms;
    while (this.running.size > 0) {
      const left = deadline - wallClock();
      if (left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, left)));
      await Promise.race([Promise.allSettled([...this.running.values()]), timeout]);
      clearTimeout(timer);
    }
    return true;
  }

  /** How many pieces are running. */
  get size(): number {
    return this.running.size;
  }
}
