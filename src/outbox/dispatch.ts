import type { Prisma } from "../db/connection.js";
import { stillPending } from "./cancel.js";
import { claim, groupRows, keepLease, type Claimed } from "./claim.js";
import { composeMessage } from "./compose.js";
import { DeliveryFailure, type DeliveryKind, type OutboxMessage, type OutboxSender } from "./messages.js";
import { finishBroadcasts } from "./progress.js";
import { wallClock as systemWallClock } from "../clock.js";
import { recordBlocked } from "../services/people.js";

export interface DispatchOptions {
  /** The moment of the pass: rows due by then are sent. */
  now: Date;
  send: OutboxSender;
  /**
   * Splits a message between its steps into messages that each fit Telegram's limit (the bot
   * layer measures its own text); each part is sent and marked with its own rows. Default: whole.
   */
  split?: (message: OutboxMessage) => OutboxMessage[];
  /** How long a claim is held before another sender may take the row (default two minutes). */
  leaseMs?: number;
  /** Messages claimed at a time (default 100; see `batchSizeFor`). */
  batchSize?: number;
  /**
   * The sender's rate (TELEGRAM_RATE_LIMIT, default 28): a quarter of a second's worth of
   * broadcast messages waits at the sender at a time, so a cancel stops all but those few.
   */
  messagesPerSecond?: number;
  /** Claims of one row (each claim is an attempt) before it is given up as failed. */
  maxAttempts?: number;
  /** Real time, for leases and backoff (which must not follow a test's simulated clock). */
  wallClock?: () => number;
  /** Called after every batch with the broadcasts it touched, for live delivery reports. */
  onBroadcastProgress?: (broadcastIds: number[]) => Promise<void>;
  /**
   * Claims no new batch once this long (wall clock) has passed, and says `more`: a backlog of
   * thousands then goes out over several passes, with new reminders planned between them and a
   * stop that waits for one batch, not for the whole backlog. Default: until nothing is due.
   */
  budgetMs?: number;
  /** Told how many rows of a kind ended each way (for the metrics; counts only, no ids). */
  onOutcome?: (kind: DeliveryKind, outcome: DeliveryOutcome, rows: number) => void;
  /** Once aborted (the app stopping), claims no new batch and says `more`; the batch in hand is finished. */
  signal?: AbortSignal;
}

/** What became of a row in a dispatch. */
export type DeliveryOutcome = "sent" | "blocked" | "failed" | "retrying" | "cancelled";

export interface DispatchResult {
  sent: number;
  blocked: number;
  failed: number;
  retrying: number;
  /** Not sent: their step was done, their broadcast stopped or their person removed since they were planned. */
  cancelled: number;
  /** The budget ran out: rows may still be due (run again). */
  more: boolean;
}

/**
 * How long a dispatch waits out Telegram's `retry_after`s for one message before it frees the
 * row until then instead (a stop waits for the batch in hand, these waits included).
 */
const longestRetryWaitMs = 30_000;

/**
 * Waits for every person's deliveries, then throws the first failure: one failing to mark its
 * row must not leave the others' sends in flight and unmarked when the error ends the dispatch.
 */
async function everyone(work: Promise<void>[]): Promise<void> {
  const failed = (await Promise.allSettled(work)).find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
}

/** What one dispatch carries through its batches. */
interface Dispatch {
  db: Prisma;
  options: DispatchOptions;
  wallClock: () => number;
  maxAttempts: number;
  /** Broadcast messages handed to the sender and not answered yet. */
  broadcasts: Slots;
  result: DispatchResult;
}

/** One Telegram message and the rows it carries, under the batch's claim. */
interface Part {
  message: OutboxMessage;
  /** The rows behind each of the message's items, in order (a broadcast: one list). */
  itemRows: Claimed[][];
  token: string;
}

/**
 * Sends what is due in the outbox at `now`: claims rows under a lease (broadcasts and nudges
 * first, then the rest, each in the order they fell due, a person's rows of the moment
 * together), merges a person's reminders of one moment into one message, sends through `send`,
 * and marks each row sent, blocked, failed, or free again after a backoff. A part refused with
 * a 429 goes again once its `retry_after` has passed. Steps finished since they were planned,
 * and rows cancelled since, are not sent. Runs until nothing due is left, or `budgetMs` passed.
 */
