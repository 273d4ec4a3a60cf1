import type { Prisma } from "../db/connection.js";
import { addDays, daysBetween, localDate, zonedInstant, type CalendarDate } from "../domain/dates.js";
import { currentSlot, isQuietHour, parseOffsets, type ReminderRules, type ReminderSlot } from "../domain/reminder-plan.js";
import { nextWorkingDay } from "../domain/working-days.js";
import { dispatchOutbox, enqueue, type DispatchOptions, type DispatchResult, type NewDelivery } from "../outbox/index.js";
import { toView, type MilestoneView } from "./milestones.js";
import { coversProgram } from "./scope.js";

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

/** The steps not done yet: the statuses listed, so that the (status, dueDate) index serves the query. */
const openStatuses = ["not_started", "in_progress", "blocked"];

/**
 * The due dates within which an open step can be owed a reminder or an escalation at `now`
 * under any of the programs' rules (on working days only, slots move past weekends and
 * holidays: seven calendar days for five).
 */
export function candidateWindow(programs: ProgramRow[], now: Date): { from: CalendarDate; to: CalendarDate } {
  const lookAhead = Math.max(...programs.map((p) => Math.max(0, ...parseOffsets(p.reminderOffsets))));
  const lookBack = Math.max(
    ...programs.map(
      (p) =>
        (1 + Math.max(1, p.overdueEveryDays) * p.overdueMaxReminders + (p.escalationEnabled ? p.escalateHeadAfterDays + p.escalateCoordAfterDays : 0)) *
        (p.workingDaysOnly ? 1.4 : 1),
    ),
  );
  const today = now.toISOString().slice(0, 10);
  return { from: addDays(today, -Math.ceil(lookBack) - slack), to: addDays(today, lookAhead + slack) };
}

/**
 * The open steps that may be owed a reminder or an escalation at `now`: one indexed range query
 * on (status, dueDate) for the few columns planning needs, then the initiatives, units, regions
 * and programs they belong to.
 */
async function candidateSteps(db: Prisma, now: Date) {
  const programs = await db.program.findMany();
  if (programs.length === 0) return [];
  const window = candidateWindow(programs, now);
  const rows = await db.milestone.findMany({
    where: { status: { in: openStatuses }, dueDate: { gte: window.from, lte: window.to } },
    select: { id: true, initiativeId: true, title: true, dueDate: true, weight: true, progress: true, status: true, lastReportAt: true },
    orderBy: [{ dueDate: "asc" }, { id: "asc" }],
  });
  // Programs are few and already here, units are shared by many initiatives: each is read once.
  const initiativeRows = await db.initiative.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.initiativeId))] } },
    select: { id: true, name: true, origin: true, unitId: true, programId: true },
  });
  const units = new Map(
    (await db.unit.findMany({ where: { id: { in: [...new Set(initiativeRows.map((i) => i.unitId))] } }, include: { region: true } })).map((u) => [u.id, u]),
  );
  const programById = new Map(programs.map((p) => [p.id, p]));
  const initiatives = new Map(
    initiativeRows.map(({ unitId, programId, ...i }) => [i.id, { ...i, unit: units.get(unitId)!, program: programById.get(programId)! }]),
  );
  return rows.map((row) => {
    const initiative = initiatives.get(row.initiativeId)!;
    return { row: { ...row, initiative }, program: initiative.program, unit: initiative.unit };
  });
}

type Candidate = Awaited<ReturnType<typeof candidateSteps>>[number];

/**
 * The people of a role in each unit who have not blocked the bot, with the program their
 * membership is limited to (null: every program of the unit); `of` picks those covering a step.
 */
