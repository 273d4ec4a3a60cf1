import type { Prisma } from "../db/connection.js";
import { addDays, daysBetween, localDate, zonedInstant } from "../domain/dates.js";
import { currentSlot, isQuietHour, parseOffsets, type ReminderRules, type ReminderSlot } from "../domain/reminder-plan.js";
import { nextWorkingDay } from "../domain/working-days.js";
import { dispatchOutbox, enqueue, type DispatchOptions, type DispatchResult, type NewDelivery } from "./outbox.js";
import { toView, type MilestoneView } from "./milestones.js";

/** One reminder owed to one focal point for one step. */
export interface PlannedReminder {
  /** Idempotency key: step, person and slot. */
  key: string;
  personId: number;
  personName: string;
  milestone: MilestoneView;
  slot: ReminderSlot;
}

/** One escalation owed about a silent overdue step: to a head of unit, then to coordinators. */
export interface PlannedEscalation {
  key: string;
  kind: "escalation_head" | "escalation_coord";
  personId: number;
  personName: string;
  milestone: MilestoneView;
  dueAt: Date;
}

export interface PassResult extends DispatchResult {
  planned: PlannedReminder[];
  escalations: PlannedEscalation[];
}

type ProgramRow = Awaited<ReturnType<Prisma["program"]["findMany"]>>[number];

/** A program's reminder rules, as the domain reads them. */
export function rulesOf(program: ProgramRow): ReminderRules {
  return {
    offsets: parseOffsets(program.reminderOffsets),
    overdueEveryDays: program.overdueEveryDays,
    overdueMaxReminders: program.overdueMaxReminders,
    sendHour: program.sendHour,
    workingDaysOnly: program.workingDaysOnly,
    quietStartHour: program.quietStartHour,
    quietEndHour: program.quietEndHour,
  };
}

/** Days around today in which a step can be owed anything; leaves room for moved working days. */
const slack = 14;

/**
 * The open steps that may be owed a reminder or an escalation at `now`, with their views and
 * programs: one indexed range query on (status, dueDate), then the few initiatives, units and
 * regions they belong to.
 */
async function candidateSteps(db: Prisma, now: Date) {
  const programs = await db.program.findMany();
  if (programs.length === 0) return [];
  const lookAhead = Math.max(...programs.map((p) => Math.max(0, ...parseOffsets(p.reminderOffsets))));
  // On working days only, slots move past weekends and holidays: seven calendar days for five.
  const lookBack = Math.max(
    ...programs.map(
      (p) =>
        (1 + Math.max(1, p.overdueEveryDays) * p.overdueMaxReminders + (p.escalationEnabled ? p.escalateHeadAfterDays + p.escalateCoordAfterDays : 0)) *
        (p.workingDaysOnly ? 1.4 : 1),
    ),
  );
  const today = now.toISOString().slice(0, 10);
  const rows = await db.milestone.findMany({
    where: { status: { not: "done" }, dueDate: { gte: addDays(today, -Math.ceil(lookBack) - slack), lte: addDays(today, lookAhead + slack) } },
    orderBy: [{ dueDate: "asc" }, { id: "asc" }],
  });
  const initiatives = new Map(
    (
      await db.initiative.findMany({
        where: { id: { in: [...new Set(rows.map((r) => r.initiativeId))] } },
        include: { unit: { include: { region: true } }, program: true },
      })
    ).map((i) => [i.id, i]),
  );
  return rows.map((row) => {
    const initiative = initiatives.get(row.initiativeId)!;
    return { row, view: toView({ ...row, initiative }, now), program: initiative.program, unit: initiative.unit };
  });
}