export async function dispatchOutbox(db: Prisma, options: DispatchOptions): Promise<DispatchResult> {
  const wallClock = options.wallClock ?? systemWallClock;
  const leaseMs = options.leaseMs ?? 120_000;
  const result: DispatchResult = { sent: 0, blocked: 0, failed: 0, retrying: 0, cancelled: 0, more: false };
  const dispatch: Dispatch = {
    db,
    options,
    wallClock,
    maxAttempts: options.maxAttempts ?? 5,
    broadcasts: new Slots(Math.max(1, Math.ceil((options.messagesPerSecond ?? 28) / 4))),
    result,
  };
  const started = wallClock();
  for (;;) {
    if (options.signal?.aborted || (options.budgetMs !== undefined && wallClock() - started >= options.budgetMs)) return { ...result, more: true };
    const rows = await claim(db, options.now, wallClock(), leaseMs, options.batchSize ?? 100);
    if (rows.length === 0) return result;
    const messages = groupRows(rows);
    // A person's messages of one kind go one after the other, in order; people at once.
    const deliver = async (lists: Claimed[][]) => {
      for (const group of lists) await deliverGroup(dispatch, group);
    };
    const escalation = (lists: Claimed[][]) => lists[0]![0]!.kind.startsWith("escalation");
    const lease = keepLease(db, rows, wallClock, leaseMs);
    try {
      // Escalations go after the reminders of the same batch, so that their history counts them.
      await everyone(messages.filter((m) => !escalation(m)).map(deliver));
      await everyone(messages.filter(escalation).map(deliver));
    } finally {
      lease.stop();
    }
    const broadcasts = [...new Set(rows.map((r) => r.broadcastId).filter((id): id is number => id !== null))];
    if (broadcasts.length) {
      await finishBroadcasts(db, broadcasts, options.now);
      await options.onBroadcastProgress?.(broadcasts);
    }
  }
}

async function deliverGroup(dispatch: Dispatch, claimed: Claimed[]): Promise<void> {
  const { db, options } = dispatch;
  const token = claimed[0]!.claimToken!;
  // Steps done since they were planned need no reminder; cancelled broadcasts stay quiet.
  const stale = claimed.filter((r) => (r.milestone && r.milestone.status === "done" && r.kind !== "broadcast") || r.broadcast?.status === "cancelled");
  if (stale.length) {
    await db.delivery.updateMany({ where: { id: { in: ids(stale) }, claimToken: token }, data: { status: "cancelled", claimToken: null } });
    tally(dispatch, stale, "cancelled", stale.length);
  }
  const rows = claimed.filter((r) => !stale.includes(r));
  if (rows.length === 0) return;

  const composed = await composeMessage(db, rows, options.now);
  if (composed.moot.length) {
    await db.delivery.updateMany({ where: { id: { in: ids(composed.moot) }, claimToken: token }, data: { status: "cancelled", claimToken: null } });
    tally(dispatch, composed.moot, "cancelled", composed.moot.length);
  }
  const { message } = composed;
  if (!message) return;
  // An item's rows are found by the item itself: a part made by the split holds the same objects.
  const rowsOf = new Map<object, Claimed[]>(whole(message) ? [] : message.items.map((item, i) => [item, composed.itemRows[i]!]));
  for (const part of options.split ? options.split(message) : [message]) {
    const itemRows = whole(part) ? composed.itemRows : part.items.map((item) => rowsOf.get(item)!);
    const deliver = () => deliverPart(dispatch, { message: part, itemRows, token });
    await (part.type === "broadcast" ? dispatch.broadcasts.with(deliver) : deliver());
  }
}

/**
 * Sends one Telegram message of a delivery group and marks its rows sent, blocked, failed or
 * free again. Right before it goes (and before every retry) its rows are read again: those
 * cancelled meanwhile are left out, and a message left with none is not sent.
 */
async function deliverPart(dispatch: Dispatch, part: Part): Promise<void> {
  for (let waited = 0; ;) {
    const rows = part.itemRows.flat();
    const live = await stillPending(dispatch.db, ids(rows), part.token);
    if (live.size < rows.length) {
      // Whoever cancelled them set their status; here they are only counted as not sent.
      const gone = rows.filter((r) => !live.has(r.id));
      tally(dispatch, gone, "cancelled", gone.length);
      if (live.size === 0) return;
      part = narrow(part, live);
    }
    const failure = await sendPart(dispatch, part);
    if (!failure) return;
    // Telegram asked to wait (429): sent again once that time has passed, within this dispatch.
    const wait = failure.retryAfterMs;
    if (wait !== undefined && waited + wait <= longestRetryWaitMs) {
      await new Promise((resolve) => setTimeout(resolve, wait));
      waited += wait;
      continue;
    }
    await markFailure(dispatch, part, failure);
    return;
  }
}

/** A message of one row, which goes whole or not at all (not a list of steps). */
function whole(message: OutboxMessage): message is Extract<OutboxMessage, { type: "broadcast" | "digest" }> {
  return message.type === "broadcast" || message.type === "digest";
}

