import type { Telegraf } from "telegraf";
import type { Update } from "telegraf/types";
import { wallClock } from "../clock.js";
import type { Logger } from "../logger.js";
import type { FloodGuard } from "./flood-limit.js";
import { holdBulk } from "./telegram-api.js";
import { allowedUpdates } from "./webhook.js";

// Updates are handled one at a time per chat (a person's messages keep their order) and
// concurrently across chats, so that one busy chat (a long answer, a person tapping quickly, a
// group) never holds anyone else's answer. Both doors, long polling and the webhook, feed it.

/** What became of an update offered to the queue. */
export type Acceptance = "queued" | "dropped" | "closed";

export interface UpdateQueueOptions {
  /** Handles one update (the bot's `handleUpdate`); failures are logged, never rethrown. */
  handle: (update: Update) => Promise<unknown>;
  /**
   * Whether an update arriving is taken at all (the flood limit's verdict, judged here, as it
   * arrives): one refused is dropped like one over its chat's bound.
   */
  admit?: (update: Update) => boolean;
  /**
   * Updates one chat may have waiting; beyond it a new one is dropped. A person's own rate is
   * bounded by `admit` (the flood limit, with its notice): this bound holds what it does not
   * cover alone, such as a group of many people each pressing buttons.
   */
  perChat: number;
  /** Updates handled at once, all chats together. */
  concurrency?: number;
  /** Updates accepted and not yet handled, all chats together; beyond it `accept` waits. */
  capacity?: number;
  /** Told of an update dropped (refused, or over its chat's bound): a button press is answered without a word. */
  onDrop?: (update: Update) => Promise<unknown>;
  /** Called as an update is queued; what it returns is called once it is handled (or discarded). */
  onQueued?: (update: Update) => () => void;
  logger: Logger;
}

/** One chat's line: what waits, and whether one of its updates is being handled. */
interface ChatLine {
  key: string;
  waiting: Update[];
  busy: boolean;
  /** A drop was logged since the line was last empty (one warning per episode, not per update). */
  warned: boolean;
}

export type UpdateType = (typeof allowedUpdates)[number] | "other";

/** What an update carries, from a short fixed list (a label of the metrics). */
export function updateType(update: Update): UpdateType {
  return allowedUpdates.find((type) => type in update) ?? "other";
}

/** The chat an update comes from (a private chat, a group, or the chat of a pressed button), when it has one. */
export function chatIdOf(update: Update): number | undefined {
  return (
    ("message" in update && update.message.chat.id) ||
    ("edited_message" in update && update.edited_message.chat.id) ||
    ("callback_query" in update && update.callback_query.message?.chat.id) ||
    ("my_chat_member" in update && update.my_chat_member.chat.id) ||
    undefined
  );
}

/** The line an update waits in: its chat's, else its sender's or its own. */
export function chatKeyOf(update: Update): string {
  const chat = chatIdOf(update);
  if (chat !== undefined) return `chat:${chat}`;
  // A press on a message Telegram no longer shows: the person's own line.
  if ("callback_query" in update) return `person:${update.callback_query.from.id}`;
  return `update:${update.update_id}`;
}

/**
 * Sequential within a chat, concurrent across chats, bounded three ways: at most `concurrency`
 * updates in progress (the rest wait in their chat's line, chats taking turns), at most
 * `capacity` accepted (then `accept` waits: polling stops fetching, a webhook request waits,
 * and Telegram keeps the rest), at most `perChat` waiting in one chat (then dropped: waiting
 * would hold every other chat through the global bound, and the flood limit already told a
 * person who is too fast). A block or unblock (`my_chat_member`) is never dropped.
 */