async function peopleByUnit(db: Prisma, role: "pic" | "kepala", unitIds: number[]) {
  const byUnit = new Map<number, { id: number; firstName: string | null }[]>();
  const memberships = await db.membership.findMany({ where: { role, unitId: { in: unitIds } }, include: { person: true } });
  for (const m of memberships) {
    if (m.person.blockedAt || m.unitId === null) continue;
    const list = byUnit.get(m.unitId) ?? [];
    if (!list.some((p) => p.id === m.person.id)) list.push(m.person);
    byUnit.set(m.unitId, list);
  }
  return byUnit;
}

async function notYetPlanned<T extends { key: string }>(db: Prisma, owed: T[]): Promise<T[]> {
  const known = new Set<string>();
  for (let i = 0; i < owed.length; i += 500) {
    const keys = owed.slice(i, i + 500).map((r) => r.key);
    for (const d of await db.delivery.findMany({ where: { key: { in: keys } }, select: { key: true } })) known.add(d.key);
  }
  return owed.filter((r) => !known.has(r.key));
}

/**
 * Reminders owed at `now` and not yet in the outbox, soonest due first: for every open step,
 * the slot its program's rules give at this moment in its region's time zone (see
 * `currentSlot`), for every focal point of its unit who has not blocked the bot.
 */
export async function planReminders(db: Prisma, now: Date): Promise<PlannedReminder[]> {
  const steps = await candidateSteps(db, now);
  const pics = await peopleByUnit(db, "pic", [...new Set(steps.map((s) => s.unit.id))]);
  const rules = new Map<number, ReminderRules>();
  const owed: PlannedReminder[] = [];
  for (const { row, view, program, unit } of steps) {
    const people = pics.get(unit.id);
    if (!people) continue;
    if (!rules.has(program.id)) rules.set(program.id, rulesOf(program));
    const slot = currentSlot(row.dueDate, rules.get(program.id)!, unit.region.timezone, now);
    if (!slot) continue;
    for (const person of people) {
      owed.push({ key: `${slot.kind}:${row.id}:${person.id}:${slot.date}`, personId: person.id, personName: person.firstName ?? "", milestone: view, slot });
    }
  }
  return notYetPlanned(db, owed);
}

/**
 * Escalations owed at `now`. A step overdue whose unit has not reported since its deadline
 * passed is told to the heads of the unit `escalateHeadAfterDays` after the first overdue day,
 * and to the program's coordinators (of all regions, or of the step's region)
 * `escalateCoordAfterDays` later; each once per step and person, at the program's send hour
 * (on a working day when the program keeps to working days), never in quiet hours, and no
 * longer once the overdue reminders have run out for a while.
 */
export async function planEscalations(db: Prisma, now: Date): Promise<PlannedEscalation[]> {
  const steps = (await candidateSteps(db, now)).filter((s) => s.program.escalationEnabled && s.view.daysLate > 0);
  if (steps.length === 0) return [];
  const heads = await peopleByUnit(db, "kepala", [...new Set(steps.map((s) => s.unit.id))]);
  const coordinators = await db.membership.findMany({
    where: { role: "koordinator", programId: { in: [...new Set(steps.map((s) => s.program.id))] } },
    include: { person: true },
  });
  const owed: PlannedEscalation[] = [];
  for (const { row, view, program, unit } of steps) {
    const tz = unit.region.timezone;
    const rules = rulesOf(program);
    if (isQuietHour(now, tz, rules)) continue;
    const firstLateDay = addDays(row.dueDate, 1);
    // Anyone in the unit reporting after the deadline is not silence.
    if (row.lastReportAt && row.lastReportAt >= zonedInstant(firstLateDay, 0, tz)) continue;
    const lastOverdue = addDays(firstLateDay, Math.max(1, program.overdueEveryDays) * Math.max(0, program.overdueMaxReminders - 1));
    const workingDay = (d: string) => (program.workingDaysOnly ? nextWorkingDay(d) : d);
    const headDay = workingDay(addDays(firstLateDay, program.escalateHeadAfterDays));
    const coordDay = workingDay(addDays(headDay, program.escalateCoordAfterDays));
    const today = localDate(now, tz);
    const ladder = [
      { kind: "escalation_head" as const, day: headDay, people: heads.get(unit.id) ?? [] },
      {
        kind: "escalation_coord" as const,
        day: coordDay,
        people: coordinators
          .filter((c) => c.programId === program.id && (c.regionId === null || c.regionId === unit.regionId) && !c.person.blockedAt)
          .map((c) => c.person),
      },
    ];
    for (const { kind, day, people } of ladder) {
      const dueAt = zonedInstant(day, program.sendHour, tz);
      if (dueAt > now || daysBetween(addDays(lastOverdue, program.escalateHeadAfterDays + program.escalateCoordAfterDays), today) > 0) continue;
      for (const person of new Map(people.map((p) => [p.id, p])).values()) {
        owed.push({ key: `${kind}:${row.id}:${person.id}`, kind, personId: person.id, personName: person.firstName ?? "", milestone: view, dueAt });
      }
    }
  }
  return notYetPlanned(db, owed);
}

