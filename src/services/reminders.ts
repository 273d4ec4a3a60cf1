import { sqlPart, type Prisma } from "../db/connection.js";
import { addDays, daysBetween, localDate, mainZone, zonedInstant, type CalendarDate } from "../domain/dates.js";
import { ladderDay, maxAwayDays, type AwayPeriod } from "../domain/leave.js";
import { currentSlot, escalationDays, isQuietHour, nextTurn, parseOffsets, type ReminderRules, type ReminderSlot } from "../domain/reminder-plan.js";
import { nextWorkingDay, type DaysOff } from "../domain/working-days.js";
import { cancelPending, dispatchOutbox, enqueue, type DispatchOptions, type DispatchResult, type NewDelivery } from "../outbox/index.js";
import { planDigests } from "./digests.js";
import { leavesByPerson, presenceFor, type Presence } from "./leave.js";
import { toView, type MilestoneView } from "./milestones.js";
import { programDaysOff } from "./program-holidays.js";
import { rulesOf } from "./program-rules.js";
import { coversProgram, coversRegion } from "./scope.js";
import { holdBack, type PendingReminder } from "./snooze.js";

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

/**
 * A coordinator's summary of the day of a program's units nobody is reminded in, owed instead
 * of escalating their steps one by one (once per coordinator, program and their local day).
 */
export interface PlannedSummary {
  key: string;
  personId: number;
  personName: string;
  programId: number;
  program: string;
  dueAt: Date;
}

type ProgramRow = Awaited<ReturnType<Prisma["program"]["findMany"]>>[number];

/** Days around today in which a step can be owed anything; leaves room for moved working days. */
const slack = 14;

/**
 * Open steps read and planned at a time. A pass holds one page of steps and what they owe, so
 * its memory is the same for a plan of 5,000 steps or of 500,000.
 */
const pageSize = 2_000;

/**
 * The due dates within which an open step can be owed a reminder or an escalation at `now`
 * under any of the programs' rules (on working days only, slots move past weekends and
 * holidays: seven calendar days for five), reaching `awayDays` further back when a unit's
 * people may have been away that long (their escalations wait as long, see `ladderDay`).
 */
export function candidateWindow(programs: ProgramRow[], now: Date, awayDays = 0): { from: CalendarDate; to: CalendarDate } {
  const lookAhead = Math.max(...programs.map((p) => Math.max(0, ...parseOffsets(p.reminderOffsets))));
  const lookBack = Math.max(
    ...programs.map(
      (p) =>
        (1 + Math.max(1, p.overdueEveryDays) * p.overdueMaxReminders + (p.escalationEnabled ? p.escalateHeadAfterDays + p.escalateCoordAfterDays : 0)) *
        (p.workingDaysOnly ? 1.4 : 1),
    ),
  );
  const today = now.toISOString().slice(0, 10);
  return { from: addDays(today, -Math.ceil(lookBack) - slack - awayDays), to: addDays(today, lookAhead + slack) };
}

type Someone = { id: number; firstName: string | null };

/**
 * A coordinator as escalations see them: their day is the one of their region (or, of a whole
 * program, region null, the zone most of its units are in).
 */
type Coordinator = Someone & { timezone: string; regionId: number | null };

/** A unit as planning sees it: its zone, and its focal points and heads who have not blocked the bot. */
interface Unit {
  id: number;
  regionId: number;
  timezone: string;
  /** With the program their seat is limited to (null: every program of the unit) and when they took it. */
  seats: Record<"pic" | "kepala", (Someone & { programId: number | null; since: Date })[]>;
  /** Who is there today for each program's steps (see `presenceOf`). */
  presence: Map<number, Presence>;
}

/** An open step as planning sees it: only what decides whether it is owed something, and to whom. */
interface Step {
  id: number;
  dueDate: CalendarDate;
  lastReportAt: Date | null;
  /** See `textHash`: the keys it owed when last put into the outbox. */
  plannedHash: bigint | number | null;
  /**
   * The plan versions of the step, its unit and its program (see `stillPlanned`), each read no
   * later than what the pass read of it: a change committed meanwhile leaves the step looked at again.
   */
  versions: [step: number, unit: number, program: number];
  unit: Unit;
  program: ProgramRow;
}

/** Who of the step's unit is there today (`today` in its zone) for its program (see `presenceFor`), once per unit and program. */
function presenceOf(step: Step, today: CalendarDate, leaves: Map<number, AwayPeriod[]>): Presence {
  let presence = step.unit.presence.get(step.program.id);
  if (!presence) step.unit.presence.set(step.program.id, (presence = presenceFor(step.unit.seats, step.program.id, step.unit.timezone, today, leaves)));
  return presence;
}

