import type { Prisma } from "../db/connection.js";
import { localDate, type CalendarDate } from "../domain/dates.js";
import { maxSnoozes, nextSendMoment, snoozeVerdict, type SnoozeRules } from "../domain/snooze-plan.js";
import { cancelPending, isUniqueViolation, type NewDelivery } from "../outbox/index.js";
import { audit, type AuditActor } from "./audit.js";
import { stepTarget, type MilestoneView } from "./milestones.js";
import type { PressedDelivery } from "./one-tap.js";
import { takePeople, type Person } from "./people.js";
import { programDaysOff } from "./program-holidays.js";
import { rulesOf } from "./program-rules.js";
import { everyoneAwayUntil, unitPresence } from "./leave.js";

// "⏰ Besok" (remind me tomorrow): the step's reminder comes to the person again at the program's
// next send hour, as an outbox row of its own (`snooze:<step>:<person>:<local date>`, kind
// reminder or overdue), with the outbox's guarantees. A snooze, pending or sent, stands for the
// step's regular reminders to that person due no later than it: they are held back (put in
// cancelled), so "tomorrow" is not today, and tomorrow's is one reminder, not two. Those waiting
// in the outbox when it is made are held back with it, those a pass plans after by the pass
// (`holdBack`); both take the person first, so whichever commits first, the other sees it. Undo
// cancels the snooze while it is pending and releases what it held back. Data only.

const keyPrefix = "snooze:";
/** A snooze cancelled by its undo: it no longer counts towards `maxSnoozes`, and may be made again. */
const undoneReason = "snooze undone";
/** Why a regular reminder was put in cancelled: snooze `id` stands for it (released by the snooze's undo). */
const heldBackReason = (snoozeId: number) => `held back by snooze ${snoozeId}`;
/** A snooze replaced by a later press: what it held back is the later one's to release. */
const movedReason = (snoozeId: number) => `moved to snooze ${snoozeId}`;
const movedTo = (error: string | null) => {
  const to = /^moved to snooze (\d+)$/.exec(error ?? "")?.[1];
  return to === undefined ? null : Number(to);
};

/** The keys of one person's snoozes of one step start with this. */
const keysOf = (milestoneId: number, personId: number) => `${keyPrefix}${milestoneId}:${personId}:`;

/** The step's regular reminders to the person (not snoozes, not nudges) due no later than `until`: what a snooze due then stands for. */
const regularUntil = (milestoneId: number, personId: number, until: Date) => ({
  milestoneId,
  personId,
  kind: { in: ["reminder", "overdue"] },
  NOT: { key: { startsWith: keyPrefix } },
  dueAt: { lte: until },
});

export type SnoozeResult =
  | {
      ok: true;
      snoozeId: number;
      /** False when a snooze to that moment was already there (a double tap): nothing new was made. */
      fresh: boolean;
      date: CalendarDate;
      hour: number;
      timezone: string;
      /** Snoozes of the step by the person, this one included, of `max`. */
      count: number;
      max: number;
    }
  | {
      ok: false;
      reason: "escalation";
      at: Date;
      timezone: string;
      passed: boolean;
      /** When the step's escalation reached a head of the unit; null when none was told (yet). */
      told: Date | null;
      /** Every head of the unit is away: the first one's last day away (they are told when back). */
      headsAwayUntil: CalendarDate | null;
    }
  | { ok: false; reason: "limit"; max: number };

/**
 * Snoozes the step of a reminder the person pressed "⏰ Besok" under (checked by
 * `pressedReminder`): a reminder at the next send moment (see `snoozeVerdict`), made once
 * however often the button is pressed, audited in the same transaction. Refused at
 * `maxSnoozes` and when the step's escalation to the head would come first.
 */
