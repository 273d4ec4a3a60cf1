import type { Prisma } from "../db/connection.js";
import { daysBetween } from "../domain/dates.js";
import { remindsSilently } from "../domain/reminder-plan.js";
import { personName } from "../domain/text.js";
import { digestFor } from "../services/digests.js";
import { awayFor, awayInUnits, everyoneAwayUntil, leavesFrom } from "../services/leave.js";
import { toView } from "../services/milestones.js";
import { findPerson } from "../services/people.js";
import { unremindedUnits } from "../services/reach.js";
import { coversProgram, coversRegion, unitMembersFilter } from "../services/scope.js";
import type { Claimed } from "./claim.js";
import type { DeliveryKind, EscalatedStep, EscalationItem, OutboxMessage, Recipient } from "./messages.js";

// A group of claimed rows as the message the bot layer renders: steps as they stand when the
// message goes out (not when it was planned), an escalation with the unit's history, told as
// it happened (whether the head was told is read from the head's own delivery).

/** A group of rows as a message, and which rows each of its items stands for. */
export interface Composed {
  /** Null when nothing is left to say. */
  message: OutboxMessage | null;
  /** The rows behind each of the message's items, in the items' order (a broadcast: one list, its row). */
  itemRows: Claimed[][];
  /** Rows with nothing left to say (a summary whose units all have a focal point now): not sent. */
  moot: Claimed[];
}

function recipient(row: Claimed): Recipient {
  return { personId: row.person.id, telegramId: Number(row.person.telegramId), language: row.person.language, name: row.person.firstName ?? "" };
}

const reminderKinds = ["reminder", "overdue", "nudge"];

type Seat = Claimed["person"]["memberships"][number];

/** The recipient's seats of these roles that cover the row's step: on its unit (its program's), or on its program (its region's). */
function seatsFor(row: Claimed, roles: string[]): Seat[] {
  const { unit, programId } = row.milestone!.initiative;
  return row.person.memberships.filter(
    (m) =>
      roles.includes(m.role) &&
      (m.role === "koordinator" ? m.programId === programId && coversRegion(m, unit.regionId) : m.unitId === unit.id && coversProgram(m, programId)),
  );
}

/** Whether the recipient is a focal point of the row's step (a head reminded is standing in). */
const holdsFocalPointSeat = (row: Claimed) => seatsFor(row, ["pic"]).length > 0;

/** One step of an escalation with its history; for a coordinator, whether a head of its unit was told. */
async function escalatedStep(db: Prisma, row: Claimed, level: "head" | "coordinator", now: Date): Promise<EscalatedStep> {
  const milestone = toView(row.milestone!, now);
  const sent = { milestoneId: milestone.id, status: "sent" };
  const [reminders, last, pics, toldHead, heads] = await Promise.all([
    db.delivery.count({ where: { ...sent, kind: { in: reminderKinds } } }),
    db.delivery.findFirst({ where: { ...sent, kind: { in: reminderKinds } }, orderBy: { sentAt: "desc" } }),
    db.membership.findMany({ where: unitMembersFilter(["pic"], [milestone.unit.id], [milestone.program.id]), include: { person: true } }),
    level === "coordinator" ? db.delivery.findFirst({ where: { ...sent, kind: "escalation_head" }, orderBy: { sentAt: "asc" } }) : null,
    level === "coordinator"
      ? db.membership.findMany({
          where: unitMembersFilter(["kepala"], [milestone.unit.id], [milestone.program.id]),
          select: { person: { select: { leaves: leavesFrom(milestone.today) } } },
        })
      : [],
  ]);
  return {
    type: "step",
    kind: row.kind as DeliveryKind,
    milestone,
    daysLeft: daysBetween(milestone.today, milestone.dueDate),
    remindersSent: reminders,
    lastReminderAt: last?.sentAt ?? null,
    focalPoints: pics.map((p) => personName(p.person) ?? `@${p.person.telegramId}`),
    head:
      level === "coordinator"
        ? {
            toldAt: toldHead?.sentAt ?? null,
            heads: heads.length,
            awayUntil: everyoneAwayUntil(
              heads.map((h) => h.person),
              milestone.today,
            ),
          }
        : null,
  };
}

/**
 * The recipient's seat that a step's row is owed for (the earliest, of several), or null when
 * they left it after the row was planned (a removal racing a pass): a row without one is moot.
 * Reminders and nudges go to a unit's focal points and heads, escalations to its heads or to the
 * program's coordinators. An escalation that fell due before the seat was taken is counted in a
 * summary, not replayed.
 */
function seatOf(row: Claimed): Seat | null {
  const roles = row.kind === "escalation_coord" ? ["koordinator"] : row.kind === "escalation_head" ? ["kepala"] : ["pic", "kepala"];
  return seatsFor(row, roles).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())[0] ?? null;
}

/**
 * A person's escalations of one level as one message: the steps owed since they took their seat,
 * unit by unit; those owed before, counted; a coordinator's summaries of units nobody is
 * reminded in, one per program, as they stand now.
 */