/**
 * When each client's first pass was (business time): marks made before it, by an earlier process
 * that may have run other code or holiday data, are not trusted, so a restart looks at every step
 * once, as a turn of the hours does.
 */
const firstPassOf = new WeakMap<Prisma, bigint>();

/**
 * A step the last pass to look at it left owing nothing new until after `now` (see `nextTurn`),
 * the step, its unit and its program unchanged since (their plan versions, counted by the
 * database's triggers whoever writes), marked by this client: a pass leaves it out, so a quiet
 * tick reads only what changed.
 */
function stillPlanned(db: Prisma, now: Date) {
  const at = BigInt(now.getTime());
  let since = firstPassOf.get(db);
  if (since === undefined) firstPassOf.set(db, (since = at));
  return sqlPart`(m."plannedFrom" >= ${since} AND m."plannedFrom" <= ${at} AND m."plannedUntil" > ${at} AND m."plannedStepVersion" = m."planVersion"
    AND m."plannedUnitVersion" = u."planVersion" AND m."plannedProgramVersion" = p."planVersion")`;
}

/**
 * The open steps due from `from` to `to` a pass looks at, at `now`: the range of the (status,
 * dueDate) index it rests on (the open statuses listed, so that the index serves it), less those
 * still planned.
 */
function candidates(db: Prisma, from: CalendarDate, to: CalendarDate, now: Date) {
  return sqlPart`
    FROM "Milestone" m JOIN "Initiative" i ON i."id" = m."initiativeId" JOIN "Unit" u ON u."id" = i."unitId" JOIN "Program" p ON p."id" = i."programId"
    WHERE m."status" IN ('not_started', 'in_progress', 'blocked') AND m."dueDate" >= ${from} AND m."dueDate" <= ${to} AND NOT ${stillPlanned(db, now)}`;
}

/** The steps a pass looks at in `window` (see `candidates`), counted per due date, soonest first. */
function countCandidates(db: Prisma, window: { from: CalendarDate; to: CalendarDate }, now: Date) {
  return db.$queryRaw<{ dueDate: CalendarDate; steps: bigint | number }[]>`
    SELECT m."dueDate", COUNT(*) AS "steps" ${candidates(db, window.from, window.to, now)} GROUP BY m."dueDate" ORDER BY m."dueDate"`;
}

/**
 * The open steps that may be owed a reminder or an escalation at `now`, a page at a time, soonest
 * due first. The steps per due date are counted first (`countCandidates`, from the (status,
 * dueDate) index), so that each page is one range of due dates read in one query and sorted
 * alone; a due date with more steps than a page is read in pages of its own. Units are read with
 * the first page that has them, once per pass: a plan has far fewer units and people than steps.
 */
async function* stepPages(
  db: Prisma,
  programs: ProgramRow[],
  unitVersions: Map<number, number>,
  perDay: Awaited<ReturnType<typeof countCandidates>>,
  now: Date,
): AsyncGenerator<Step[]> {
  const programById = new Map(programs.map((p) => [p.id, p]));
  const units = new Map<number, Unit>();
  for (let first = 0; first < perDay.length;) {
    let last = first;
    let steps = Number(perDay[first]!.steps);
    while (last + 1 < perDay.length && steps + Number(perDay[last + 1]!.steps) <= pageSize) steps += Number(perDay[++last]!.steps);
    const to = perDay[last]!.dueDate;
    let after = { dueDate: perDay[first]!.dueDate, id: 0 };
    for (;;) {
      const rows = await readSteps(db, after, to, now);
      await readUnits(db, [...new Set(rows.map((r) => r.unitId).filter((id) => !units.has(id)))], units);
      if (rows.length > 0) {
        yield rows.map(({ unitId, programId, stepVersion, ...row }) => {
          const program = programById.get(programId)!;
          // A unit made since the pass began: -1, looked at again next tick.
          return { ...row, versions: [stepVersion, unitVersions.get(unitId) ?? -1, program.planVersion], unit: units.get(unitId)!, program };
        });
      }
      if (rows.length < pageSize) break;
      after = rows.at(-1)!;
    }
    first = last + 1;
  }
}

