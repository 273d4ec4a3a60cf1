/**
 * Updates waiting for the bot, served by long polling as Telegram serves them: a poll is held
 * until an update arrives, a newer poll ends an older one (409), and an offset acknowledges
 * everything before it. A webhook set makes getUpdates refuse, as it does on Telegram.
 */
import type http from "node:http";
import { ApiError, clone, num, type Params, type Update, type UpdateBody } from "./bot-api.js";

interface HeldPoll {
  wake: () => void;
  conflict: () => void;
}

export class UpdateQueue {
  private updates: Update[] = [];
  private nextUpdateId = 1;
  private highestFetched = 0;
  private readonly heldPolls = new Set<HeldPoll>();
  private stopped = false;
  webhookUrl = "";
  lastGetUpdatesAt = 0;

  /** `onChange` runs after every new update (waiters re-check). */
  constructor(private readonly onChange: () => void) {}

  push(body: UpdateBody): number {
    if (this.stopped) throw new Error("BotApiEmulator is stopped");
    const update_id = this.nextUpdateId++;
    this.updates.push(clone({ update_id, ...body }));
    for (const poll of [...this.heldPolls]) poll.wake();
    this.onChange();
    return update_id;
  }

  /** Updates not yet acknowledged (fetched or not). */
  get size(): number {
    return this.updates.length;
  }

  /** Updates the bot has not fetched yet. */
  pending(): number {
    return this.updates.filter((u) => u.update_id > this.highestFetched).length;
  }

  /** The bot has fetched this update and acknowledged it by asking for the ones after it. */
  acknowledged(updateId: number): boolean {
    return updateId <= this.highestFetched && !this.updates.some((u) => u.update_id === updateId);
  }

  dropPending(): void {
    this.updates = [];
  }

  async getUpdates(p: Params, res: http.ServerResponse): Promise<Update[]> {
    if (this.webhookUrl)
      throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    this.lastGetUpdatesAt = Date.now();
    // Telegram ends an older long poll when a newer one arrives.
    for (const poll of [...this.heldPolls]) poll.conflict();
    const offset = num(p.offset) ?? 0;
    const limit = Math.min(100, Math.max(1, num(p.limit) ?? 100));
    const timeout = Math.max(0, num(p.timeout) ?? 0);
    if (offset > 0) {
      this.updates = this.updates.filter((u) => u.update_id >= offset);
    }
    const select = () => (offset < 0 ? this.updates.slice(offset) : this.updates).slice(0, limit);
    let batch = select();
    if (batch.length === 0 && timeout > 0 && !this.stopped) {
      let conflicted = false;
      await new Promise<void>((resolve) => {
        const poll: HeldPoll = {
          wake: () => {
            this.heldPolls.delete(poll);
            clearTimeout(timer);
            resolve();
          },
          conflict: () => {
            conflicted = true;
            poll.wake();
          },
        };
        const timer = setTimeout(poll.wake, Math.min(timeout, 1) * 1000);
        res.once("close", poll.wake);
        this.heldPolls.add(poll);
      });
      if (conflicted) throw new ApiError(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
      if (res.destroyed || this.stopped) return [];
      batch = select();
    }
    for (const u of batch) this.highestFetched = Math.max(this.highestFetched, u.update_id);
    return batch.map((u) => clone(u));
  }

  /** Ends every held poll (answered empty) and refuses new updates. */
  stop(): void {
    this.stopped = true;
    for (const poll of [...this.heldPolls]) poll.wake();
  }
}
