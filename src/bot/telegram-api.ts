import { Telegram, TelegramError } from "telegraf";
import { wallClock } from "../clock.js";
import type { Logger } from "../logger.js";

/** How Pantau treats Telegram's limits; one policy per bot token. */
export interface ApiPolicyOptions {
  /** Messages per second to all chats together (Telegram allows about 30). */
  messagesPerSecond: number;
  logger: Logger;
  /** Minimum spacing of bulk messages to one private chat (Telegram: about one per second). */
  chatIntervalMs?: number;
  /**
   * Answers one private chat may get at once before they too are spaced (Telegram tolerates
   * short bursts): a person's own answer of several messages arrives together.
   */
  chatBurst?: number;
  /** Minimum spacing of messages to one group (Telegram: at most 20 a minute). */
  groupIntervalMs?: number;
  /** Attempts of one call through 5xx answers and network errors before giving up. */
  maxAttempts?: number;
  /** First backoff after a 5xx answer or a network error; doubles on every attempt. */
  backoffMs?: number;
  /** Told when Telegram says a group became a supergroup, so stored chat ids can move. */
  onChatMigrated?: (from: number, to: number) => Promise<void>;
  /** Told of failed calls and of Telegram's waits (the metrics): codes and seconds, never chats. */
  observer?: ApiObserver;
  /**
   * Longest a bulk send waits for the answers to a chat (see `holdBulk`): someone paging a list
   * all afternoon must not hold the outbox, whose batch waits for each of its sends.
   */
  longestHoldMs?: number;
}

export interface ApiObserver {
  /** A call failed: Telegram's error code ("400", "403", "429"…), or "network" when no answer came. */
  error(method: string, code: string): void;
  /** Telegram asked to wait this many seconds before any further call (a 429's retry_after). */
  rateLimited(seconds: number): void;
}

/** The code a failed call is counted under. */
const errorCode = (err: unknown) => (err instanceof TelegramError ? String(err.code) : "network");

type CallApi = Telegram["callApi"];
type Payload = Record<string, unknown>;

/** Calls that put a message into a chat (or change one) and so count against its limits. */
const messageMethods = /^(send(?!ChatAction)|copy|forward|edit)/;
/** Long polling waits on purpose and has its own 429 handling in telegraf. */
const unthrottled = new Set(["getUpdates"]);
const requestTimeoutMs = 30_000;

/**
 * telegraf copies a client's options into every `Telegram` it makes (one per update), own
 * properties included: the policy and the bulk mark travel with them.
 */
interface PolicyOptions {
  pantauPolicy?: ApiPolicy;
  pantauBulk?: boolean;
}
const policyOptions = (telegram: Telegram) => telegram.options as Telegram["options"] & PolicyOptions;

/**
 * Every Bot API call of a bot goes through its policy: Telegram's rate limits (globally, per
 * chat, per group), a 429's `retry_after` (no call at all before it has passed), retries with
 * backoff on 5xx answers and network errors, and a chat id moved when a group was migrated to
 * a supergroup. telegraf builds a new `Telegram` for every update from the bot's options, so
 * the policy hangs on `Telegram.prototype.callApi` and is found in those options: replies in
 * handlers (`ctx.reply`) are covered as well as the outbox.
 */
export function applyApiPolicy(telegram: Telegram, options: ApiPolicyOptions): void {
  installOnPrototype();
  policyOptions(telegram).pantauPolicy = new ApiPolicy(options);
}

/**
 * A client for bulk sending (reminders, broadcasts) sharing the bot's policy: its calls wait
 * behind the interactive ones (answers to what a user just did) when the limit is reached.
 */
export function bulkClient(telegram: Telegram): Telegram {
  return new Telegram(telegram.token, { ...telegram.options, pantauBulk: true } as Telegram["options"]);
}

/**
 * Holds bulk sends to a chat while the bot answers an update from it; returns the release (once
 * is enough, more are harmless). What a person just asked for then comes before the reminders
 * and escalations that fell due meanwhile, however long the answer takes to make.
 */