/** Up to a page of the steps a pass looks at (see `candidates`) after `after` (in due date, then id order) and due by `to`. */
function readSteps(db: Prisma, after: { dueDate: CalendarDate; id: number }, to: CalendarDate, now: Date) {
  return db.$queryRaw<
    {
      id: number;
      dueDate: CalendarDate;
      lastReportAt: Date | null;
      plannedHash: bigint | number | null;
      unitId: number;
      programId: number;
      stepVersion: number;
    }[]
  >`
    SELECT m."id", m."dueDate", m."lastReportAt", m."plannedHash", i."unitId", i."programId", m."planVersion" AS "stepVersion"
    ${candidates(db, after.dueDate, to, now)} AND (m."dueDate" > ${after.dueDate} OR m."id" > ${after.id})
    ORDER BY m."dueDate", m."id"
    LIMIT ${pageSize}`;
}

/** Reads these units, with their zones and the focal points and heads who have not blocked the bot, into `units`. */
async function readUnits(db: Prisma, ids: number[], units: Map<number, Unit>): Promise<void> {
  if (ids.length === 0) return;
  const unitIds = jsonKeys(ids.map(String));
  const zones = await db.$queryRaw<{ id: number; regionId: number; timezone: string }[]>`
    SELECT u."id", u."regionId", r."timezone" FROM "Unit" u JOIN "Region" r ON r."id" = u."regionId"
    WHERE u."id" IN (SELECT CAST(j."key" AS INTEGER) FROM json_each(${unitIds}) AS j)`;
  for (const unit of zones) units.set(unit.id, { ...unit, seats: { pic: [], kepala: [] }, presence: new Map() });
  const seats = await db.$queryRaw<(Someone & { role: "pic" | "kepala"; unitId: number; programId: number | null; since: Date })[]>`
    SELECT mb."role", mb."unitId", mb."programId", mb."createdAt" AS "since", p."id", p."firstName"
    FROM "Membership" mb JOIN "Person" p ON p."id" = mb."personId"
    WHERE mb."role" IN ('pic', 'kepala') AND p."blockedAt" IS NULL
      AND mb."unitId" IN (SELECT CAST(j."key" AS INTEGER) FROM json_each(${unitIds}) AS j)
    ORDER BY mb."id"`;
  for (const { role, unitId, ...person } of seats) units.get(unitId)!.seats[role].push(person);
}

/**
 * Strings as the keys of one JSON object, which SQLite and PostgreSQL both read with json_each:
 * a set of any size as one query parameter (Prisma's `in` binds each value apart). The strings
 * are ids and delivery keys, which need no escaping.
 */
function jsonKeys(keys: string[]): string {
  return `{"${keys.join('":0,"')}":0}`;
}

/** The keys, of those given, that no delivery has yet: the database probes its unique index for each. */
async function newKeys(db: Prisma, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.$queryRaw<{ key: string }[]>`
    SELECT j."key" FROM json_each(${jsonKeys(keys)}) AS j WHERE NOT EXISTS (SELECT 1 FROM "Delivery" d WHERE d."key" = j."key")`;
  return new Set(rows.map((r) => r.key));
}

/** A reminder or an escalation owed, before the step's view is made (a real pass never needs it). */
type Owed<T> = Omit<T, "milestone"> & { step: Step };

/** What one page of open steps owes and the outbox does not hold yet. */
interface OwedPage {
  reminders: Owed<PlannedReminder>[];
  escalations: Owed<PlannedEscalation>[];
  /** Each once, however many of the page's steps owed it. */
  summaries: PlannedSummary[];
  /**
   * Every step of the page, with what to record once what it owes is in the outbox (see
   * `markPlanned`): the hash of its keys when they were checked (null: unchanged), until when it
   * owes nothing new, and the versions it was read at.
   */
  planned: Map<number, PlannedMark>;
}

interface PlannedMark {
  hash: number | null;
  until: Date;
  versions: Step["versions"];
}

/**
 * A 53-bit hash (cyrb53, public domain) of what a step owes, its delivery keys in short: equal to
 * the step's `plannedHash` when a pass already put exactly these keys into the outbox. A quiet
 * tick then skips the step without making its keys or asking the database about them, which was
 * most of its cost.
 */