export async function snoozeReminder(
  db: Prisma,
  person: Person,
  pressed: { delivery: PressedDelivery; step: MilestoneView },
  now: Date,
  actor: AuditActor,
): Promise<SnoozeResult> {
  const { step } = pressed;
  const timezone = step.region.timezone;
  const program = await db.program.findUniqueOrThrow({ where: { id: step.program.id } });
  const rules: SnoozeRules = { ...rulesOf(program), daysOff: (await programDaysOff(db))(program.id, step.region.id) };
  const earlier = await db.delivery.findMany({
    where: { key: { startsWith: keysOf(step.id, person.id) } },
    select: { id: true, key: true, status: true, error: true },
  });
  const counted = earlier.filter((r) => !(r.status === "cancelled" && r.error === undoneReason));
  const next = nextSendMoment(now, timezone, rules);
  const row: NewDelivery = { key: `${keysOf(step.id, person.id)}${next.date}`, kind: "reminder", personId: person.id, milestoneId: step.id, dueAt: next.at };
  const same = earlier.find((r) => r.key === row.key);
  const count = counted.length + (same && counted.includes(same) ? 0 : 1);
  const answer = (snoozeId: number, fresh: boolean): SnoozeResult => ({
    ok: true,
    snoozeId,
    fresh,
    date: next.date,
    hour: next.hour,
    timezone,
    count,
    max: maxSnoozes,
  });
  // A second press for the same moment (a double tap) finds the first one's snooze.
  if (same?.status === "pending") return answer(same.id, false);
  // The escalation day counts the days the unit was away, as the reminder pass does.
  const today = localDate(now, timezone);
  const presence = await unitPresence(db, step.unit.id, timezone, today, step.dueDate);
  const here = presence.of(step.program.id);
  const verdict = snoozeVerdict(step, counted.length, rules, timezone, now, here.absent ?? undefined);
  if (!verdict.ok) {
    if (verdict.reason === "limit") return verdict;
    const passed = verdict.at <= now;
    const told = passed
      ? await db.delivery.findFirst({
          where: { kind: "escalation_head", milestoneId: step.id, status: { in: ["pending", "sent"] } },
          select: { dueAt: true, sentAt: true },
          orderBy: { id: "asc" },
        })
      : null;
    return {
      ok: false,
      reason: "escalation",
      at: verdict.at,
      timezone,
      passed,
      told: told ? (told.sentAt ?? told.dueAt) : null,
      headsAwayUntil:
        here.heads.length === 0
          ? everyoneAwayUntil(
              here.seatedHeads.map((h) => ({ leaves: presence.leaves.get(h.id) ?? [] })),
              today,
            )
          : null,
    };
  }
  row.kind = verdict.kind;
  try {
    const snoozeId = await db.$transaction(async (tx) => {
      // A pass planning the person's reminders at this moment waits, or is waited for (see `holdBack`).
      await takePeople(tx, [person.id]);
      // One row per step, person and day: one undone (or cancelled) is made pending again, on
      // condition that it is as read (of two presses at once, the other made it pending).
      if (same) {
        const reopened = await tx.delivery.updateMany({
          where: { id: same.id, status: same.status, error: same.error },
          data: { ...row, status: "pending", error: null, attempts: 0, claimToken: null, lockedUntil: null, chatId: null, messageId: null, sentAt: null },
        });
        if (reopened.count === 0) return null;
      }
      const id = same ? same.id : (await tx.delivery.create({ data: row })).id;
      // Snoozed again before an earlier snooze came (pressed early on its day): that one moves
      // here, with what it held back (this one's undo gives it back, see `undoSnooze`).
      const earlier = { key: { startsWith: keysOf(step.id, person.id) }, id: { not: id }, status: "pending" };
      const moved = (await tx.delivery.findMany({ where: earlier, select: { id: true } })).map((m) => heldBackReason(m.id));
      await cancelPending(tx, earlier, movedReason(id));
      if (moved.length) await tx.delivery.updateMany({ where: { status: "cancelled", error: { in: moved } }, data: { error: heldBackReason(id) } });
      // The step's reminder already waiting in the outbox (due, its sending retried, or planned by a
      // pass at this moment) is this one's too.
      await cancelPending(tx, regularUntil(step.id, person.id, row.dueAt), heldBackReason(id));
      await audit(tx, {
        actor,
        action: "reminder.snooze",
        ...stepTarget(step),
        after: { remindOn: verdict.date, hour: verdict.hour },
        detail: { snoozeId: id, unit: step.unit.name, snoozes: count },
        at: now,
      });
      return id;
    });
    return snoozeId === null ? answer(same!.id, false) : answer(snoozeId, true);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // A double tap handled elsewhere at the same moment made it.
    const made = await db.delivery.findUniqueOrThrow({ where: { key: row.key } });
    return answer(made.id, false);
  }
}

