import { randomUUID } from "node:crypto";
import { wallClock as systemWallClock } from "../clock.js";
import type { Prisma } from "../db/connection.js";
import { daysBetween } from "../domain/dates.js";
import { personName } from "../domain/text.js";
import { toView, type MilestoneView } from "./milestones.js";
import { unitMembersFilter } from "./scope.js";

// The outbox: every outgoing message that matters (reminders, nudges, escalations, broadcast
// parts) is first a Delivery row with a unique key, then claimed by one sender under a lease,
// sent, and marked. Delivery is at least once: a sender that dies after Telegram accepted a
// message and before the row was marked leaves the row to be taken again when its lease ends,
// so the only duplicates are the messages in flight at that moment (and a send Telegram
// accepted but answered with a network error or a 5xx, which is retried).

export type DeliveryKind = "reminder" | "overdue" | "nudge" | "escalation_head" | "escalation_coord" | "broadcast";

/** A message to be sent once: `key` makes it so, whoever plans it and however often. */
export interface NewDelivery {
  key: string;
  kind: DeliveryKind;
  personId: number;
  milestoneId?: number;
  broadcastId?: number;
  /** Not sent before this instant. */
  dueAt: Date;
}

/** Who a message goes to. */
export interface Recipient {
  personId: number;
  telegramId: number;
  language: string;
  name: string;
}

/** One step in a reminder or an escalation, as it stands when the message is sent. */
export interface StepItem {
  kind: DeliveryKind;
  milestone: MilestoneView;
  /** Days until the due date in the step's region (negative when late). */
  daysLeft: number;
}

/** What an escalation tells about a step: how often the unit was reminded, and who they are. */
export interface EscalationItem extends StepItem {
  remindersSent: number;
  lastReminderAt: Date | null;
  focalPoints: string[];
}

/** A message for the bot layer to render in the recipient's language and send. */
export type OutboxMessage =
  | { type: "reminder"; to: Recipient; items: StepItem[] }
  | { type: "escalation"; to: Recipient; level: "head" | "coordinator"; items: EscalationItem[] }
  | {
      type: "broadcast";
      to: Recipient;
      broadcast: { id: number; text: string; photoFileId: string | null; documentId: string | null; senderName: string };
    };

/** Why a message could not be delivered, as the sender tells it. */
export class DeliveryFailure extends Error {
  constructor(
    /** blocked: the person blocked the bot (403); failed: Telegram refused it for good; retry: a passing failure. */
    readonly reason: "blocked" | "failed" | "retry",
    message: string,
  ) {
    super(message);
    this.name = "DeliveryFailure";
  }
}

/** Sends one message and says where it landed, so that a reply to it can be matched. */
export type OutboxSender = (message: OutboxMessage) => Promise<{ chatId: number; messageId: number }>;

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
  /** Rows claimed at a time (default 100; see `batchSizeFor`). */
  batchSize?: number;
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
}

export interface DispatchResult {
  sent: number;
  blocked: number;
  failed: number;
  retrying: number;
  cancelled: number;
  /** The budget ran out: rows may still be due (run again). */
  more: boolean;
}

/**
 * Rows to claim at a time for a sender going at most `messagesPerSecond`: about a second's
 * worth, at least 100. Between two batches the sender claims and counts; with a second's
 * worth in hand that pause stays a small part of the time even at a thousand a second.
 */
export function batchSizeFor(messagesPerSecond: number): number {
  return Math.max(100, Math.ceil(messagesPerSecond));
}

const keyChunk = 500;

/**
 * Puts messages into the outbox; rows whose key is already there (planned by an earlier pass,
 * another process or another instance) are left alone. Returns how many were new.
 */
export async function enqueue(db: Prisma, rows: NewDelivery[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += keyChunk) {
    const chunk = rows.slice(i, i + keyChunk);
    const existing = await db.delivery.findMany({ where: { key: { in: chunk.map((r) => r.key) } }, select: { key: true } });
    const known = new Set(existing.map((r) => r.key));
    const fresh = chunk.filter((r) => !known.has(r.key));
    if (fresh.length === 0) continue;
    try {
      inserted += (await db.delivery.createMany({ data: fresh })).count;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // Someone else planned some of them meanwhile: insert one by one, skipping theirs.
      for (const row of fresh) {
        try {
          await db.delivery.create({ data: row });
          inserted += 1;
        } catch (rowErr) {
          if (!isUniqueViolation(rowErr)) throw rowErr;
        }
      }
    }
  }
  return inserted;
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === "P2002";
}