export function holdBulk(telegram: Telegram, chatId: number): () => void {
  return policyOptions(telegram).pantauPolicy?.hold(String(chatId)) ?? (() => {});
}

let installed = false;
function installOnPrototype(): void {
  if (installed) return;
  installed = true;
  const original = Telegram.prototype.callApi;
  Telegram.prototype.callApi = function (this: Telegram, method, payload, extra) {
    const { pantauPolicy: policy, pantauBulk: bulk = false } = policyOptions(this);
    if (!policy) return original.call(this, method, payload, extra);
    if (unthrottled.has(method))
      return original.call(this, method, payload, extra).catch((err: unknown) => {
        // A poll aborted by the stop is not a failure.
        if (!extra?.signal?.aborted) policy.observe(method, err);
        throw err;
      });
    return policy.call(method, payload as Payload, bulk, (p) =>
      original.call(this, method, p as never, { signal: (extra?.signal ?? AbortSignal.timeout(requestTimeoutMs)) as never }),
    );
  } as CallApi;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Network failures (no answer, reset, timeout) are retried like 5xx answers. */
function isTransient(err: unknown): boolean {
  if (err instanceof TelegramError) return err.code >= 500;
  const name = (err as { name?: string }).name;
  return name === "FetchError" || name === "AbortError" || name === "TimeoutError";
}

/**
 * The door every call goes through: at most `perSecond` calls start in any second (a sliding
 * window, counted when they start, with one interval to spare), evenly spaced, at most
 * `maxConcurrent` at once, answers to users before bulk sends, and none while Telegram asked us
 * to wait.
 *
 * Hand-written rather than a general rate-limiting library because Telegram's limits need what
 * such libraries do not give together: per-chat spacing counted from Telegram's answer (see
 * `ApiPolicy`), a pause that holds every queued call until `retry_after`, and no ceiling of its
 * own (Bottleneck, tried first, started at most about 300 calls a second on this project's
 * machines with no limit set, and counted per-chat spacing at entry into its global queue).
 */
class Gate {
  private readonly queues: [interactive: (() => void)[], bulk: (() => void)[]] = [[], []];
  /** Start times of the last `perSecond` calls, oldest first, as a ring. */
  private readonly recent: number[];
  private oldest = 0;
  private inFlight = 0;
  private nextAt = 0;
  private pausedUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly intervalMs: number;

  constructor(
    perSecond: number,
    private readonly maxConcurrent: number,
  ) {
    this.intervalMs = 1000 / perSecond;
    this.recent = new Array<number>(Math.max(1, Math.floor(perSecond))).fill(Number.NEGATIVE_INFINITY);
  }

  /** Runs `call` when its turn comes. */
  async run<T>(bulk: boolean, call: () => Promise<T>): Promise<T> {
    await new Promise<void>((resolve) => {
      this.queues[bulk ? 1 : 0].push(resolve);
      this.pump();
    });
    try {
      return await call();
    } finally {
      this.inFlight--;
      this.pump();
    }
  }

  /** No call starts before `until` (epoch ms); queued calls wait, in order. */
  pause(until: number): void {
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    if (this.queues[0].length + this.queues[1].length > 0) this.rearm(until - wallClock());
  }

  private pump(): void {
    for (;;) {
      const queue = this.queues[0].length > 0 ? this.queues[0] : this.queues[1];
      if (queue.length === 0 || this.inFlight >= this.maxConcurrent) return;
      const now = wallClock();
      // The window is one interval longer than a second: calls that start evenly spaced can
      // arrive a little bunched, and Telegram counts them when they arrive.
      const at = Math.max(this.nextAt, this.pausedUntil, this.recent[this.oldest]! + 1000 + this.intervalMs);
      if (now < at) return this.rearm(at - now);
      // The next call is due one interval after this one was due, so a timer firing late does
      // not lower the rate; after a wait longer than one interval, it counts from now.
      this.nextAt = Math.max(this.nextAt, now - this.intervalMs) + this.intervalMs;
      this.recent[this.oldest] = now;
      this.oldest = (this.oldest + 1) % this.recent.length;
      this.inFlight++;
      queue.shift()!();
    }
  }

  private rearm(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(0, Math.ceil(ms)),
    );
  }
}

