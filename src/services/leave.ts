import type { Prisma } from "../db/connection.js";
import { addDays, isCalendarDate, localDate, type CalendarDate } from "../domain/dates.js";
import { checkLastDay, isAwayOn, leaveOn, maxAwayDays, type AwayDayProblem, type AwayPeriod } from "../domain/leave.js";
import { personName } from "../domain/text.js";
import { audit, placeOfSeats, type AuditActor } from "./audit.js";
import { takePeople, type Person } from "./people.js";
import { coversProgram, unitMembersFilter } from "./scope.js";

// Leave (/cuti): a focal point or head says they are away until a day. Stored as periods (kept
// after they end: escalation timing reads the days a unit had nobody present); every reader asks
// `isAwayOn` with today in the zone of the unit concerned, so a leave ends by itself.

/** The Prisma selection of a person's leaves that may cover `day` or a later day (by the lastDay index). */
export function leavesFrom(day: CalendarDate) {
  return { where: { lastDay: { gte: day } }, select: { firstDay: true, lastDay: true }, orderBy: { firstDay: "asc" as const } };
}

/** The Prisma condition of the leaves covering `day`. */
const coveringDay = (day: CalendarDate) => ({ firstDay: { lte: day }, lastDay: { gte: day } });

/**
 * A person's today as their leave counts it: in their first unit seat's region (people with seats
 * in two zones are rare, and the other zone's day differs by an hour or two), else `fallbackZone`.
 */
export async function personToday(db: Pick<Prisma, "unit">, person: Person, now: Date, fallbackZone: string): Promise<CalendarDate> {
  const seat = person.memberships.find((m) => (m.role === "pic" || m.role === "kepala") && m.unitId !== null);
  const unit = seat ? await db.unit.findUnique({ where: { id: seat.unitId! }, select: { region: { select: { timezone: true } } } }) : null;
  return localDate(now, unit?.region.timezone ?? fallbackZone);
}

/** A person's leave as /cuti shows it: their today, and their last day away when they are away today. */
export interface AwayStatus {
  today: CalendarDate;
  lastDay: CalendarDate | null;
}

export async function awayStatus(db: Prisma, person: Person, now: Date, fallbackZone: string): Promise<AwayStatus> {
  const today = await personToday(db, person, now, fallbackZone);
  const leaves = await db.leave.findMany({ where: { personId: person.id, ...leavesFrom(today).where }, select: leavesFrom(today).select });
  return { today, lastDay: leaveOn(leaves, today)?.lastDay ?? null };
}

export type SetAwayResult =
  | { kind: "set"; today: CalendarDate; lastDay: CalendarDate; before: CalendarDate | null }
  | { kind: "unchanged"; today: CalendarDate; lastDay: CalendarDate }
  | { kind: AwayDayProblem; today: CalendarDate; latest: CalendarDate }
  /** `lastDay` names no day the calendar has (a forged button: "2026-13-45"). */
  | { kind: "not_a_date"; lastDay: string };

/**
 * Declares the person away from today to `lastDay` (inclusive): a new leave, or the one they are
 * on moved to that day; one leave at a time (two declared at once: the second moves the first's).
 * A day the calendar does not have, not after today, or more than `maxAwayDays` ahead, is refused
 * and changes nothing. Audited as `leave.set`.
 */
export async function setAway(db: Prisma, person: Person, lastDay: CalendarDate, now: Date, actor: AuditActor, fallbackZone: string): Promise<SetAwayResult> {
  if (!isCalendarDate(lastDay)) return { kind: "not_a_date", lastDay };
  const today = await personToday(db, person, now, fallbackZone);
  const problem = checkLastDay(lastDay, today);
  if (problem) return { kind: problem, today, latest: addDays(today, maxAwayDays) };
  return db.$transaction(async (tx) => {
    await takePeople(tx, [person.id]);
    const current = await tx.leave.findFirst({ where: { personId: person.id, ...coveringDay(today) }, orderBy: { id: "desc" } });
    if (current?.lastDay === lastDay) return { kind: "unchanged" as const, today, lastDay };
    const row = current
      ? await tx.leave.update({ where: { id: current.id }, data: { lastDay, updatedAt: now } })
      : await tx.leave.create({ data: { personId: person.id, firstDay: today, lastDay, createdAt: now, updatedAt: now } });
    await audit(tx, {
      ...(await placeOfSeats(tx, person.memberships)),
      actor,
      action: "leave.set",
      entity: "leave",
      entityId: row.id,
      targetName: person.name,
      before: current ? { firstDay: current.firstDay, lastDay: current.lastDay } : null,
      after: { firstDay: row.firstDay, lastDay: row.lastDay },
      at: now,
    });
    return { kind: "set" as const, today, lastDay, before: current?.lastDay ?? null };
  });
}

