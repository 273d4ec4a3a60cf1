import Bottleneck from "bottleneck";
import { Telegram, TelegramError } from "telegraf";
import type { Logger } from "../logger.js";

/** How Pantau treats Telegram's limits; one policy per bot token. */
export interface ApiPolicyOptions {
  /** Messages per second to all chats together (Telegram allows about 30). */
  messagesPerSecond: number;
  logger: Logger;
  /** Minimum spacing of messages to one private chat (Telegram: about one per second). */
  chatIntervalMs?: number;
  /** Minimum spacing of messages to one group (Telegram: at most 20 a minute). */
  groupIntervalMs?: number;
  /** Attempts of one call through 5xx answers and network errors before giving up. */
  maxAttempts?: number;
  /** First backoff after a 5xx answer or a network error; doubles on every attempt. */
  backoffMs?: number;
  /** Told when Telegram says a group became a supergroup, so stored chat ids can move. */
  onChatMigrated?: (from: number, to: number) => Promise<void>;
}

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

let installed = false;
function installOnPrototype(): void {
  if (installed) return;
  installed = true;
  const original = Telegram.prototype.callApi;
  Telegram.prototype.callApi = function (this: Telegram, method, payload, extra) {
    const { pantauPolicy: policy, pantauBulk: bulk = false } = policyOptions(this);
    if (!policy || unthrottled.has(method)) return original.call(this, method, payload, extra);
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

class ApiPolicy {
  private readonly global: Bottleneck;
  private readonly chats: Bottleneck.Group;
  private readonly groups: Bottleneck.Group;
  /** No call is made before this instant (set by a 429's retry_after). */
  private pausedUntil = 0;

  constructor(private readonly options: ApiPolicyOptions) {
    // At most 30 calls in flight: bounds what a 429 or a crash can catch mid-air.
    this.global = new Bottleneck({ minTime: 1000 / options.messagesPerSecond, maxConcurrent: 30 });
    // Idle per-chat limiters are dropped after a minute, so a broadcast to thousands of
    // people does not keep thousands of limiters.
    this.chats = new Bottleneck.Group({ maxConcurrent: 1, minTime: options.chatIntervalMs ?? 1000, timeout: 60_000 });
    this.groups = new Bottleneck.Group({ maxConcurrent: 1, minTime: options.groupIntervalMs ?? 3000, timeout: 60_000 });
    for (const group of [this.chats, this.groups]) group.on("created", (limiter) => limiter.chain(this.global));
  }

  async call<T>(method: string, payload: Payload, bulk: boolean, send: (payload: Payload) => Promise<T>): Promise<T> {
    const maxAttempts = this.options.maxAttempts ?? 6;
    let current = payload;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.schedule(method, current, bulk, () => send(current));
      } catch (err) {
        if (!(err instanceof TelegramError) && !isTransient(err)) throw err;
        const migratedTo = err instanceof TelegramError ? err.parameters?.migrate_to_chat_id : undefined;
        if (migratedTo !== undefined && current.chat_id !== undefined) {
          this.options.logger.info({ from: current.chat_id, to: migratedTo }, "group migrated to a supergroup");
          await this.options.onChatMigrated?.(Number(current.chat_id), migratedTo);
          current = { ...current, chat_id: migratedTo };
          continue;
        }
        const retryAfter = err instanceof TelegramError && err.code === 429 ? (err.parameters?.retry_after ?? 1) : undefined;
        if (retryAfter !== undefined) {
          this.pause(retryAfter * 1000);
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

  /**
   * Telegram's flood control: nobody calls again before retry_after has passed. The global
   * limiter starts no job meanwhile (its reservoir is empty), so the queue resumes at the
   * configured rate afterwards instead of in one burst.
   */
  private pause(ms: number): void {
    const until = Date.now() + ms;
    if (until <= this.pausedUntil) return;
    this.pausedUntil = until;
    void this.global.updateSettings({ reservoir: 0 });
    setTimeout(() => {
      if (Date.now() >= this.pausedUntil) void this.global.updateSettings({ reservoir: null });
    }, ms + 5).unref();
  }

  private async schedule<T>(method: string, payload: Payload, bulk: boolean, run: () => Promise<T>): Promise<T> {
    const priority = bulk ? 7 : 3;
    const chatId = payload.chat_id;
    // Groups and channels have negative ids (or a public @username).
    const group = typeof chatId === "string" ? !/^\d+$/.test(chatId) : Number(chatId) < 0;
    const limiter =
      !messageMethods.test(method) || chatId === undefined || chatId === null
        ? this.global
        : (group ? this.groups : this.chats).key(String(chatId));
    // A job the limiter had already lined up when a 429 arrived makes no call: it queues again
    // and waits for the pause to end like the rest, so the queue resumes at the configured rate.
    for (;;) {
      const outcome = await limiter.schedule({ priority }, async () => (Date.now() < this.pausedUntil ? paused : { value: await run() }));
      if (outcome !== paused) return outcome.value;
      await sleep(Math.max(0, this.pausedUntil - Date.now()));
    }
  }
}

const paused = Symbol("paused");
