import { randomUUID } from "node:crypto";
import type { Prisma } from "../db/connection.js";
import type { DeliveryKind } from "./messages.js";

/**
 * Rows to claim at a time for a sender going at most `messagesPerSecond`: about a second's
 * worth, at least 100. Between two batches the sender claims and counts; with a second's
 * worth in hand that pause stays a small part of the time even at a thousand a second.
 */
export function batchSizeFor(messagesPerSecond: number): number {
  return Math.max(100, Math.ceil(messagesPerSecond));
}

/** Steps listed in one message at most, so that it stays well within Telegram's length limit. */
export const maxStepsPerMessage = 10;

/** A person's due rows claimed at once at most: their escalations of a day are one message up to this many steps. */
export const maxRowsOfOne = 200;

const stepKinds = new Set<string>(["reminder", "overdue", "nudge"]);

/**
 * Which message a row goes out in: a person's steps of the moment (at most ten a message), their
 * escalations of a level (a coordinator's summary of units nobody is reminded in among them) in
 * one message split only for length, or its own.
 */
function messageKey(row: { id: number; personId: number; kind: string }): string {
  if (stepKinds.has(row.kind)) return `steps:${row.personId}`;
  if (row.kind === "escalation_head") return `head:${row.personId}`;
  return row.kind.startsWith("escalation") ? `coordinator:${row.personId}` : `row:${row.id}`;
}

/**
 * Rows as messages: per recipient and kind of message, lists of rows that each go out as one
 * message (a reminder lists at most `maxStepsPerMessage` steps), in order.
 */
export function groupRows<T extends { id: number; personId: number; kind: string }>(rows: T[]): T[][][] {
  const groups = new Map<string, T[][]>();
  for (const row of rows) {
    const key = messageKey(row);
    const lists = groups.get(key) ?? [[]];
    if (stepKinds.has(row.kind) && lists.at(-1)!.length === maxStepsPerMessage) lists.push([]);
    lists.at(-1)!.push(row);
    groups.set(key, lists);
  }
  return [...groups.values()];
}

const claimInclude = {
  // A person's seats: a step's message goes only to someone still seated for it (see compose.ts).
  person: { include: { memberships: true } },
  broadcast: { include: { createdBy: true } },
  milestone: { include: { initiative: { include: { unit: { include: { region: true } }, program: true } } } },
} as const;

/** Messages a person asked for just now (with /siaran or /ingatkan), claimed before routine ones. */
const askedFor: DeliveryKind[] = ["broadcast", "nudge"];

type Candidate = { id: number; personId: number; kind: string };

/**
 * Claims about `limit` messages' worth of due rows under a new lease: what someone asked for
 * first, then the rest, each in the order it fell due; every other row due for the same
 * people's messages comes along, so that a person's reminders of one moment stay one message
 * however many people are due. Returns the claimed rows, by id.
 */
export async function claim(db: Prisma, now: Date, wall: number, leaseMs: number, limit: number) {
  const free = { status: "pending", OR: [{ lockedUntil: null }, { lockedUntil: { lt: new Date(wall) } }] };
  const due = { ...free, dueAt: { lte: now } };
  const pick = (kind: { in: DeliveryKind[] } | { notIn: DeliveryKind[] }, take: number) =>
    db.delivery.findMany({ where: { ...due, kind }, select: { id: true, personId: true, kind: true }, orderBy: [{ dueAt: "asc" }, { id: "asc" }], take });
  // What someone has just asked for goes first: a coordinator watching a broadcast's delivery
  // report does not wait behind a morning's reminders (thousands at 28 a second).
  const asked = await pick({ in: askedFor }, limit);
  const candidates = asked.length < limit ? [...asked, ...(await pick({ notIn: askedFor }, limit - asked.length))] : asked;
  if (candidates.length === 0) return [];
  const ids = await wholeMessages(db, due, candidates, limit);
  const token = randomUUID();
  // The conditions are checked again by the UPDATE itself, so of two senders racing for a
  // row only one gets it (PostgreSQL re-evaluates them on the row the other one committed).
  const claimed = [];
  for (const chunk of chunks(ids)) {
    await db.delivery.updateMany({
      where: { ...free, id: { in: chunk } },
      data: { claimToken: token, lockedUntil: new Date(wall + leaseMs), attempts: { increment: 1 } },
    });
    // Sorted here and read in chunks: Prisma 7 on SQLite refuses a long list of ids with these
    // relations and an orderBy ("query parameter limit exceeded").
    claimed.push(...(await db.delivery.findMany({ where: { id: { in: chunk }, claimToken: token }, include: claimInclude })));
  }
  return claimed.sort((a, b) => a.id - b.id);
}