/**
 * Ends the person's leave today ("I am back"): its last day becomes yesterday, or a leave that
 * began today is removed; every leave covering today, should a race of before have left two.
 * False when they were not away. Audited as `leave.end`, one row per leave.
 */
export async function endAway(db: Prisma, person: Person, now: Date, actor: AuditActor, fallbackZone: string): Promise<boolean> {
  const today = await personToday(db, person, now, fallbackZone);
  return db.$transaction(async (tx) => {
    await takePeople(tx, [person.id]);
    const current = await tx.leave.findMany({ where: { personId: person.id, ...coveringDay(today) }, orderBy: { id: "asc" } });
    if (current.length === 0) return false;
    const yesterday = addDays(today, -1);
    const place = await placeOfSeats(tx, person.memberships);
    for (const leave of current) {
      if (leave.firstDay <= yesterday) await tx.leave.update({ where: { id: leave.id }, data: { lastDay: yesterday, updatedAt: now } });
      else await tx.leave.delete({ where: { id: leave.id } });
      await audit(tx, {
        ...place,
        actor,
        action: "leave.end",
        entity: "leave",
        entityId: leave.id,
        targetName: person.name,
        before: { firstDay: leave.firstDay, lastDay: leave.lastDay },
        after: leave.firstDay <= yesterday ? { firstDay: leave.firstDay, lastDay: yesterday } : null,
        at: now,
      });
    }
    return true;
  });
}

/** Every leave ending on `from` or later, by person: what a reminder pass reads once. */
export async function leavesByPerson(db: Prisma, from: CalendarDate): Promise<Map<number, AwayPeriod[]>> {
  const rows = await db.leave.findMany({ where: { lastDay: { gte: from } }, select: { personId: true, firstDay: true, lastDay: true } });
  const byPerson = new Map<number, AwayPeriod[]>();
  for (const { personId, ...period } of rows) byPerson.set(personId, [...(byPerson.get(personId) ?? []), period]);
  return byPerson;
}

/** A focal point's or head's seat as presence reads it: its holder, the program it is limited to (null: all), when it was taken. */
export interface PresenceSeat {
  id: number;
  firstName: string | null;
  programId: number | null;
  since: Date;
}

/** Who of a unit is there for one program's steps today, and on which days nobody was. */
export interface Presence<P extends PresenceSeat = PresenceSeat> {
  /** Whom its reminders (and nudges) go to: its focal points present, or, when all of them are away, its heads present. */
  reminded: P[];
  /** Its heads present (escalations go to them). */
  heads: P[];
  /** Its heads seated for it, present or not. */
  seatedHeads: P[];
  /** True on a day none of its focal points and heads was there (seated and not away); null when none of them has a leave. */
  absent: ((day: CalendarDate) => boolean) | null;
}

/**
 * The one rule of who is there for a program's steps in a unit (the reminder pass, escalations,
 * a snooze's check and nudges all ask it): `seats` are the unit's seats of people the bot can
 * write to, `leaves` theirs by person. Each person once; while nobody covering the program has a
 * leave, the lists are the seats as given, so what a pass planned stays what it plans.
 */
export function presenceFor<P extends PresenceSeat>(
  seats: Record<"pic" | "kepala", readonly P[]>,
  programId: number,
  timezone: string,
  today: CalendarDate,
  leaves: ReadonlyMap<number, readonly AwayPeriod[]>,
): Presence<P> {
  const covering = (list: readonly P[]) => [...new Map(list.filter((s) => coversProgram(s, programId)).map((s) => [s.id, s] as const)).values()];
  const pics = covering(seats.pic);
  const heads = covering(seats.kepala);
  const there = (list: P[]) => (list.some((p) => leaves.has(p.id)) ? list.filter((p) => !isAwayOn(leaves.get(p.id), today)) : list);
  const picsThere = there(pics);
  let absent: Presence["absent"] = null;
  if ([...pics, ...heads].some((p) => leaves.has(p.id))) {
    // A seat counts from the day it was taken: before, its holder was not there either.
    const held = [...seats.pic, ...seats.kepala]
      .filter((s) => coversProgram(s, programId))
      .map((s) => ({ since: localDate(s.since, timezone), leaves: leaves.get(s.id) }));
    absent = (day) => {
      const seated = held.filter((s) => s.since <= day);
      return seated.length > 0 && seated.every((s) => isAwayOn(s.leaves, day));
    };
  }
  return { reminded: picsThere.length > 0 || pics.length === 0 ? picsThere : there(heads), heads: there(heads), seatedHeads: heads, absent };
}