/**
 * Puts the reminders into the outbox. A pending reminder of an earlier slot of the same step
 * and person (not sent yet, e.g. after downtime or failures) is superseded by the new one.
 */
async function enqueueReminders(db: Prisma, planned: PlannedReminder[]): Promise<void> {
  const latest = new Map(planned.map((r) => [`${r.milestone.id}:${r.personId}`, r.slot.at]));
  const milestoneIds = [...new Set(planned.map((r) => r.milestone.id))];
  for (let i = 0; i < milestoneIds.length; i += 500) {
    const pending = await db.delivery.findMany({
      where: { status: "pending", kind: { in: ["reminder", "overdue"] }, milestoneId: { in: milestoneIds.slice(i, i + 500) } },
      select: { id: true, milestoneId: true, personId: true, dueAt: true },
    });
    const superseded = pending.filter((d) => {
      const at = latest.get(`${d.milestoneId}:${d.personId}`);
      return at !== undefined && d.dueAt < at;
    });
    if (superseded.length) {
      await db.delivery.updateMany({ where: { id: { in: superseded.map((d) => d.id) }, status: "pending" }, data: { status: "cancelled" } });
    }
  }
  await enqueue(
    db,
    planned.map((r): NewDelivery => ({ key: r.key, kind: r.slot.kind, personId: r.personId, milestoneId: r.milestone.id, dueAt: r.slot.at })),
  );
}

/**
 * One reminder pass: plans the reminders and escalations owed at `now`, puts them into the
 * outbox and, unless `dryRun`, sends everything due there (including broadcasts and nudges
 * queued earlier). A second pass, a restart or a second process plans nothing twice: every
 * message has a unique key.
 */
export async function runReminderPass(
  db: Prisma,
  options: Omit<DispatchOptions, "send"> & { dryRun?: boolean; send?: DispatchOptions["send"] },
): Promise<PassResult> {
  const planned = await planReminders(db, options.now);
  const escalations = await planEscalations(db, options.now);
  const nothing = { sent: 0, blocked: 0, failed: 0, retrying: 0, cancelled: 0 };
  if (options.dryRun || !options.send) return { planned, escalations, ...nothing };
  await enqueueReminders(db, planned);
  await enqueue(
    db,
    escalations.map((e): NewDelivery => ({ key: e.key, kind: e.kind, personId: e.personId, milestoneId: e.milestone.id, dueAt: e.dueAt })),
  );
  const dispatched = await dispatchOutbox(db, { ...options, send: options.send });
  return { planned, escalations, ...dispatched };
}

/** The reminder a focal point replies to: the steps it listed (one, or several when merged). */
export async function deliveriesForMessage(db: Prisma, chatId: number, messageId: number) {
  return db.delivery.findMany({
    where: { chatId: BigInt(chatId), messageId, milestoneId: { not: null }, kind: { in: ["reminder", "overdue", "nudge"] } },
    orderBy: { id: "asc" },
  });
}