export type UndoSnoozeResult =
  | {
      ok: true;
      title: string;
      dueAt: Date;
      timezone: string;
      released: number;
      /** When the snooze this one had replaced (pressed again before it came) now reminds; null when it replaced none. */
      restored: Date | null;
    }
  | { ok: false; reason: "not_found" | "not_yours" | "sent" | "cancelled" };

/**
 * Undoes a snooze while its reminder is pending: cancelled (conditionally, so a reminder going
 * out at that moment is either sent or cancelled, never both). The snooze it replaced, if any (a
 * second press before the first came), stands again with the regular reminders it stands for
 * held back; the others it held back are pending again (they were due already, so they go at the
 * next dispatch). Only by the person it was for; audited.
 */
export async function undoSnooze(db: Prisma, person: Person, snoozeId: number, now: Date, actor: AuditActor): Promise<UndoSnoozeResult> {
  const row = await db.delivery.findUnique({
    where: { id: snoozeId },
    include: { milestone: { include: { initiative: { include: { unit: { include: { region: true } } } } } } },
  });
  if (!row || !row.key.startsWith(keyPrefix) || !row.milestone) return { ok: false, reason: "not_found" };
  if (row.personId !== person.id) return { ok: false, reason: "not_yours" };
  const step = row.milestone;
  const region = step.initiative.unit.region;
  const result = await db.$transaction(async (tx): Promise<UndoSnoozeResult> => {
    // A press of ⏰ Besok at this moment moves what this leaves pending (see `snoozeReminder`).
    await takePeople(tx, [person.id]);
    if ((await cancelPending(tx, { id: snoozeId }, undoneReason)) === 0) {
      const { status } = await tx.delivery.findUniqueOrThrow({ where: { id: snoozeId }, select: { status: true } });
      return { ok: false, reason: status === "cancelled" ? "cancelled" : "sent" };
    }
    const replaced = await tx.delivery.findFirst({
      where: { key: { startsWith: keysOf(step.id, person.id) }, status: "cancelled", error: movedReason(snoozeId) },
      orderBy: { dueAt: "desc" },
    });
    if (replaced) {
      await tx.delivery.update({ where: { id: replaced.id }, data: { status: "pending", error: null, claimToken: null, lockedUntil: null } });
      await tx.delivery.updateMany({
        where: { status: "cancelled", error: heldBackReason(snoozeId), dueAt: { lte: replaced.dueAt } },
        data: { error: heldBackReason(replaced.id) },
      });
    }
    const released = await tx.delivery.updateMany({
      where: { status: "cancelled", error: heldBackReason(snoozeId) },
      data: { status: "pending", error: null },
    });
    await audit(tx, {
      actor,
      action: "reminder.snooze_undo",
      entity: "milestone",
      entityId: step.id,
      targetName: step.title,
      programId: step.initiative.programId,
      regionId: region.id,
      before: { remindOn: localDate(row.dueAt, region.timezone) },
      after: replaced ? { remindOn: localDate(replaced.dueAt, region.timezone) } : null,
      detail: { snoozeId, unit: step.initiative.unit.name, released: released.count, ...(replaced ? { restored: replaced.id } : {}) },
      at: now,
    });
    return { ok: true, title: step.title, dueAt: row.dueAt, timezone: region.timezone, released: released.count, restored: replaced?.dueAt ?? null };
  });
  return result;
}

/** A pending row of the reminder kinds, as the reminder pass reads them (`holdBack`). */
export interface PendingReminder {
  id: number;
  key: string;
  milestoneId: number | null;
  personId: number;
  dueAt: Date;
}

/** Of these snoozes by step and person, the first standing for a regular reminder row: one due no earlier. */
function coveringSnooze(snoozes: Map<string, PendingReminder[]>, row: NewDelivery): PendingReminder | undefined {
  return snoozes.get(`${row.milestoneId}:${row.personId}`)?.find((s) => s.dueAt >= row.dueAt);
}