const claimInclude = {
  person: true,
  broadcast: { include: { createdBy: true } },
  milestone: { include: { initiative: { include: { unit: { include: { region: true } }, program: true } } } },
} as const;

/** Messages a person asked for just now (with /siaran or /ingatkan), claimed before routine ones. */
const askedFor: DeliveryKind[] = ["broadcast", "nudge"];

async function claim(db: Prisma, now: Date, wall: number, leaseMs: number, limit: number) {
  const free = { status: "pending", OR: [{ lockedUntil: null }, { lockedUntil: { lt: new Date(wall) } }] };
  const due = (kind: { in: DeliveryKind[] } | { notIn: DeliveryKind[] }, take: number) =>
    db.delivery.findMany({ where: { ...free, dueAt: { lte: now }, kind }, select: { id: true }, orderBy: [{ dueAt: "asc" }, { id: "asc" }], take });
  // What someone has just asked for goes first: a coordinator watching a broadcast's delivery
  // report does not wait behind a morning's reminders (thousands at 28 a second).
  const asked = await due({ in: askedFor }, limit);
  const candidates = asked.length < limit ? [...asked, ...(await due({ notIn: askedFor }, limit - asked.length))] : asked;
  if (candidates.length === 0) return [];
  const token = randomUUID();
  // The conditions are checked again by the UPDATE itself, so of two senders racing for a
  // row only one gets it (PostgreSQL re-evaluates them on the row the other one committed).
  await db.delivery.updateMany({
    where: { ...free, id: { in: candidates.map((c) => c.id) } },
    data: { claimToken: token, lockedUntil: new Date(wall + leaseMs), attempts: { increment: 1 } },
  });
  // Sorted here: with an orderBy, Prisma 7 on SQLite refuses a list of a thousand ids with these
  // relations ("query parameter limit exceeded"), which a sender at 1,000 messages a second claims.
  const claimed = await db.delivery.findMany({ where: { id: { in: candidates.map((c) => c.id) }, claimToken: token }, include: claimInclude });
  return claimed.sort((a, b) => a.id - b.id);
}

type Claimed = Awaited<ReturnType<typeof claim>>[number];

function recipient(row: Claimed): Recipient {
  return { personId: row.person.id, telegramId: Number(row.person.telegramId), language: row.person.language, name: row.person.firstName ?? "" };
}

const stepKinds = new Set<string>(["reminder", "overdue", "nudge"]);

/** Steps listed in one message at most, so that it stays well within Telegram's length limit. */
const maxStepsPerMessage = 10;

/** Rows that go out as one message: a person's reminders of one moment, or their escalations. */
function groupRows(rows: Claimed[]): Claimed[][] {
  const groups = new Map<string, Claimed[][]>();
  for (const row of rows) {
    const key = stepKinds.has(row.kind) ? `steps:${row.personId}` : row.kind.startsWith("escalation") ? `${row.kind}:${row.personId}` : `row:${row.id}`;
    const lists = groups.get(key) ?? [[]];
    if (lists.at(-1)!.length === maxStepsPerMessage) lists.push([]);
    lists.at(-1)!.push(row);
    groups.set(key, lists);
  }
  return [...groups.values()].flat();
}