/** How a chat is written to: its spacing, its short burst for answers, and the calls that hold its turns. */
interface ChatTurn {
  /** When a spaced message may next start: one interval after Telegram answered the previous one. */
  next: number;
  /** Answers that may still go at once, refilled one per interval up to the burst. */
  tokens: number;
  refilledAt: number;
  /**
   * The last call of each kind: answers and bulk sends each keep their order (retries included),
   * and an answer never waits behind the reminders queued for its chat.
   */
  turns: [interactive: Promise<unknown>, bulk: Promise<unknown>];
  /** Calls queued or on their way; the chat is forgotten once none is left and it is rested. */
  pending: number;
}

/** The spacing rule of one chat. */
interface ChatRule {
  interval: number;
  burst: number;
  /** Every message waits for the spacing (bulk sends, and anything to a group). */
  spaced: boolean;
}

class ApiPolicy {
  // At most 30 calls in flight: bounds what a 429 or a crash can catch mid-air.
  private readonly gate: Gate;
  /**
   * Chats being written to. Their spacing counts from Telegram's answer to the previous call,
   * not from when a call was queued (messages to one chat that waited together behind a
   * broadcast would otherwise leave one global interval apart), nor from when it left (calls
   * delayed differently on the way would arrive closer together than allowed).
   */
  private readonly chats = new Map<string, ChatTurn>();
  /** Chats whose updates are being answered (see `holdBulk`): how many, and the end of the last. */
  private readonly answering = new Map<string, { updates: number; since: number; ended: Promise<void>; end: () => void }>();

  constructor(private readonly options: ApiPolicyOptions) {
    this.gate = new Gate(options.messagesPerSecond, 30);
  }

  /** Counts a failed call (a Telegram error or no answer) for the metrics. */
  observe(method: string, err: unknown): void {
    this.options.observer?.error(method, errorCode(err));
  }