function snoozesByStepAndPerson(rows: PendingReminder[]): Map<string, PendingReminder[]> {
  const snoozes = new Map<string, PendingReminder[]>();
  for (const p of rows) {
    if (!p.key.startsWith(keyPrefix)) continue;
    const key = `${p.milestoneId}:${p.personId}`;
    snoozes.set(key, [...(snoozes.get(key) ?? []), p]);
  }
  return snoozes;
}

/**
 * What the reminder pass does with a regular reminder it plans, given the pending reminders of
 * the same steps: `hold` puts one due no later than a pending snooze of its step and person in
 * cancelled, held back by that snooze (which is that reminder); any other, as planned. Once they
 * are in, `settle` checks the rows let through again against the snoozes now there, pending or
 * sent (one made while the page went in, or one that went out before this pass planned the
 * reminder it stands for): those it stands for are held back too, the people taken first so that
 * a press being recorded is waited for. Then it makes pending again those held by a snooze undone
 * since `pending` was read: its undo released only the rows there when it ran, and these would
 * otherwise never be sent. Returns how many more (fewer, when below zero) went in pending.
 */
export function holdBack(pending: PendingReminder[]): { hold: (row: NewDelivery) => NewDelivery; settle: (db: Prisma) => Promise<number> } {
  const snoozes = snoozesByStepAndPerson(pending);
  const holding = new Set<number>();
  const through: NewDelivery[] = [];
  return {
    hold: (row) => {
      const snooze = coveringSnooze(snoozes, row);
      if (!snooze) {
        through.push(row);
        return row;
      }
      holding.add(snooze.id);
      return { ...row, status: "cancelled", error: heldBackReason(snooze.id) };
    },
    settle: async (db) => {
      const held = through.length === 0 ? 0 : await db.$transaction((tx) => holdLetThrough(tx, through, holding));
      let released = 0;
      // Followed through the snoozes it moved to (a few presses at most): a moved snooze's rows go
      // to the later one, an undone one's are released.
      let ids = [...holding];
      for (let hop = 0; hop < 5 && ids.length > 0; hop++) {
        const gone = await db.delivery.findMany({ where: { id: { in: ids }, status: "cancelled" }, select: { id: true, error: true } });
        const undone = gone.filter((g) => g.error === undoneReason).map((g) => heldBackReason(g.id));
        if (undone.length) {
          released += (await db.delivery.updateMany({ where: { status: "cancelled", error: { in: undone } }, data: { status: "pending", error: null } })).count;
        }
        const moves = gone.flatMap((g) => {
          const to = movedTo(g.error);
          return to === null ? [] : [{ from: g.id, to }];
        });
        for (const m of moves) {
          await db.delivery.updateMany({ where: { status: "cancelled", error: heldBackReason(m.from) }, data: { error: heldBackReason(m.to) } });
        }
        ids = moves.map((m) => m.to);
      }
      return released - held;
    },
  };
}

/** `settle`'s second look: the rows let through that a snooze there now stands for, held back by it (added to `holding`); how many. */
async function holdLetThrough(tx: Pick<Prisma, "delivery" | "$executeRaw">, rows: NewDelivery[], holding: Set<number>): Promise<number> {
  await takePeople(tx, [...new Set(rows.map((r) => r.personId))]);
  const stepIds = [...new Set(rows.map((r) => r.milestoneId!))];
  const earliest = new Date(Math.min(...rows.map((r) => r.dueAt.getTime())));
  const found: PendingReminder[] = [];
  for (let i = 0; i < stepIds.length; i += 500) {
    found.push(
      ...(await tx.delivery.findMany({
        where: {
          key: { startsWith: keyPrefix },
          status: { in: ["pending", "sent"] },
          milestoneId: { in: stepIds.slice(i, i + 500) },
          dueAt: { gte: earliest },
        },
        select: { id: true, key: true, milestoneId: true, personId: true, dueAt: true },
      })),
    );
  }
  const snoozes = snoozesByStepAndPerson(found);
  let held = 0;
  for (const row of rows) {
    const snooze = coveringSnooze(snoozes, row);
    if (!snooze) continue;
    holding.add(snooze.id);
    held += await cancelPending(tx, { key: row.key }, heldBackReason(snooze.id));
  }
  return held;
}