/** The part without its rows that are no longer pending (a step message without the items none of whose rows are left). */
function narrow(part: Part, live: Set<number>): Part {
  const keep = part.itemRows.map((rows) => rows.some((r) => live.has(r.id)));
  const message = whole(part.message) ? part.message : { ...part.message, items: part.message.items.filter((_, i) => keep[i]) };
  const itemRows = part.itemRows.filter((_, i) => keep[i]).map((rows) => rows.filter((r) => live.has(r.id)));
  return { ...part, message: message as OutboxMessage, itemRows };
}

/** Sends a part and marks its rows sent; returns why it was not sent, if it was not. */
async function sendPart(dispatch: Dispatch, { message, itemRows, token }: Part): Promise<DeliveryFailure | null> {
  const { db, options } = dispatch;
  const rows = itemRows.flat();
  let landed: { chatId: number; messageId: number };
  try {
    landed = await options.send(message);
  } catch (err) {
    return err instanceof DeliveryFailure ? err : new DeliveryFailure("retry", err instanceof Error ? err.message : String(err));
  }
  // Sent is what happened, even to a row cancelled while its message was on its way: the
  // report counts it as reached, and a reply to it still finds its step.
  const marked = await db.delivery.updateMany({
    where: { id: { in: ids(rows) }, claimToken: token },
    data: {
      status: "sent",
      chatId: BigInt(landed.chatId),
      messageId: landed.messageId,
      sentAt: options.now,
      claimToken: null,
      lockedUntil: null,
      error: null,
    },
  });
  tally(dispatch, rows, "sent", marked.count);
  return null;
}

/**
 * Marks the rows of a part Telegram did not take: blocked (the person is marked too), failed
 * for good, or free again after a backoff (Telegram's `retry_after` when it gave one). Only
 * rows still pending: one cancelled while its message was on its way stays cancelled.
 */
async function markFailure(dispatch: Dispatch, { message, itemRows, token }: Part, failure: DeliveryFailure): Promise<void> {
  const { db, options } = dispatch;
  const rows = itemRows.flat();
  const where = { id: { in: ids(rows) }, claimToken: token, status: "pending" };
  const attempts = rows[0]!.attempts;
  if (failure.reason === "blocked") {
    // The person first: their row, then (the plan-version triggers) their units' and programs',
    // then the deliveries, the order a seat removal and a snooze take them in, so none deadlocks.
    const marked = await db.$transaction(async (tx) => {
      await recordBlocked(tx, message.to.personId, true, options.now, { by: "send", chat: null });
      return tx.delivery.updateMany({ where, data: { status: "blocked", error: failure.message, claimToken: null, lockedUntil: null } });
    });
    tally(dispatch, rows, "blocked", marked.count);
  } else if (failure.reason === "failed" || attempts >= dispatch.maxAttempts) {
    const marked = await db.delivery.updateMany({ where, data: { status: "failed", error: failure.message, claimToken: null, lockedUntil: null } });
    tally(dispatch, rows, "failed", marked.count);
  } else {
    // A passing failure: free again after a backoff that grows with every attempt.
    const backoffMs = failure.retryAfterMs ?? Math.min(30 * 60_000, 60_000 * 2 ** (attempts - 1));
    const marked = await db.delivery.updateMany({
      where,
      data: { error: failure.message, claimToken: null, lockedUntil: new Date(dispatch.wallClock() + backoffMs) },
    });
    tally(dispatch, rows, "retrying", marked.count);
  }
}

const ids = (rows: Claimed[]) => rows.map((r) => r.id);

/**
 * Counts `count` of `rows` as ended one way, in the result and by kind for `onOutcome`. The
 * count can fall short of the rows (one cancelled while its message was on its way): the kinds
 * are then taken from the first rows, a rounding the metrics can live with.
 */
function tally({ result, options }: Dispatch, rows: Claimed[], outcome: DeliveryOutcome, count: number): void {
  result[outcome] += count;
  if (!options.onOutcome || count === 0) return;
  const byKind = new Map<DeliveryKind, number>();
  for (const row of rows.slice(0, count)) byKind.set(row.kind as DeliveryKind, (byKind.get(row.kind as DeliveryKind) ?? 0) + 1);
  for (const [kind, n] of byKind) options.onOutcome(kind, outcome, n);
}

/** At most `size` calls at once; the others wait their turn in order. */
class Slots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async with<T>(run: () => Promise<T>): Promise<T> {
    if (this.active < this.size) this.active++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await run();
    } finally {
      // The slot passes straight to the next in line.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