  hold(key: string): () => void {
    let held = this.answering.get(key);
    if (!held) {
      let end = () => {};
      const ended = new Promise<void>((resolve) => (end = resolve));
      this.answering.set(key, (held = { updates: 0, since: wallClock(), ended, end }));
    }
    const mine = held;
    mine.updates++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--mine.updates > 0) return;
      this.answering.delete(key);
      mine.end();
    };
  }

  /**
   * Resolves once no update of the chat is being answered, or the longest hold has passed since
   * the chat became busy (counted per chat: its bulk sends go one after another).
   */
  private async answered(key: string): Promise<void> {
    const longest = this.options.longestHoldMs ?? 10_000;
    for (let held = this.answering.get(key); held && wallClock() < held.since + longest; held = this.answering.get(key)) {
      const until = held.since + longest;
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, until - wallClock()).unref()));
      await Promise.race([held.ended, limit]).finally(() => clearTimeout(timer));
    }
  }

  call<T>(method: string, payload: Payload, bulk: boolean, send: (payload: Payload) => Promise<T>): Promise<T> {
    const chatId = payload.chat_id;
    if (!messageMethods.test(method) || chatId === undefined || chatId === null) return this.attempts(method, payload, bulk, send);
    // Groups and channels have negative ids (or a public @username): 20 a minute, no burst.
    const group = typeof chatId === "string" ? !/^\d+$/.test(chatId) : Number(chatId) < 0;
    const rule: ChatRule = group
      ? { interval: this.options.groupIntervalMs ?? 3000, burst: 1, spaced: true }
      : { interval: this.options.chatIntervalMs ?? 1000, burst: this.options.chatBurst ?? 5, spaced: bulk };
    const key = String(chatId);
    const chat = this.chats.get(key) ?? { next: 0, tokens: rule.burst, refilledAt: wallClock(), turns: [Promise.resolve(), Promise.resolve()], pending: 0 };
    this.chats.set(key, chat);
    chat.pending++;
    const kind = bulk ? 1 : 0;
    // A bulk send waits, in its chat's line, for the answers to what the chat just asked.
    const mine = chat.turns[kind]
      .catch(() => undefined)
      .then(() => (bulk ? this.answered(key) : undefined))
      .then(() => this.attempts(method, payload, bulk, send, { chat, rule }));
    chat.turns[kind] = mine;
    const forget = () => {
      // Kept until its spacing has passed and its burst refilled, then dropped: a broadcast
      // leaves no map of thousands, and a chat forgotten starts as a rested one would.
      if (--chat.pending > 0) return;
      const rested = Math.max(rule.interval, (rule.burst - chat.tokens) * rule.interval);
      setTimeout(() => chat.pending === 0 && this.chats.get(key) === chat && this.chats.delete(key), rested).unref();
    };
    mine.then(forget, forget);
    return mine;
  }

  /**
   * Waits for the chat's turn to write: an answer to a private chat goes at once while its burst
   * lasts, everything else (and answers past the burst) one interval after the previous message.
   */
  private async chatTurn(chat: ChatTurn, rule: ChatRule): Promise<void> {
    for (;;) {
      const now = wallClock();
      chat.tokens = Math.min(rule.burst, chat.tokens + (now - chat.refilledAt) / rule.interval);
      chat.refilledAt = now;
      const refilled = now + Math.max(0, 1 - chat.tokens) * rule.interval;
      const at = rule.spaced || chat.tokens < 1 ? Math.max(chat.next, refilled) : now;
      if (at <= now) {
        chat.tokens -= 1;
        return;
      }
      await sleep(at - now);
    }
  }

  private async attempts<T>(
    method: string,
    payload: Payload,
    bulk: boolean,
    send: (payload: Payload) => Promise<T>,
    spacing?: { chat: ChatTurn; rule: ChatRule },
  ): Promise<T> {
    const maxAttempts = this.options.maxAttempts ?? 6;
    let current = payload;
    for (let attempt = 1; ; attempt++) {
      try {
        if (spacing) await this.chatTurn(spacing.chat, spacing.rule);
        return await this.gate.run(bulk, async () => {
          try {
            return await send(current);
          } finally {
            if (spacing) spacing.chat.next = Math.max(spacing.chat.next, wallClock() + spacing.rule.interval);
          }
        });
      } catch (err) {
        if (!(err instanceof TelegramError) && !isTransient(err)) throw err;
        this.observe(method, err);
        const migratedTo = err instanceof TelegramError ? err.parameters?.migrate_to_chat_id : undefined;
        if (migratedTo !== undefined && current.chat_id !== undefined) {
          this.options.logger.info({ from: current.chat_id, to: migratedTo }, "group migrated to a supergroup");
          await this.options.onChatMigrated?.(Number(current.chat_id), migratedTo);
          current = { ...current, chat_id: migratedTo };
          continue;
        }
        const retryAfter = err instanceof TelegramError && err.code === 429 ? (err.parameters?.retry_after ?? 1) : undefined;
        if (retryAfter !== undefined) {
          // Telegram's flood control: no call at all before retry_after has passed; then the
          // queue resumes at the configured rate, not in one burst.
          this.gate.pause(wallClock() + retryAfter * 1000);
          this.options.observer?.rateLimited(retryAfter);
          this.options.logger.warn({ method, retryAfter }, "Telegram asked to slow down");
          if (attempt < maxAttempts * 2) continue;
          throw err;
        }
        if (!isTransient(err) || attempt >= maxAttempts) throw err;
        const backoff = (this.options.backoffMs ?? 500) * 2 ** (attempt - 1);
        this.options.logger.warn({ method, attempt, err: err instanceof Error ? err.message : String(err) }, "Bot API call failed, retrying");
        await sleep(backoff * (0.75 + Math.random() / 2));
      }
    }
  }
}