async function escalationItems(db: Prisma, rows: Claimed[], now: Date): Promise<EscalationItem[]> {
  const items: EscalationItem[] = [];
  for (const row of rows) {
    const milestone = toView(row.milestone!, now);
    const [reminders, last, pics] = await Promise.all([
      db.delivery.count({ where: { milestoneId: milestone.id, kind: { in: ["reminder", "overdue", "nudge"] }, status: "sent" } }),
      db.delivery.findFirst({
        where: { milestoneId: milestone.id, kind: { in: ["reminder", "overdue", "nudge"] }, status: "sent" },
        orderBy: { sentAt: "desc" },
      }),
      db.membership.findMany({ where: unitMembersFilter(["pic"], [milestone.unit.id], [milestone.program.id]), include: { person: true } }),
    ]);
    items.push({
      kind: row.kind as DeliveryKind,
      milestone,
      daysLeft: daysBetween(milestone.today, milestone.dueDate),
      remindersSent: reminders,
      lastReminderAt: last?.sentAt ?? null,
      focalPoints: pics.map((p) => personName(p.person) ?? `@${p.person.telegramId}`),
    });
  }
  return items;
}

/**
 * Sends what is due in the outbox at `now`: claims rows under a lease (broadcasts and nudges
 * first, then the rest, each in the order they fell due), merges a person's reminders of one
 * moment into one message, sends through `send`, and marks each row sent, blocked, failed, or
 * free again after a backoff. Steps finished since they were planned, and rows of cancelled
 * broadcasts, are not sent. Runs until nothing due is left, or until `budgetMs` has passed.
 */