async function composeEscalation(db: Prisma, rows: Claimed[], now: Date): Promise<Composed> {
  const to = recipient(rows[0]!);
  const level = rows[0]!.kind === "escalation_head" ? "head" : "coordinator";
  const moot = rows.filter((r) => r.milestone !== null && seatOf(r) === null);
  const stepRows = rows.filter((r) => r.milestone !== null && !moot.includes(r));
  const earlier = stepRows.filter((r) => r.dueAt < seatOf(r)!.createdAt);
  const current = stepRows.filter((r) => !earlier.includes(r));
  const steps = await Promise.all(current.map((r) => escalatedStep(db, r, level, now)));
  // Steps of one unit together (by region, unit, then due date), as the message lists them.
  const order = steps
    .map((step, i) => ({ step, row: current[i]! }))
    .sort(
      ({ step: a }, { step: b }) =>
        a.milestone.region.name.localeCompare(b.milestone.region.name) ||
        a.milestone.unit.name.localeCompare(b.milestone.unit.name) ||
        a.milestone.unit.id - b.milestone.unit.id ||
        a.milestone.program.id - b.milestone.program.id ||
        a.milestone.dueDate.localeCompare(b.milestone.dueDate) ||
        a.milestone.id - b.milestone.id,
    );
  const items: EscalationItem[] = order.map((o) => o.step);
  const itemRows: Claimed[][] = order.map((o) => [o.row]);
  if (earlier.length) {
    const units = new Set(earlier.map((r) => r.milestone!.initiative.unitId));
    items.push({ type: "earlier", steps: new Set(earlier.map((r) => r.milestoneId)).size, units: units.size });
    itemRows.push(earlier);
  }
  const summaryRows = rows.filter((r) => r.kind === "escalation_unreached");
  if (summaryRows.length) {
    const person = await findPerson(db, to.telegramId);
    // Rows of several days (after downtime) for one program say one thing: how it stands now.
    for (const programId of new Set(summaryRows.map((r) => r.programId!))) {
      const theirs = summaryRows.filter((r) => r.programId === programId);
      const unreached = person ? await unremindedUnits(db, person, programId, now) : null;
      if (!unreached) moot.push(...theirs);
      else {
        items.push({ type: "unreached", ...unreached });
        itemRows.push(theirs);
      }
    }
  }
  return { message: items.length ? { type: "escalation", to, level, items } : null, itemRows, moot };
}

/**
 * The message a group of rows (one person's, of one kind) makes at `now`; a step message's items
 * follow its rows' order. A digest no longer owed (see `digestFor`) is moot.
 */
export async function composeMessage(db: Prisma, rows: Claimed[], now: Date): Promise<Composed> {
  const first = rows[0]!;
  const to = recipient(first);
  if (first.kind === "digest") {
    const { personId, programId, dueAt } = first;
    const digest = programId === null ? null : await digestFor(db, { personId, programId, dueAt }, now);
    // Its seat gone or switched off since it was planned: not sent.
    return digest ? { message: { type: "digest", to, digest }, itemRows: [rows], moot: [] } : { message: null, itemRows: [], moot: rows };
  }
  if (first.kind === "broadcast") {
    const b = first.broadcast!;
    return {
      message: {
        type: "broadcast",
        to,
        broadcast: { id: b.id, text: b.text, photoFileId: b.photoFileId, documentId: b.documentId, senderName: b.createdBy.firstName ?? "" },
      },
      itemRows: [rows],
      moot: [],
    };
  }
  if (first.kind.startsWith("escalation")) return composeEscalation(db, rows, now);
  // A row whose person left the seat it was owed for is moot (see `seatOf`).
  const seated = rows.filter((r) => seatOf(r) !== null);
  const views = seated.map((r) => toView(r.milestone!, now));
  // Who of the steps' units is away today: a reminder to someone away is not sent, and one to a
  // colleague standing in says whose it is.
  const away = await awayInUnits(
    db,
    ["pic", "kepala"],
    [...new Set(views.map((m) => m.unit.id))],
    [...new Set(views.map((m) => m.program.id))],
    (unitId) => views.find((m) => m.unit.id === unitId)!.today,
  );
  const awayOf = (m: (typeof views)[number]) => awayFor(away, m.unit.id, m.program.id);
  const kept = seated.flatMap((r, i) => (awayOf(views[i]!).some((p) => p.personId === to.personId) ? [] : [{ row: r, milestone: views[i]! }]));
  if (kept.length === 0) return { message: null, itemRows: [], moot: rows };
  const items = kept.map(({ row, milestone }) => {
    const others = awayOf(milestone).filter((p) => p.role === "pic");
    return {
      kind: row.kind as DeliveryKind,
      milestone,
      daysLeft: daysBetween(milestone.today, milestone.dueDate),
      deliveryId: row.id,
      ...(others.length ? { away: others.map((p) => ({ name: p.name, lastDay: p.lastDay })), standingIn: !holdsFocalPointSeat(row) } : {}),
    };
  });
  // One urgent step (or a program that wants sound) makes the whole message sound.
  const silent = items.every((item, i) => remindsSilently(item.kind, item.daysLeft, kept[i]!.row.milestone!.initiative.program.silentFromDays));
  return {
    message: { type: "reminder", to, items, silent },
    itemRows: kept.map((k) => [k.row]),
    moot: rows.filter((r) => !kept.some((k) => k.row === r)),
  };
}