function textHash(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** The ids of the people reminded, as one text; `presenceOf`'s lists are shared, so each is joined once. */
const idsOfPeople = new WeakMap<Someone[], string>();
function idsOf(people: Someone[]): string {
  let ids = idsOfPeople.get(people);
  if (ids === undefined) idsOfPeople.set(people, (ids = people.map((p) => p.id).join(",")));
  return ids;
}

/**
 * Everything owed at `now` and not yet in the outbox, a page of open steps at a time:
 *
 * - Reminders, soonest due first: for every open step, the slot its program's rules give at
 *   this moment in its region's time zone (see `currentSlot`), for every focal point of its
 *   unit who has not blocked the bot and is not away today; when all of them are away, for its
 *   heads who are there (see `presenceOf`).
 * - Escalations. A step overdue whose unit has not reported since its deadline passed is told
 *   to the heads of the unit `escalateHeadAfterDays` after the first overdue day, and to the
 *   program's coordinators (of all regions, or of the step's region) `escalateCoordAfterDays`
 *   later; each once per step and person, at the program's send hour (on a working day when
 *   the program keeps to working days), never in quiet hours, and no longer once the overdue
 *   reminders have run out for a while. Days on which nobody of the unit was there (all of its
 *   focal points and heads away) do not count (see `ladderDay`); a head away is not told.
 *   Coordinators are told of a step only if a focal point
 *   (who has not blocked the bot) held a seat for it when their day came: a step of a unit with
 *   nobody to remind owes each of them the program's summary of such units for their day
 *   instead, and one whose focal points all joined later owes them nothing more.
 *
 * Keys are made for everything owed and checked against the outbox at once; the owed items
 * themselves are made only for the new ones (most of a pass's are planned already).
 */
async function* owedPages(db: Prisma, now: Date): AsyncGenerator<OwedPage> {
  // The programs and the units' plan versions first, before anything else they cover is read.
  const programs = await db.program.findMany();
  if (programs.length === 0) return;
  const unitVersions = new Map((await db.unit.findMany({ select: { id: true, planVersion: true } })).map((u) => [u.id, u.planVersion]));
  // Leaves are few: those of the window are read once, and a long one widens the window as much.
  const leaves = await leavesByPerson(db, candidateWindow(programs, now).from);
  const longest = Math.max(0, ...[...leaves.values()].flat().map((l) => daysBetween(l.firstDay, l.lastDay) + 1));
  const window = candidateWindow(programs, now, Math.min(longest, maxAwayDays + 1));
  // A quiet tick ends here: no step to look at.
  const perDay = await countCandidates(db, window, now);
  if (perDay.length === 0) return;
  const todayIn = memo((tz: string) => localDate(now, tz));
  const rulesOfProgram = memo((id: number) => rulesOf(programs.find((p) => p.id === id)!));
  // A program's own days off differ by region: the rules a step is planned by are its program's in its region.
  const daysOffOf = await programDaysOff(db);
  const rulesIn = memo((programAndRegion: string) => {
    const [programId, regionId] = programAndRegion.split(":").map(Number) as [number, number];
    return { ...rulesOfProgram(programId), daysOff: daysOffOf(programId, regionId) };
  });
  const presence = (step: Step) => presenceOf(step, todayIn(step.unit.timezone), leaves);
  const coordinatorsOf = await coordinators(db, programs);
  const escalationsOf = escalationPlanner(now, todayIn, rulesOfProgram, daysOffOf, coordinatorsOf, presence);
  // A step owes nothing new before the next turn of the hours its unit's zone and, when it may be
  // escalated, its coordinators' zones go by.
  const untilOf = memo((programUnit: string) => {
    const [programId, regionId, tz] = programUnit.split("|") as [string, string, string];
    const program = programs.find((p) => p.id === Number(programId))!;
    const coordinatorZones = program.escalationEnabled ? coordinatorsOf(program.id, Number(regionId)).map((c) => c.timezone) : [];
    return nextTurn(now, [tz, ...coordinatorZones], rulesOfProgram(program.id));
  });
  for await (const steps of stepPages(db, programs, unitVersions, perDay, now)) {
    // Reminder i is for steps[at[i]], pics[i] and slots[i]: no object per reminder until it is new.
    const keys: string[] = [];
    const at: number[] = [];
    const pics: Someone[] = [];
    const slots: ReminderSlot[] = [];
    const escalations: Owed<PlannedEscalation>[] = [];
    const summaries = new Map<string, PlannedSummary>();
    const planned = new Map<number, PlannedMark>();
    steps.forEach((step, i) => {
      const mark: PlannedMark = { hash: null, until: untilOf(`${step.program.id}|${step.unit.regionId}|${step.unit.timezone}`), versions: step.versions };
      planned.set(step.id, mark);
      const stepEscalations: Owed<PlannedEscalation>[] = [];
      const stepSummaries: PlannedSummary[] = [];
      escalationsOf(step, stepEscalations, stepSummaries);
      const people = presence(step).reminded;
      const slot = people.length > 0 ? currentSlot(step.dueDate, rulesIn(`${step.program.id}:${step.unit.regionId}`), step.unit.timezone, now) : null;
      if (!slot && stepEscalations.length + stepSummaries.length === 0) return;
      // Every key the step owes is in its hash, its reminders' in short (the slot and the people
      // they go to): a summary's key names the day, so a new day is a change.
      const owes = [slot ? `${slot.key}@${idsOf(people)}` : "", ...stepEscalations.map((e) => e.key), ...stepSummaries.map((e) => e.key)];
      const hash = textHash(owes.join("\n"));
      if (step.plannedHash !== null && Number(step.plannedHash) === hash) return;
      mark.hash = hash;
      const stepKeys = slot ? people.map((person) => `${slot.kind}:${step.id}:${person.id}:${slot.date}`) : [];
      escalations.push(...stepEscalations);
      for (const summary of stepSummaries) if (!summaries.has(summary.key)) summaries.set(summary.key, summary);
      stepKeys.forEach((key, k) => {
        keys.push(key);
        at.push(i);
        pics.push(people[k]!);
        slots.push(slot!);
      });
    });
    const fresh = await newKeys(db, [...keys, ...escalations.map((e) => e.key), ...summaries.keys()]);
    const reminders: Owed<PlannedReminder>[] = [];
    keys.forEach((key, i) => {
      if (fresh.has(key)) reminders.push({ key, personId: pics[i]!.id, personName: pics[i]!.firstName ?? "", slot: slots[i]!, step: steps[at[i]!]! });
    });
    const page = {
      reminders,
      escalations: escalations.filter((e) => fresh.has(e.key)),
      summaries: [...summaries.values()].filter((e) => fresh.has(e.key)),
      planned,
    };
    yield page;
    // On SQLite every query completes without the event loop turning: between pages it does,
    // so that updates are answered during a long pass rather than after it.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** What one pass owes and has not put into the outbox yet. */
export interface PassPlan {
  reminders: PlannedReminder[];
  escalations: PlannedEscalation[];
  summaries: PlannedSummary[];
}

/**
 * Everything a pass would put into the outbox at `now` (see `owedPages`), listed with each step's
 * view: what a dry run shows. Its size is what is owed; a real pass holds one page of it.
 */
export async function planPass(db: Prisma, now: Date): Promise<PassPlan> {
  const plan: PassPlan = { reminders: [], escalations: [], summaries: [] };
  const todayIn = memo((tz: string) => localDate(now, tz));
  for await (const page of owedPages(db, now)) {
    const ids = [...new Set([...page.reminders, ...page.escalations].map((o) => o.step.id))];
    const views = new Map((await viewRows(db, ids)).map((row) => [row.id, toView(row, now, todayIn(row.initiative.unit.region.timezone))]));
    for (const { step, ...r } of page.reminders) plan.reminders.push({ ...r, milestone: views.get(step.id)! });
    for (const { step, ...e } of page.escalations) plan.escalations.push({ ...e, milestone: views.get(step.id)! });
    for (const summary of page.summaries) if (!plan.summaries.some((p) => p.key === summary.key)) plan.summaries.push(summary);
  }
  return plan;
}

/** What `toView` makes a step's view of, for these steps, in one query. */
async function viewRows(db: Prisma, ids: number[]): Promise<Parameters<typeof toView>[0][]> {
  if (ids.length === 0) return [];
  const rows = await db.$queryRaw<
    {
      id: number;
      title: string;
      dueDate: CalendarDate;
      weight: number;
      progress: number;
      status: string;
      lastReportAt: Date | null;
      initiativeId: number;
      initiative: string;
      origin: string | null;
      programId: number;
      program: string;
      unitId: number;
      unit: string;
      code: string;
      regionId: number;
      region: string;
      timezone: string;
    }[]
  >`
    SELECT m."id", m."title", m."dueDate", m."weight", m."progress", m."status", m."lastReportAt", i."id" AS "initiativeId", i."name" AS "initiative",
      i."origin", p."id" AS "programId", p."name" AS "program", u."id" AS "unitId", u."name" AS "unit", u."code", r."id" AS "regionId", r."name" AS "region", r."timezone"
    FROM "Milestone" m
    JOIN "Initiative" i ON i."id" = m."initiativeId"
    JOIN "Program" p ON p."id" = i."programId"
    JOIN "Unit" u ON u."id" = i."unitId"
    JOIN "Region" r ON r."id" = u."regionId"
    WHERE m."id" IN (SELECT CAST(j."key" AS INTEGER) FROM json_each(${jsonKeys(ids.map(String))}) AS j)`;
  return rows.map((r) => ({
    ...r,
    initiative: {
      id: r.initiativeId,
      name: r.initiative,
      origin: r.origin,
      program: { id: r.programId, name: r.program },
      unit: { id: r.unitId, name: r.unit, code: r.code, region: { id: r.regionId, name: r.region, timezone: r.timezone } },
    },
  }));
}

/** A function remembering its answer for each argument (for one pass). */
function memo<K, V>(compute: (key: K) => V): (key: K) => V {
  const known = new Map<K, V>();
  return (key) => {
    if (!known.has(key)) known.set(key, compute(key));
    return known.get(key)!;
  };
}

/**
 * The coordinators escalations go to, who have not blocked the bot: `of` gives those of a program
 * (of all its regions, or of the step's region), each once, with the time zone of their day (their
 * region's; for a whole program, the zone most of its units are in). Read once per pass: they are few.
 */
async function coordinators(db: Prisma, programs: ProgramRow[]): Promise<(programId: number, regionId: number) => Coordinator[]> {
  const escalating = programs.filter((p) => p.escalationEnabled).map((p) => p.id);
  const seats = escalating.length
    ? await db.membership.findMany({
        where: { role: "koordinator", programId: { in: escalating }, person: { blockedAt: null } },
        select: { programId: true, regionId: true, region: { select: { timezone: true } }, person: { select: { id: true, firstName: true } } },
        orderBy: { id: "asc" },
      })
    : [];
  // A coordinator of a whole program counts their day in the zone most of its units are in.
  const wholePrograms = [...new Set(seats.filter((c) => c.region === null).map((c) => c.programId!))];
  const taking = wholePrograms.length
    ? await db.initiative.findMany({
        where: { programId: { in: wholePrograms } },
        select: { programId: true, unit: { select: { region: { select: { timezone: true } } } } },
        distinct: ["programId", "unitId"],
      })
    : [];
  const programZone = new Map(wholePrograms.map((id) => [id, mainZone(taking.filter((i) => i.programId === id).map((i) => i.unit.region.timezone))]));
  const of = memo((programAndRegion: string) => {
    const [programId, regionId] = programAndRegion.split(":").map(Number);
    const people = seats
      .filter((c) => c.programId === programId && coversRegion(c, regionId))
      .map((c) => ({ ...c.person, timezone: c.region?.timezone ?? programZone.get(programId!)!, regionId: c.regionId }));
    // Each once; one who holds the whole program's seat too counts their day as its coordinator (as digests do).
    const once = new Map<number, Coordinator>();
    for (const p of people) if (!once.has(p.id) || p.regionId === null) once.set(p.id, p);
    return [...once.values()];
  });
  return (programId, regionId) => of(`${programId}:${regionId}`);
}

/** Where a due date's escalation ladder stands in one program and zone: silence counts from `silentSince`. */
interface Ladder {
  silentSince: Date;
  head: Date | null;
  coordinator: Date | null;
}

/** The escalations one open step owes (see `owedPages`), added to `owed`, and the summaries it owes, to `summaries`. */
function escalationPlanner(
  now: Date,
  todayIn: (tz: string) => CalendarDate,
  rulesOfProgram: (id: number) => ReminderRules,
  daysOffOf: (programId: number, regionId: number | null) => DaysOff,
  coordinatorsOf: (programId: number, regionId: number) => Coordinator[],
  presenceOf: (step: Step) => Presence,
) {
  const quiet = memo((programAndZone: string) => {
    const [programId, tz] = programAndZone.split("|") as [string, string];
    return isQuietHour(now, tz, rulesOfProgram(Number(programId)));
  });
  // Many steps share a due date: its ladder is worked out once per program, zone and the days off
  // that apply (most regions share none), and each moment once (time-zone conversion is costly);
  // a unit whose people have been away has ladders of its own.
  const ladders = new Map<DaysOff, Map<string, Ladder>>();
  const never = () => false;
  const instants = new Map<string, Date>();
  const instant = (date: CalendarDate, hour: number, tz: string) => {
    const key = `${date}|${hour}|${tz}`;
    let at = instants.get(key);
    if (!at) instants.set(key, (at = zonedInstant(date, hour, tz)));
    return at;
  };
  const ladderOf = (program: ProgramRow, step: Step, absent: Presence["absent"]): Ladder => {
    const { regionId, timezone: tz } = step.unit;
    const dueDate = step.dueDate;
    const daysOff = daysOffOf(program.id, regionId);
    let known = ladders.get(daysOff);
    if (!known) ladders.set(daysOff, (known = new Map()));
    const key = `${program.id}|${tz}|${dueDate}${absent ? `|${step.unit.id}` : ""}`;
    let ladder = known.get(key);
    if (ladder) return ladder;
    const away = absent ?? never;
    const firstLateDay = addDays(dueDate, 1);
    const lastOverdue = addDays(firstLateDay, Math.max(1, program.overdueEveryDays) * Math.max(0, program.overdueMaxReminders - 1));
    const { head: headDay, coordinator: coordDay } = escalationDays(dueDate, program, daysOff, away);
    const over =
      daysBetween(
        ladderDay(lastOverdue, program.escalateHeadAfterDays + program.escalateCoordAfterDays, away, (d) => d),
        todayIn(tz),
      ) > 0;
    ladder = {
      silentSince: instant(firstLateDay, 0, tz),
      head: over ? null : instant(headDay, program.sendHour, tz),
      coordinator: over ? null : instant(coordDay, program.sendHour, tz),
    };
    known.set(key, ladder);
    return ladder;
  };

  /**
   * A coordinator's summary of units nobody is reminded in, for their day: due at the program's
   * send hour in their zone (with this day's escalations), on working days when the program
   * keeps to them (its own days off too: their region's, or the whole program's), never in their
   * quiet hours.
   */
  const summaryOf = (program: ProgramRow, coordinator: Coordinator): PlannedSummary | null => {
    const tz = coordinator.timezone;
    const day = todayIn(tz);
    const dueAt = zonedInstant(day, program.sendHour, tz);
    if (dueAt > now || quiet(`${program.id}|${tz}`) || (program.workingDaysOnly && nextWorkingDay(day, daysOffOf(program.id, coordinator.regionId)) !== day))
      return null;
    const key = `escalation_unreached:${program.id}:${coordinator.id}:${day}`;
    return { key, personId: coordinator.id, personName: coordinator.firstName ?? "", programId: program.id, program: program.name, dueAt };
  };

  return (step: Step, owed: Owed<PlannedEscalation>[], summaries: PlannedSummary[]): void => {
    const { program } = step;
    const tz = step.unit.timezone;
    if (!program.escalationEnabled || step.dueDate >= todayIn(tz) || quiet(`${program.id}|${tz}`)) return;
    const presence = presenceOf(step);
    const ladder = ladderOf(program, step, presence.absent);
    // Anyone in the unit reporting after the deadline is not silence.
    if (step.lastReportAt && step.lastReportAt >= ladder.silentSince) return;
    if (ladder.head && ladder.head <= now) {
      // A head away is told when back, should the step still be silent then.
      for (const person of presence.heads) owed.push(escalation("escalation_head", person, ladder.head, step));
    }
    if (ladder.coordinator && ladder.coordinator <= now) {
      // Coordinators are told of a step only when a focal point was there to be reminded of it;
      // a unit with nobody is in their summary of the day, and one whose focal points all came
      // later was in it then (its new focal points are reminded: it is not told again).
      const pics = step.unit.seats.pic.filter((p) => coversProgram(p, program.id));
      const reminded = pics.some((p) => p.since <= ladder.coordinator!);
      for (const person of coordinatorsOf(program.id, step.unit.regionId)) {
        if (reminded) owed.push(escalation("escalation_coord", person, ladder.coordinator, step));
        else if (pics.length === 0) {
          const summary = summaryOf(program, person);
          if (summary) summaries.push(summary);
        }
      }
    }
  };
}

function escalation(kind: PlannedEscalation["kind"], person: Someone, dueAt: Date, step: Step): Owed<PlannedEscalation> {
  return { key: `${kind}:${step.id}:${person.id}`, kind, personId: person.id, personName: person.firstName ?? "", dueAt, step };
}

/**
 * Puts a page's reminders into the outbox; returns how many were new. A pending reminder of an
 * earlier slot of the same step and person (not sent yet, e.g. after downtime or failures) is
 * superseded by the new one; one due no later than the person's snooze of the step (pending, or
 * sent) is held back by it (services/snooze.ts), and not counted.
 */
async function enqueueReminders(db: Prisma, planned: Owed<PlannedReminder>[]): Promise<number> {
  const latest = new Map(planned.map((r) => [`${r.step.id}:${r.personId}`, r.slot.at]));
  const milestoneIds = [...new Set(planned.map((r) => r.step.id))];
  const standing: PendingReminder[] = [];
  for (let i = 0; i < milestoneIds.length; i += 500) {
    const pending = await db.delivery.findMany({
      where: { status: "pending", kind: { in: ["reminder", "overdue"] }, milestoneId: { in: milestoneIds.slice(i, i + 500) } },
      select: { id: true, key: true, milestoneId: true, personId: true, dueAt: true },
    });
    const superseded = pending.filter((d) => {
      const at = latest.get(`${d.milestoneId}:${d.personId}`);
      return at !== undefined && d.dueAt < at;
    });
    if (superseded.length) {
      await cancelPending(db, { id: { in: superseded.map((d) => d.id) } });
    }
    const gone = new Set(superseded);
    standing.push(...pending.filter((d) => !gone.has(d)));
  }
  const { hold, settle } = holdBack(standing);
  const rows = planned.map((r) => hold({ key: r.key, kind: r.slot.kind, personId: r.personId, milestoneId: r.step.id, dueAt: r.slot.at }));
  // Only the rows put in pending are planned; those held back by a snooze are the snooze's.
  const queued = await enqueue(
    db,
    rows.filter((r) => r.status !== "cancelled"),
  );
  await enqueue(
    db,
    rows.filter((r) => r.status === "cancelled"),
  );
  return queued + (await settle(db));
}

/**
 * Records, once a page's messages are in the outbox, what each of its steps was found to owe at
 * `now` (see `PlannedMark` and `stillPlanned`). Written after them: a pass cut short between the
 * two only looks at those steps again. The versions are those read before the data: a change
 * committed meanwhile has counted them up, so the next pass looks at the step again.
 */
async function markPlanned(db: Prisma, now: Date, marks: Map<number, PlannedMark>): Promise<void> {
  if (marks.size === 0) return;
  // Each mark as a JSON array of numbers (exact below 2^53), its items read back by both databases
  // with ->> (the hash null when unchanged).
  const json = JSON.stringify(Object.fromEntries([...marks].map(([id, m]) => [id, [m.hash, m.until.getTime(), ...m.versions]])));
  await db.$executeRaw`
    UPDATE "Milestone" SET "plannedHash" = COALESCE(CAST(j."value" ->> 0 AS BIGINT), "plannedHash"), "plannedFrom" = ${BigInt(now.getTime())},
      "plannedUntil" = CAST(j."value" ->> 1 AS BIGINT), "plannedStepVersion" = CAST(j."value" ->> 2 AS INTEGER),
      "plannedUnitVersion" = CAST(j."value" ->> 3 AS INTEGER), "plannedProgramVersion" = CAST(j."value" ->> 4 AS INTEGER)
    FROM json_each(${json}) AS j WHERE "Milestone"."id" = CAST(j."key" AS INTEGER)`;
}

export interface PassResult extends DispatchResult {
  /** Reminders this pass put into the outbox. */
  planned: number;
  /** Escalations (and coordinators' summaries of units nobody is reminded in) this pass put into the outbox. */
  escalations: number;
  /** Weekly digests this pass put into the outbox (see services/digests.ts). */
  digests: number;
}

/**
 * One reminder pass: puts the reminders and escalations owed at `now` into the outbox, a page
 * of open steps at a time, then sends everything due there (including broadcasts and nudges
 * queued earlier). A second pass, a restart or a second process plans nothing twice: every
 * message has a unique key. `planPass` lists what a pass would plan, without planning it.
 * The weekly digests owed (services/digests.ts) are planned after the steps, before sending.
 */
export async function runReminderPass(db: Prisma, options: DispatchOptions): Promise<PassResult> {
  let planned = 0;
  let escalations = 0;
  for await (const page of owedPages(db, options.now)) {
    planned += await enqueueReminders(db, page.reminders);
    escalations += await enqueue(db, [
      ...page.escalations.map((e): NewDelivery => ({ key: e.key, kind: e.kind, personId: e.personId, milestoneId: e.step.id, dueAt: e.dueAt })),
      ...page.summaries.map((e): NewDelivery => ({
        key: e.key,
        kind: "escalation_unreached",
        personId: e.personId,
        programId: e.programId,
        dueAt: e.dueAt,
      })),
    ]);
    await markPlanned(db, options.now, page.planned);
  }
  const digests = await planDigests(db, options.now);
  return { planned, escalations, digests, ...(await dispatchOutbox(db, options)) };
}

/** The reminder a focal point replies to: the steps it listed (one, or several when merged). */
export async function deliveriesForMessage(db: Prisma, chatId: number, messageId: number) {
  return db.delivery.findMany({
    where: { chatId: BigInt(chatId), messageId, milestoneId: { not: null }, kind: { in: ["reminder", "overdue", "nudge"] } },
    orderBy: { id: "asc" },
  });
}