export class UpdateQueue {
  private readonly chats = new Map<string, ChatLine>();
  /** Chats with an update waiting and none in progress, in the order they became ready. */
  private readonly ready: ChatLine[] = [];
  private running = 0;
  private accepted = 0;
  private closed = false;
  private roomWaiters: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];
  /** What `onQueued` returned for each update accepted and not yet handled. */
  private readonly done = new Map<Update, () => void>();
  private readonly concurrency: number;
  private readonly capacity: number;

  constructor(private readonly options: UpdateQueueOptions) {
    this.concurrency = options.concurrency ?? 32;
    this.capacity = options.capacity ?? 1000;
  }

  /**
   * Takes an update in, waiting while the queue is full: "queued" (it will be handled),
   * "dropped" (its chat's line was full) or "closed" (the queue stops, or `signal` aborted, first).
   */
  async accept(update: Update, signal?: AbortSignal): Promise<Acceptance> {
    if (!(await this.room(signal))) return "closed";
    if (this.options.admit && !this.options.admit(update)) return this.drop(update);
    const key = chatKeyOf(update);
    const line = this.chats.get(key) ?? { key, waiting: [], busy: false, warned: false };
    this.chats.set(key, line);
    if (line.waiting.length >= this.options.perChat && !("my_chat_member" in update)) {
      if (!line.warned)
        this.options.logger.warn({ update: update.update_id, chat: key, waiting: line.waiting.length }, "a chat's queue is full: its new updates are dropped");
      line.warned = true;
      return this.drop(update);
    }
    line.waiting.push(update);
    this.accepted++;
    if (this.options.onQueued) this.done.set(update, this.options.onQueued(update));
    if (!line.busy && line.waiting.length === 1) this.ready.push(line);
    this.pump();
    return "queued";
  }

  /**
   * Waits while the queue is full: true once there is room, false when the queue stops or
   * `signal` aborts first. Polling waits here before it claims an update, so that a stop while
   * full leaves the update unclaimed (fetched again at the next start) rather than lost.
   */
  async room(signal?: AbortSignal): Promise<boolean> {
    while (this.accepted >= this.capacity && !this.closed && !signal?.aborted) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal?.removeEventListener("abort", wake);
          resolve();
        };
        this.roomWaiters.push(wake);
        signal?.addEventListener("abort", wake, { once: true });
      });
    }
    return !this.closed && !signal?.aborted;
  }

  /** Resolves once every update accepted so far (and any accepted meanwhile) has been handled. */
  idle(): Promise<void> {
    if (this.accepted === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Accepts nothing more and waits until what was accepted has been handled, or `ms` have
   * passed: then what had not started is discarded (and returned, for the log) and what is in
   * progress is left to finish on its own.
   */
  async drain(ms: number): Promise<{ discarded: number[]; running: number }> {
    this.closed = true;
    for (const wake of this.roomWaiters.splice(0)) wake();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
    await Promise.race([this.idle(), timeout]);
    clearTimeout(timer);
    const left = this.ready.splice(0).flatMap((line) => line.waiting.splice(0));
    for (const line of this.chats.values()) left.push(...line.waiting.splice(0));
    for (const update of left) this.finished(update);
    const discarded = left.map((u) => u.update_id);
    this.accepted -= discarded.length;
    return { discarded, running: this.running };
  }

  /** Updates accepted and not yet handled. */
  get size(): number {
    return this.accepted;
  }

  private drop(update: Update): Acceptance {
    this.options.onDrop?.(update).catch((err: unknown) => this.options.logger.warn({ err, update: update.update_id }, "could not answer a dropped update"));
    return "dropped";
  }

  private finished(update: Update): void {
    this.done.get(update)?.();
    this.done.delete(update);
  }

  private pump(): void {
    while (this.running < this.concurrency && this.ready.length > 0) {
      const line = this.ready.shift()!;
      const update = line.waiting.shift()!;
      line.busy = true;
      this.running++;
      void this.run(line, update);
    }
  }

  private async run(line: ChatLine, update: Update): Promise<void> {
    try {
      await this.options.handle(update);
    } catch (err) {
      this.options.logger.error({ err, update: update.update_id }, "update failed outside the bot's error handler");
    }
    this.finished(update);
    this.running--;
    this.accepted--;
    line.busy = false;
    // Back to the end of the turns, so a chat with much waiting takes one slot at a time.
    if (line.waiting.length > 0) this.ready.push(line);
    else {
      line.warned = false;
      this.chats.delete(line.key);
    }
    for (const wake of this.roomWaiters.splice(0)) wake();
    if (this.accepted === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    this.pump();
  }
}

/**
 * The queue in front of a bot: the flood verdict taken as an update arrives, at most two
 * minutes' worth of a person's updates waiting in one chat, updates handled by the bot's
 * middleware, a dropped button press answered without a word (or the person's app shows its
 * spinner until Telegram gives up), bulk sends to a chat held while its updates wait or are handled.
 */
export function updateQueueFor(
  bot: Pick<Telegraf, "handleUpdate" | "telegram">,
  options: { flood: FloodGuard; logger: Logger; observe?: (type: UpdateType, seconds: number) => void },
): UpdateQueue {
  const { flood, logger, observe } = options;
  return new UpdateQueue({
    logger,
    admit: (update) => flood.judge(update, wallClock()) !== "drop",
    perChat: 2 * flood.perMinute,
    handle: async (update) => {
      const started = performance.now();
      try {
        await bot.handleUpdate(update);
      } finally {
        observe?.(updateType(update), (performance.now() - started) / 1000);
      }
    },
    onDrop: async (update) => {
      if ("callback_query" in update) await bot.telegram.answerCbQuery(update.callback_query.id);
    },
    // What a chat just asked is answered before the bulk sends due to it meanwhile.
    onQueued: (update) => {
      const chat = chatIdOf(update);
      return chat === undefined ? () => {} : holdBulk(bot.telegram, chat);
    },
  });
}