/**
 * `presenceFor` of one unit read from the database, for any of its programs: its focal points'
 * and heads' seats of people who have not blocked the bot, with their leaves ending on `leavesSince`
 * or later (a day as early as the escalation days asked about).
 */
export async function unitPresence(
  db: Prisma,
  unitId: number,
  timezone: string,
  today: CalendarDate,
  leavesSince: CalendarDate,
): Promise<{ of: (programId: number) => Presence; leaves: ReadonlyMap<number, readonly AwayPeriod[]> }> {
  const rows = await db.membership.findMany({
    where: { role: { in: ["pic", "kepala"] }, unitId, person: { blockedAt: null } },
    select: { role: true, programId: true, createdAt: true, person: { select: { id: true, firstName: true, leaves: leavesFrom(leavesSince) } } },
    orderBy: { id: "asc" },
  });
  const seats: Record<"pic" | "kepala", PresenceSeat[]> = { pic: [], kepala: [] };
  const leaves = new Map<number, AwayPeriod[]>();
  for (const row of rows) {
    seats[row.role as "pic" | "kepala"].push({ id: row.person.id, firstName: row.person.firstName, programId: row.programId, since: row.createdAt });
    if (row.person.leaves.length > 0) leaves.set(row.person.id, row.person.leaves);
  }
  return { of: (programId) => presenceFor(seats, programId, timezone, today, leaves), leaves };
}

/** Someone of a unit away on a day, and their last day away. */
export interface AwayPerson {
  personId: number;
  name: string;
  role: "pic" | "kepala";
  unitId: number;
  /** The program their seat is limited to; null: every program of the unit. */
  programId: number | null;
  lastDay: CalendarDate;
}

/**
 * The people of these units' seats (in these roles, for these programs) away on the day `dayOf`
 * gives for their unit (today in its zone): one query, whatever the number of units.
 */
export async function awayInUnits(
  db: Prisma,
  roles: ("pic" | "kepala")[],
  unitIds: number[],
  programIds: number[],
  dayOf: (unitId: number) => CalendarDate,
): Promise<AwayPerson[]> {
  if (unitIds.length === 0) return [];
  const earliest = unitIds.map(dayOf).reduce((a, b) => (a < b ? a : b));
  const seats = await db.membership.findMany({
    where: { ...unitMembersFilter(roles, unitIds, programIds), person: { leaves: { some: { lastDay: { gte: earliest } } } } },
    select: {
      role: true,
      unitId: true,
      programId: true,
      person: { select: { id: true, firstName: true, lastName: true, username: true, leaves: leavesFrom(earliest) } },
    },
    orderBy: { id: "asc" },
  });
  return seats.flatMap((s) => {
    const leave = leaveOn(s.person.leaves, dayOf(s.unitId!));
    return leave
      ? [
          {
            personId: s.person.id,
            name: personName(s.person) ?? "?",
            role: s.role as "pic" | "kepala",
            unitId: s.unitId!,
            programId: s.programId,
            lastDay: leave.lastDay,
          },
        ]
      : [];
  });
}

/** Of the people away, those of a unit's seats covering a program. */
export function awayFor(away: AwayPerson[], unitId: number, programId: number): AwayPerson[] {
  return away.filter((p) => p.unitId === unitId && coversProgram(p, programId));
}

/** The earliest return among people who are all away on `day` (their leaves given); null when someone is there, or there is nobody. */
export function everyoneAwayUntil(people: { leaves: readonly AwayPeriod[] }[], day: CalendarDate): CalendarDate | null {
  if (people.length === 0 || !people.every((p) => isAwayOn(p.leaves, day))) return null;
  return people.map((p) => leaveOn(p.leaves, day)!.lastDay).reduce((a, b) => (a < b ? a : b));
}
