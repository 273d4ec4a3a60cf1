import type { MiddlewareFn } from "telegraf";
import type { Update } from "telegraf/types";
import { wallClock } from "../clock.js";
import { catalogue, languageFromTelegram } from "../i18n/index.js";
import { findPerson } from "../services/people.js";
import type { BotDeps, PantauContext } from "./context.js";

/** What happens to one update of a person: handled, dropped after one notice, or dropped. */
export type FloodVerdict = "pass" | "notify" | "drop";

export interface FloodLimiterOptions {
  /** Updates one person may send per minute. */
  perMinute: number;
  /** How many may come at once (default: a minute's worth). */
  burst?: number;
  /** People tracked at once; beyond it the longest idle is forgotten (a full bucket again). */
  maxPeople?: number;
}

interface Bucket {
  tokens: number;
  at: number;
  /** A flood episode is on: its notice was sent; it ends when the bucket is full again. */
  flooding: boolean;
}

/**
 * A token bucket per person: `perMinute` updates at once, refilled evenly over a minute. An update
 * without a token is dropped; the first drop of an episode asks for one notice, and the episode ends
 * only once the bucket is full again, so a script flooding for an hour gets one notice, not one
 * every few seconds. No library in the lockfile limits rates; rate-limiter-flexible and grammY's
 * ratelimiter count in fixed windows (twice the limit across a window's edge, all refilled at once)
 * and call their handler on every dropped update. The dashboard's API limits its requests with it
 * too (src/miniapp/routes.ts), answering 429 with `waitMs` as the wait.
 */
export class FloodLimiter {
  private readonly buckets = new Map<number, Bucket>();
  private readonly capacity: number;
  private readonly perMs: number;
  private readonly maxPeople: number;

  constructor(options: FloodLimiterOptions) {
    this.capacity = options.burst ?? options.perMinute;
    this.perMs = options.perMinute / 60_000;
    this.maxPeople = options.maxPeople ?? 10_000;
  }

  /** The verdict on one update of person `key` arriving at `now` (milliseconds). */
  take(key: number, now: number): FloodVerdict {
    const previous = this.buckets.get(key);
    const bucket = previous ?? { tokens: this.capacity, at: now, flooding: false };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + Math.max(0, now - bucket.at) * this.perMs);
    bucket.at = now;
    if (bucket.tokens >= this.capacity) bucket.flooding = false;
    // Most recently seen last: the map's order is then idleness, for forgetting.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    // The longest idle goes (its bucket has most likely refilled anyway).
    if (!previous && this.buckets.size > this.maxPeople) this.buckets.delete(this.buckets.keys().next().value!);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return "pass";
    }
    if (bucket.flooding) return "drop";
    bucket.flooding = true;
    return "notify";
  }

  /**
   * Milliseconds until person `key` has an update (or request) again at `now`: 0 when they have
   * one; asked after a `take` that refused, it is the wait to tell them (an HTTP Retry-After).
   */
  waitMs(key: number, now: number): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return 0;
    const tokens = Math.min(this.capacity, bucket.tokens + Math.max(0, now - bucket.at) * this.perMs);
    return tokens >= 1 ? 0 : Math.ceil((1 - tokens) / this.perMs);
  }

  /** People tracked now (bounded by `maxPeople`). */
  get size(): number {
    return this.buckets.size;
  }
}

/**
 * Commands of one group answered a minute: what Telegram lets a bot post there (20), with a short
 * burst, so a group's answers queue for seconds, never minutes. Button presses are answered by an
 * alert to the person, not by a post, and are left to the person's own limit.
 */
const groupLimit = { perMinute: 20, burst: 5 };

/**
 * The verdicts of one bot: a person sending more than `perMinute` updates a minute gets one
 * notice and the rest is dropped; a group is limited too, silently, to the answers Telegram lets
 * it receive (many people each under their own limit would otherwise queue answers there without
 * bound). Judged as updates arrive, in real time, not on the bot's clock: an update judged when
 * its chat's turn came would be judged at the pace its chat is answered, and never dropped.
 */
export class FloodGuard {
  private readonly people: FloodLimiter;
  private readonly groups = new FloodLimiter(groupLimit);
  private readonly verdicts = new WeakMap<Update, FloodVerdict>();

  constructor(readonly perMinute: number) {
    this.people = new FloodLimiter({ perMinute });
  }

  /** The verdict on `update` arriving at `now` (milliseconds), kept for the middleware. */
  judge(update: Update, now: number): FloodVerdict {
    const verdict = this.verdictAt(update, now);
    this.verdicts.set(update, verdict);
    return verdict;
  }

  /** The verdict given when `update` arrived, if it was judged. */
  verdictOf(update: Update): FloodVerdict | undefined {
    return this.verdicts.get(update);
  }

  private verdictAt(update: Update, now: number): FloodVerdict {
    // A block or unblock is Telegram's notice, not the person writing: never dropped.
    if ("my_chat_member" in update) return "pass";
    const message = "message" in update ? update.message : "edited_message" in update ? update.edited_message : undefined;
    const press = "callback_query" in update ? update.callback_query : undefined;
    const from = message?.from ?? press?.from;
    if (!from) return "pass";
    const chat = message?.chat ?? press?.message?.chat;
    const inGroup = chat?.type === "group" || chat?.type === "supergroup";
    const command = "message" in update && "text" in update.message && update.message.text.startsWith("/");
    const verdict = this.people.take(from.id, now);
    if (verdict === "pass" && inGroup && command && this.groups.take(chat.id, now) !== "pass") return "drop";
    return verdict;
  }
}

/**
 * The first middleware: acts on the flood verdict (taken when the update arrived, see
 * `FloodGuard`; now, for an update handled without the update queue). A dropped update goes no
 * further, before any database work or reply, so a flood cannot grow the bot's queues; the first
 * of an episode gets the polite notice.
 */
export function floodLimit(guard: FloodGuard, deps: Pick<BotDeps, "db" | "logger">): MiddlewareFn<PantauContext> {
  const { db, logger } = deps;
  return async (ctx, next) => {
    const verdict = guard.verdictOf(ctx.update) ?? guard.judge(ctx.update, wallClock());
    if (verdict === "pass") return next();
    // A dropped press is answered without a word, or the person's app shows its spinner.
    if (verdict === "drop") return void (ctx.callbackQuery ? await ctx.answerCbQuery().catch(() => undefined) : undefined);
    const from = ctx.from!;
    logger.warn(
      { update: ctx.update.update_id, chat: ctx.chat?.id, perMinute: guard.perMinute },
      "flood limit reached: updates dropped until the person slows down",
    );
    const person = await findPerson(db, from.id);
    const notice = catalogue(person?.language ?? languageFromTelegram(from.language_code)).flood.notice;
    try {
      if (ctx.callbackQuery) await ctx.answerCbQuery(notice, { show_alert: true });
      else if (ctx.message && ctx.chat) await ctx.reply(notice);
    } catch (err) {
      logger.warn({ err }, "could not send the flood notice");
    }
  };
}