async function peopleByUnit(db: Prisma, role: "pic" | "kepala", unitIds: number[]) {
  const byUnit = new Map<number, { id: number; firstName: string | null; programId: number | null }[]>();
  const memberships = await db.membership.findMany({
    where: { role, unitId: { in: unitIds }, person: { blockedAt: null } },
    select: { unitId: true, programId: true, person: { select: { id: true, firstName: true } } },
  });
  for (const m of memberships) {
    if (m.unitId === null) continue;
    byUnit.set(m.unitId, [...(byUnit.get(m.unitId) ?? []), { ...m.person, programId: m.programId }]);
  }
  const of = (step: Pick<Candidate, "unit" | "program">) => {
    const people = (byUnit.get(step.unit.id) ?? []).filter((p) => coversProgram(p, step.program.id));
    return [...new Map(people.map((p) => [p.id, { id: p.id, firstName: p.firstName }])).values()];
  };
  return { of };
}

/** Keys looked up at a time (well under both databases' limits on bound parameters). */
const keyChunk = 5_000;

async function notYetPlanned<T extends { key: string }>(db: Prisma, owed: T[]): Promise<T[]> {
  const known = new Set<string>();
  for (let i = 0; i < owed.length; i += keyChunk) {
    const keys = owed.slice(i, i + keyChunk).map((r) => r.key);
    for (const d of await db.delivery.findMany({ where: { key: { in: keys } }, select: { key: true } })) known.add(d.key);
  }
  return owed.filter((r) => !known.has(r.key));
}

/** What one pass owes and has not put into the outbox yet. */
export interface PassPlan {
  reminders: PlannedReminder[];
  escalations: PlannedEscalation[];
}

/**
 * Everything owed at `now` and not yet in the outbox, from one read of the open steps:
 *
 * - Reminders, soonest due first: for every open step, the slot its program's rules give at
 *   this moment in its region's time zone (see `currentSlot`), for every focal point of its
 *   unit who has not blocked the bot.
 * - Escalations. A step overdue whose unit has not reported since its deadline passed is told
 *   to the heads of the unit `escalateHeadAfterDays` after the first overdue day, and to the
 *   program's coordinators (of all regions, or of the step's region) `escalateCoordAfterDays`
 *   later; each once per step and person, at the program's send hour (on a working day when
 *   the program keeps to working days), never in quiet hours, and no longer once the overdue
 *   reminders have run out for a while.
 */
export async function planPass(db: Prisma, now: Date): Promise<PassPlan> {
  const steps = await candidateSteps(db, now);
  if (steps.length === 0) return { reminders: [], escalations: [] };
  const unitIds = [...new Set(steps.map((s) => s.unit.id))];
  const pics = await peopleByUnit(db, "pic", unitIds);
  const todayIn = memo((tz: string) => localDate(now, tz));
  const rulesOfProgram = memo((id: number) => rulesOf(steps.find((s) => s.program.id === id)!.program));
  // Views are made only for what is owed: most open steps are owed nothing at a given moment.
  const views = new Map<number, MilestoneView>();
  const viewOf = ({ row, unit }: Candidate) => {
    let view = views.get(row.id);
    if (!view) views.set(row.id, (view = toView(row, now, todayIn(unit.region.timezone))));
    return view;
  };

  const reminders: (Omit<PlannedReminder, "milestone"> & { step: Candidate })[] = [];
  for (const step of steps) {
    const people = pics.of(step);
    if (people.length === 0) continue;
    const slot = currentSlot(step.row.dueDate, rulesOfProgram(step.program.id), step.unit.region.timezone, now);
    if (!slot) continue;
    for (const person of people) {
      reminders.push({ key: `${slot.kind}:${step.row.id}:${person.id}:${slot.date}`, personId: person.id, personName: person.firstName ?? "", slot, step });
    }
  }
  const escalations = await owedEscalations(db, now, steps, todayIn, rulesOfProgram);
  return {
    reminders: (await notYetPlanned(db, reminders)).map(({ step, ...r }) => ({ ...r, milestone: viewOf(step) })),
    escalations: (await notYetPlanned(db, escalations)).map(({ step, ...e }) => ({ ...e, milestone: viewOf(step) })),
  };
}

/** A function remembering its answer for each argument (for one pass). */
function memo<K, V>(compute: (key: K) => V): (key: K) => V {
  const known = new Map<K, V>();
  return (key) => {
    if (!known.has(key)) known.set(key, compute(key));
    return known.get(key)!;
  };
}