/** Prisma binds at most 999 values in one SQLite statement. */
const idChunk = 500;

/** A long list of ids in statements of a few hundred. */
export function chunks(ids: number[]): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < ids.length; i += idChunk) out.push(ids.slice(i, i + idChunk));
  return out;
}

/**
 * The candidates' ids with every other due row of the same people's merged messages, people
 * taken in the candidates' order while their messages stay within `limit` (the first always), at
 * most `maxRowsOfOne` of each.
 */
async function wholeMessages(db: Prisma, due: object, candidates: Candidate[], limit: number): Promise<number[]> {
  const people = [...new Set(candidates.filter((c) => c.kind !== "broadcast").map((c) => c.personId))];
  const theirs: Candidate[] = [];
  for (const chunk of chunks(people)) {
    theirs.push(
      ...(await db.delivery.findMany({
        where: { ...due, kind: { not: "broadcast" }, personId: { in: chunk } },
        select: { id: true, personId: true, kind: true },
      })),
    );
  }
  const rows = new Map([...candidates, ...theirs].map((r) => [r.id, r]));
  const owner = (r: Candidate) => (r.kind === "broadcast" ? `row:${r.id}` : `person:${r.personId}`);
  const byOwner = new Map<string, Candidate[]>(candidates.map((c) => [owner(c), []]));
  for (const row of [...rows.values()].sort((a, b) => a.id - b.id)) byOwner.get(owner(row))?.push(row);
  const ids: number[] = [];
  let taken = 0;
  for (const [owner, owned] of byOwner) {
    const now = wholeOf(owned, new Set(candidates.filter((c) => owner === `person:${c.personId}` || owner === `row:${c.id}`).map(messageKey)));
    if (taken > 0 && taken + now.length > limit) break;
    taken += now.length;
    ids.push(...now.map((r) => r.id));
  }
  return ids;
}

/**
 * One person's rows to claim now: whole messages (their steps of the moment, an escalation
 * level's), those of the candidates first, up to `maxRowsOfOne`. Someone owed thousands (a
 * province's coordinator after a silent month) gets the rest in the next batches: claimed and
 * composed at once, their rows took hundreds of megabytes. A message too big alone is cut, a
 * list of steps at a multiple of `maxStepsPerMessage`.
 */
function wholeOf(owned: Candidate[], candidateMessages: Set<string>): Candidate[] {
  const messages = new Map<string, Candidate[]>();
  for (const row of owned) {
    const key = messageKey(row);
    const rows = messages.get(key);
    if (rows) rows.push(row);
    else messages.set(key, [row]);
  }
  const ordered = [...messages].sort(([a], [b]) => Number(candidateMessages.has(b)) - Number(candidateMessages.has(a)));
  const out: Candidate[] = [];
  for (const [key, rows] of ordered) {
    const room = maxRowsOfOne - out.length;
    if (rows.length <= room) out.push(...rows);
    else if (out.length === 0) out.push(...rows.slice(0, key.startsWith("steps:") ? room - (room % maxStepsPerMessage) : room));
    else break;
  }
  return out;
}

export type Claimed = Awaited<ReturnType<typeof claim>>[number];

/**
 * Holds a batch's claim while its messages wait for their turn at Telegram's rate (seconds
 * normally, longer when Telegram asks to slow down): the rows still pending under the claim get
 * a new lease every third of it, so no other sender takes them meanwhile.
 */
export function keepLease(db: Prisma, rows: Claimed[], wallClock: () => number, leaseMs: number): { stop(): void } {
  const token = rows[0]!.claimToken;
  const timer = setInterval(() => {
    for (const chunk of chunks(rows.map((r) => r.id))) {
      const where = { id: { in: chunk }, claimToken: token, status: "pending" };
      db.delivery.updateMany({ where, data: { lockedUntil: new Date(wallClock() + leaseMs) } }).catch(() => undefined);
    }
  }, leaseMs / 3);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