export async function dispatchOutbox(db: Prisma, options: DispatchOptions): Promise<DispatchResult> {
  const wallClock = options.wallClock ?? systemWallClock;
  const leaseMs = options.leaseMs ?? 120_000;
  const maxAttempts = options.maxAttempts ?? 5;
  const result: DispatchResult = { sent: 0, blocked: 0, failed: 0, retrying: 0, cancelled: 0, more: false };
  const started = wallClock();
  for (;;) {
    if (options.budgetMs !== undefined && wallClock() - started >= options.budgetMs) return { ...result, more: true };
    const rows = await claim(db, options.now, wallClock(), leaseMs, options.batchSize ?? 100);
    if (rows.length === 0) return result;
    // Escalations go after the reminders of the same batch, so that their history counts them.
    const groups = groupRows(rows);
    const deliver = (group: Claimed[]) => deliverGroup(db, group, options, { wallClock, maxAttempts }, result);
    const lease = keepLease(db, rows, wallClock, leaseMs);
    try {
      await Promise.all(groups.filter((g) => !g[0]!.kind.startsWith("escalation")).map(deliver));
      await Promise.all(groups.filter((g) => g[0]!.kind.startsWith("escalation")).map(deliver));
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

/**
 * Holds a batch's claim while its messages wait for their turn at Telegram's rate (seconds
 * normally, longer when Telegram asks to slow down): the rows still pending under the claim get
 * a new lease every third of it, so no other sender takes them meanwhile.
 */
function keepLease(db: Prisma, rows: Claimed[], wallClock: () => number, leaseMs: number): { stop(): void } {
  const where = { id: { in: rows.map((r) => r.id) }, claimToken: rows[0]!.claimToken, status: "pending" };
  const timer = setInterval(() => {
    db.delivery.updateMany({ where, data: { lockedUntil: new Date(wallClock() + leaseMs) } }).catch(() => undefined);
  }, leaseMs / 3);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

async function deliverGroup(
  db: Prisma,
  claimed: Claimed[],
  options: DispatchOptions,
  limits: { wallClock: () => number; maxAttempts: number },
  result: DispatchResult,
): Promise<void> {
  const token = claimed[0]!.claimToken!;
  // Steps done since they were planned need no reminder; cancelled broadcasts stay quiet.
  const stale = claimed.filter((r) => (r.milestone && r.milestone.status === "done" && r.kind !== "broadcast") || r.broadcast?.status === "cancelled");
  if (stale.length) {
    await db.delivery.updateMany({ where: { id: { in: stale.map((r) => r.id) }, claimToken: token }, data: { status: "cancelled", claimToken: null } });
    result.cancelled += stale.length;
  }
  const rows = claimed.filter((r) => !stale.includes(r));
  if (rows.length === 0) return;

  const first = rows[0]!;
  const to = recipient(first);
  let message: OutboxMessage;
  if (first.kind === "broadcast") {
    const b = first.broadcast!;
    message = {
      type: "broadcast",
      to,
      broadcast: { id: b.id, text: b.text, photoFileId: b.photoFileId, documentId: b.documentId, senderName: b.createdBy.firstName ?? "" },
    };
  } else if (first.kind.startsWith("escalation")) {
    message = { type: "escalation", to, level: first.kind === "escalation_head" ? "head" : "coordinator", items: await escalationItems(db, rows, options.now) };
  } else {
    message = {
      type: "reminder",
      to,
      items: rows.map((r) => {
        const milestone = toView(r.milestone!, options.now);
        return { kind: r.kind as DeliveryKind, milestone, daysLeft: daysBetween(milestone.today, milestone.dueDate) };
      }),
    };
  }

  // A step message's items were made from its rows in order; a broadcast is one row.
  const rowOf = new Map<object, Claimed>(message.type === "broadcast" ? [] : message.items.map((item, i) => [item, rows[i]!]));
  for (const part of options.split ? options.split(message) : [message]) {
    const partRows = part.type === "broadcast" ? rows : part.items.map((item) => rowOf.get(item)!);
    await deliverPart(db, part, partRows, token, options, limits, result);
  }
}

/** Sends one Telegram message of a delivery group and marks its rows sent, blocked, failed or free again. */
async function deliverPart(
  db: Prisma,
  message: OutboxMessage,
  rows: Claimed[],
  token: string,
  options: DispatchOptions,
  limits: { wallClock: () => number; maxAttempts: number },
  result: DispatchResult,
): Promise<void> {
  const first = rows[0]!;
  const to = message.to;
  const claimed = { id: { in: rows.map((r) => r.id) }, claimToken: token };
  // A failure marks only rows still pending: one cancelled while its message was on its way (a
  // removal, a stopped broadcast) stays cancelled, and is counted by whoever cancelled it.
  const where = { ...claimed, status: "pending" };
  try {
    const landed = await options.send(message);
    // Sent is what happened, even to a row cancelled while its message was on its way: the
    // report counts it as reached, and a reply to it still finds its step.
    const marked = await db.delivery.updateMany({
      where: claimed,
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
    result.sent += marked.count;
  } catch (err) {
    const failure = err instanceof DeliveryFailure ? err : new DeliveryFailure("retry", err instanceof Error ? err.message : String(err));
    if (failure.reason === "blocked") {
      const [marked] = await db.$transaction([
        db.delivery.updateMany({ where, data: { status: "blocked", error: failure.message, claimToken: null, lockedUntil: null } }),
        db.person.update({ where: { id: to.personId }, data: { blockedAt: options.now } }),
      ]);
      result.blocked += marked.count;
    } else if (failure.reason === "failed" || first.attempts >= limits.maxAttempts) {
      const marked = await db.delivery.updateMany({ where, data: { status: "failed", error: failure.message, claimToken: null, lockedUntil: null } });
      result.failed += marked.count;
    } else {
      // A passing failure: free again after a backoff that grows with every attempt.
      const backoffMs = Math.min(30 * 60_000, 60_000 * 2 ** (first.attempts - 1));
      const marked = await db.delivery.updateMany({
        where,
        data: { error: failure.message, claimToken: null, lockedUntil: new Date(limits.wallClock() + backoffMs) },
      });
      result.retrying += marked.count;
    }
  }
}

/** A broadcast with nothing left pending is done. */
async function finishBroadcasts(db: Prisma, ids: number[], now: Date): Promise<void> {
  for (const id of ids) {
    const pending = await db.delivery.count({ where: { broadcastId: id, status: "pending" } });
    if (pending === 0) await db.broadcast.updateMany({ where: { id, status: "sending" }, data: { status: "done", finishedAt: now } });
  }
}

/** A group became a supergroup: messages stored under its old id now live under the new one. */
export async function moveChat(db: Prisma, from: number, to: number): Promise<void> {
  await db.$transaction([
    db.delivery.updateMany({ where: { chatId: BigInt(from) }, data: { chatId: BigInt(to) } }),
    db.broadcast.updateMany({ where: { reportChatId: BigInt(from) }, data: { reportChatId: BigInt(to) } }),
    db.evidence.updateMany({ where: { chatId: BigInt(from) }, data: { chatId: BigInt(to) } }),
  ]);
}