async function owedEscalations(
  db: Prisma,
  now: Date,
  candidates: Candidate[],
  todayIn: (tz: string) => CalendarDate,
  rulesOfProgram: (id: number) => ReminderRules,
): Promise<(Omit<PlannedEscalation, "milestone"> & { step: Candidate })[]> {
  const steps = candidates.filter((s) => s.program.escalationEnabled && s.row.dueDate < todayIn(s.unit.region.timezone));
  if (steps.length === 0) return [];
  const heads = await peopleByUnit(db, "kepala", [...new Set(steps.map((s) => s.unit.id))]);
  const coordinators = await db.membership.findMany({
    where: { role: "koordinator", programId: { in: [...new Set(steps.map((s) => s.program.id))] }, person: { blockedAt: null } },
    select: { programId: true, regionId: true, person: { select: { id: true, firstName: true } } },
  });
  const coordinatorsOf = memo((programAndRegion: string) => {
    const [programId, regionId] = programAndRegion.split(":").map(Number);
    const people = coordinators.filter((c) => c.programId === programId && (c.regionId === null || c.regionId === regionId)).map((c) => c.person);
    return [...new Map(people.map((p) => [p.id, p])).values()];
  });
  const quiet = memo((programAndZone: string) => {
    const [programId, tz] = programAndZone.split("|") as [string, string];
    return isQuietHour(now, tz, rulesOfProgram(Number(programId)));
  });
  // Where a due date's ladder stands, per program and zone: many steps share a due date.
  const ladderOf = memo((programZoneDue: string) => {
    const [programId, tz, dueDate] = programZoneDue.split("|") as [string, string, CalendarDate];
    const program = candidates.find((s) => s.program.id === Number(programId))!.program;
    const firstLateDay = addDays(dueDate, 1);
    const lastOverdue = addDays(firstLateDay, Math.max(1, program.overdueEveryDays) * Math.max(0, program.overdueMaxReminders - 1));
    const workingDay = (d: CalendarDate) => (program.workingDaysOnly ? nextWorkingDay(d) : d);
    const headDay = workingDay(addDays(firstLateDay, program.escalateHeadAfterDays));
    const coordDay = workingDay(addDays(headDay, program.escalateCoordAfterDays));
    const over = daysBetween(addDays(lastOverdue, program.escalateHeadAfterDays + program.escalateCoordAfterDays), todayIn(tz)) > 0;
    return {
      silentSince: zonedInstant(firstLateDay, 0, tz),
      head: over ? null : zonedInstant(headDay, program.sendHour, tz),
      coordinator: over ? null : zonedInstant(coordDay, program.sendHour, tz),
    };
  });

  const owed: (Omit<PlannedEscalation, "milestone"> & { step: Candidate })[] = [];
  for (const step of steps) {
    const { row, program, unit } = step;
    const tz = unit.region.timezone;
    if (quiet(`${program.id}|${tz}`)) continue;
    const ladder = ladderOf(`${program.id}|${tz}|${row.dueDate}`);
    // Anyone in the unit reporting after the deadline is not silence.
    if (row.lastReportAt && row.lastReportAt >= ladder.silentSince) continue;
    const rungs = [
      { kind: "escalation_head" as const, dueAt: ladder.head, people: heads.of(step) },
      { kind: "escalation_coord" as const, dueAt: ladder.coordinator, people: coordinatorsOf(`${program.id}:${unit.regionId}`) },
    ];
    for (const { kind, dueAt, people } of rungs) {
      if (!dueAt || dueAt > now) continue;
      for (const person of people) {
        owed.push({ key: `${kind}:${row.id}:${person.id}`, kind, personId: person.id, personName: person.firstName ?? "", dueAt, step });
      }
    }
  }
  return owed;
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
  const { reminders: planned, escalations } = await planPass(db, options.now);
  const nothing = { sent: 0, blocked: 0, failed: 0, retrying: 0, cancelled: 0, more: false };
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
