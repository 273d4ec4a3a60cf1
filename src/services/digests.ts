import type { Prisma } from "../db/connection.js";
import { localDate, mainZone, type CalendarDate } from "../domain/dates.js";
import { digestOpeningHour, digestSlot, digestWindow, type DigestSlot } from "../domain/digest-plan.js";
import { countSteps, isOverdue, silenceSince, silentAfterDays, silentSince, type StepCounts } from "../domain/progress.js";
import type { MilestoneStatus } from "../domain/statuses.js";
import { personName } from "../domain/text.js";
import { enqueue } from "../outbox/index.js";
import { audit, type AuditActor } from "./audit.js";
import { audienceUnits } from "./broadcasts.js";
import { visibleMilestones, type MilestoneView } from "./milestones.js";
import { findPerson, type Person } from "./people.js";
import { rulesOf } from "./program-rules.js";
import { recap, type ProgramRecap } from "./recap.js";
import { coversProgram, programGrants, scopeOf, unitMembersFilter, type Grant, type ProgramGrant } from "./scope.js";

// Weekly digests: once a week, on the program's day and hour in the recipient's time zone, a
// head of unit gets their unit's week and a coordinator their program's (their region's), one
// outbox message each, keyed `digest:<program>:<person>:<local digest date>` so that passes,
// restarts and instances send it once. Planned by the reminder pass, composed when sent.

/** A digest owed and not yet in the outbox. */
export interface OwedDigest {
  key: string;
  level: "head" | "coordinator";
  personId: number;
  personName: string;
  programId: number;
  programName: string;
  dueAt: Date;
}

type ProgramRow = Awaited<ReturnType<Prisma["program"]["findMany"]>>[number];

/**
 * The digests owed at `now` and not yet in the outbox: for every program with digests on, each
 * coordinator (in their region's zone, or the program's main zone) and each head of a unit taking
 * part (in the unit's zone) who has not switched digests off nor blocked the bot, when their
 * zone's digest slot is open (see `digestSlot`). Someone both coordinator and head in a program
 * gets the coordinator's digest, which covers their unit.
 */
export async function owedDigests(db: Prisma, now: Date): Promise<OwedDigest[]> {
  const slots = new Map<string, DigestSlot | null>();
  const slotOf = (program: ProgramRow, tz: string) => {
    const key = `${program.id}|${tz}`;
    if (!slots.has(key)) slots.set(key, digestSlot(rulesOf(program), tz, now));
    return slots.get(key)!;
  };
  // Most passes fall on no program's digest day in any zone: then nothing more is read.
  const zones = [...new Set((await db.region.findMany({ select: { timezone: true } })).map((r) => r.timezone))];
  const programs = (await db.program.findMany({ where: { digestEnabled: true } })).filter((p) => zones.some((tz) => slotOf(p, tz)));
  if (programs.length === 0) return [];
  const taking = await db.initiative.findMany({
    where: { programId: { in: programs.map((p) => p.id) } },
    select: { programId: true, unitId: true, unit: { select: { region: { select: { timezone: true } } } } },
    distinct: ["programId", "unitId"],
  });
  const seats = await db.membership.findMany({
    where: { role: { in: ["kepala", "koordinator"] }, person: { blockedAt: null, weeklyDigest: true } },
    select: {
      role: true,
      unitId: true,
      programId: true,
      regionId: true,
      region: { select: { timezone: true } },
      person: { select: { id: true, firstName: true } },
    },
    orderBy: { id: "asc" },
  });
  const owed: OwedDigest[] = [];
  for (const program of programs) {
    const units = new Map(taking.filter((i) => i.programId === program.id).map((i) => [i.unitId, i.unit.region.timezone]));
    const zone = mainZone([...units.values()]);
    if (zone === undefined) continue;
    const recipients = new Map<number, { level: OwedDigest["level"]; tz: string; name: string }>();
    for (const seat of seats.filter((s) => s.role === "koordinator" && s.programId === program.id)) {
      const known = recipients.get(seat.person.id);
      // A seat of the whole program reads it in the program's zone, whatever regions they also hold.
      if (known && seat.regionId !== null) continue;
      recipients.set(seat.person.id, { level: "coordinator", tz: seat.region?.timezone ?? zone, name: seat.person.firstName ?? "" });
    }
    for (const seat of seats.filter((s) => s.role === "kepala" && s.unitId !== null && units.has(s.unitId) && coversProgram(s, program.id))) {
      if (!recipients.has(seat.person.id)) recipients.set(seat.person.id, { level: "head", tz: units.get(seat.unitId!)!, name: seat.person.firstName ?? "" });
    }
    for (const [personId, { level, tz, name }] of recipients) {
      const slot = slotOf(program, tz);
      if (!slot) continue;
      owed.push({
        key: `digest:${program.id}:${personId}:${slot.date}`,
        level,
        personId,
        personName: name,
        programId: program.id,
        programName: program.name,
        dueAt: slot.at,
      });
    }
  }
  const known = new Set<string>();
  for (let i = 0; i < owed.length; i += 500) {
    const rows = await db.delivery.findMany({ where: { key: { in: owed.slice(i, i + 500).map((d) => d.key) } }, select: { key: true } });
    for (const row of rows) known.add(row.key);
  }
  return owed.filter((d) => !known.has(d.key));
}

/** Puts the digests owed at `now` into the outbox; returns how many were new. */
export async function planDigests(db: Prisma, now: Date): Promise<number> {
  const owed = await owedDigests(db, now);
  return enqueue(
    db,
    owed.map((d) => ({ key: d.key, kind: "digest" as const, personId: d.personId, programId: d.programId, dueAt: d.dueAt })),
  );
}

/** When a program's digest comes, as its footer and /ringkasan say. */
export interface DigestSchedule {
  programId: number;
  programName: string;
  enabled: boolean;
  /** ISO weekday. */
  weekday: number;
  /** Local hour it opens at. */
  hour: number;
}

function scheduleOf(program: ProgramRow): DigestSchedule {
  const rules = rulesOf(program);
  return { programId: program.id, programName: program.name, enabled: rules.digestEnabled, weekday: rules.digestWeekday, hour: digestOpeningHour(rules) };
}

/** A report of the week, as a head's digest lists it. */
export interface WeekReport {
  title: string;
  percent: number;
  status: MilestoneStatus;
  at: Date;
  by: string | null;
}

/** A focal point of a unit who has not reported for `silentAfterDays` days (or ever). */
export interface SilentFocalPoint {
  name: string;
  lastReportAt: Date | null;
  blocked: boolean;
}

/** One unit's week, for its head. */
export interface UnitWeek {
  name: string;
  region: string;
  timezone: string;
  /** Newest first. */
  reported: WeekReport[];
  /** Open steps due from today to `digestDueWithinDays` days ahead, soonest first. */
  dueSoon: MilestoneView[];
  /** Overdue steps, most late first. */
  late: MilestoneView[];
  focalPoints: number;
  silentFocalPoints: SilentFocalPoint[];
}

/** What a digest tells, for the bot layer to word: a head's units, or a coordinator's program. */
export type Digest = {
  schedule: DigestSchedule;
  /** Local dates of the week it covers (reports from the first on). */
  week: { from: CalendarDate; to: CalendarDate };
  silentDays: number;
} & (
  | { level: "head"; units: UnitWeek[] }
  | {
      level: "coordinator";
      /** The regions the coordinator is limited to; null: the whole program. */
      regions: string[] | null;
      recap: ProgramRecap;
      steps: StepCounts;
      /** Reports in the week, and the units they came from. */
      reports: { count: number; units: number };
      /** Units with open steps and no report for `silentDays` days (a broadcast's "silent" audience), by region and name. */
      silentUnits: { name: string; region: string }[];
    }
);

/**
 * The digest a row planned for `dueAt` makes at `now`, from the recipient's seats as they are
 * then: the coordinator's when they coordinate the program, else the head's of their units in
 * it. Null when nothing is owed any more (the seat gone, digests switched off by the person or
 * the program, nothing in the program for them to see): the outbox then cancels the row.
 */
export async function digestFor(db: Prisma, row: { personId: number; programId: number; dueAt: Date }, now: Date): Promise<Digest | null> {
  const [program, stored] = await Promise.all([
    db.program.findUnique({ where: { id: row.programId } }),
    db.person.findUnique({ where: { id: row.personId }, select: { telegramId: true, weeklyDigest: true } }),
  ]);
  if (!program?.digestEnabled || !stored?.weeklyDigest) return null;
  const person = await findPerson(db, Number(stored.telegramId));
  if (!person) return null;
  const schedule = scheduleOf(program);
  const coordinates = programGrants(scopeOf(person, "koordinator")).filter((g) => g.programId === program.id);
  if (coordinates.length > 0) return coordinatorDigest(db, coordinates, schedule, row.dueAt, now);
  const heads = scopeOf(person, "kepala").filter((g) => g.kind === "unit" && coversProgram(g, program.id));
  return heads.length > 0 ? headDigest(db, heads, schedule, row.dueAt, now) : null;
}

async function coordinatorDigest(db: Prisma, grants: ProgramGrant[], schedule: DigestSchedule, dueAt: Date, now: Date): Promise<Digest | null> {
  const program = (await recap(db, grants, now))[0];
  if (!program) return null;
  const steps = program.units.flatMap((u) => u.initiatives.flatMap((i) => i.milestones));
  const whole = grants.some((g) => g.regionId === null);
  const regionIds = whole ? null : grants.map((g) => g.regionId!);
  const window = digestWindow(dueAt, program.today);
  const reports = await db.progressReport.findMany({
    where: {
      undoneAt: null,
      createdAt: { gte: window.reportsSince, lte: now },
      milestone: { initiative: { programId: program.id, ...(regionIds ? { unit: { regionId: { in: regionIds } } } : {}) } },
    },
    select: { milestone: { select: { initiative: { select: { unitId: true } } } } },
  });
  const silent = await audienceUnits(db, { id: program.id, name: program.name, regionIds }, { kind: "silent", days: silentAfterDays }, now);
  return {
    level: "coordinator",
    schedule,
    week: { from: localDate(window.reportsSince, steps[0]!.region.timezone), to: program.today },
    silentDays: silentAfterDays,
    regions: whole ? null : program.regions.map((r) => r.name),
    recap: program,
    steps: countSteps(steps),
    reports: { count: reports.length, units: new Set(reports.map((r) => r.milestone.initiative.unitId)).size },
    silentUnits: silent.map((u) => ({ name: u.name, region: u.region })),
  };
}

async function headDigest(db: Prisma, grants: Grant[], schedule: DigestSchedule, dueAt: Date, now: Date): Promise<Digest | null> {
  const programId = schedule.programId;
  const steps = (await visibleMilestones(db, grants, now)).filter((m) => m.program.id === programId);
  if (steps.length === 0) return null;
  const unitIds = [...new Set(steps.map((m) => m.unit.id))];
  const reportsSince = digestWindow(dueAt, steps[0]!.today).reportsSince;
  const [reports, pics] = await Promise.all([
    db.progressReport.findMany({
      where: { undoneAt: null, createdAt: { gte: reportsSince, lte: now }, milestone: { initiative: { programId, unitId: { in: unitIds } } } },
      select: {
        percent: true,
        status: true,
        createdAt: true,
        person: { select: { firstName: true, lastName: true, username: true } },
        milestone: { select: { title: true, initiative: { select: { unitId: true } } } },
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    }),
    db.membership.findMany({ where: unitMembersFilter(["pic"], unitIds, [programId]), include: { person: true }, orderBy: { id: "asc" } }),
  ]);
  const units: UnitWeek[] = [];
  for (const unitId of unitIds) {
    const own = steps.filter((m) => m.unit.id === unitId);
    const first = own[0]!;
    const { dueUntil } = digestWindow(dueAt, first.today);
    const unitPics = [...new Map(pics.filter((p) => p.unitId === unitId).map((p) => [p.personId, p.person])).values()];
    const last =
      unitPics.length === 0
        ? []
        : await db.progressReport.groupBy({
            by: ["personId"],
            where: { personId: { in: unitPics.map((p) => p.id) }, undoneAt: null, milestone: { initiative: { programId, unitId } } },
            _max: { createdAt: true },
          });
    const lastOf = new Map(last.map((r) => [r.personId, r._max.createdAt]));
    units.push({
      name: first.unit.name,
      region: first.region.name,
      timezone: first.region.timezone,
      reported: reports
        .filter((r) => r.milestone.initiative.unitId === unitId)
        .map((r) => ({
          title: r.milestone.title,
          percent: r.percent,
          status: r.status as MilestoneStatus,
          at: r.createdAt,
          by: r.person ? personName(r.person) : null,
        })),
      dueSoon: own.filter((m) => m.status !== "done" && m.dueDate >= m.today && m.dueDate <= dueUntil),
      late: own.filter((m) => isOverdue(m, m.today)).sort((a, b) => b.daysLate - a.daysLate),
      focalPoints: unitPics.length,
      silentFocalPoints: unitPics
        .map((p) => ({ name: personName(p) ?? `#${p.telegramId}`, lastReportAt: lastOf.get(p.id) ?? null, blocked: p.blockedAt !== null }))
        .filter((p) => silentSince(p.lastReportAt, silenceSince(now, silentAfterDays))),
    });
  }
  units.sort((a, b) => a.name.localeCompare(b.name));
  const first = steps[0]!;
  return {
    level: "head",
    schedule,
    week: { from: localDate(reportsSince, first.region.timezone), to: first.today },
    silentDays: silentAfterDays,
    units,
  };
}

/** The person's digest switch and the programs whose digests their seats bring them. */
export interface DigestSettings {
  on: boolean;
  programs: DigestSchedule[];
}

/** Whether the person gets weekly digests, and of which programs (as head or coordinator), by name. */
export async function digestSettings(db: Prisma, person: Person): Promise<DigestSettings> {
  const stored = await db.person.findUniqueOrThrow({ where: { id: person.id }, select: { weeklyDigest: true } });
  const coordinated = programGrants(scopeOf(person, "koordinator")).map((g) => g.programId);
  const headed = scopeOf(person, "kepala").flatMap((g) => (g.kind === "unit" ? [g] : []));
  const programs = await db.program.findMany({
    where: {
      OR: [
        { id: { in: coordinated } },
        ...headed.map((g) => ({ initiatives: { some: { unitId: g.unitId } }, ...(g.programId !== null ? { id: g.programId } : {}) })),
      ],
    },
    orderBy: { name: "asc" },
  });
  return { on: stored.weeklyDigest, programs: programs.map(scheduleOf) };
}

/**
 * Switches the person's weekly digests on or off (every program's: one switch per person), with
 * an audit row; false when it already was so (nothing written). A digest already planned and not
 * sent yet is not sent once they are off.
 */
export async function setWeeklyDigest(db: Prisma, person: Person, on: boolean, now: Date, actor: AuditActor): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const changed = await tx.person.updateMany({ where: { id: person.id, weeklyDigest: !on }, data: { weeklyDigest: on } });
    if (changed.count === 0) return false;
    await audit(tx, {
      actor,
      action: "person.digest",
      entity: "person",
      entityId: person.id,
      targetName: person.name,
      before: { weeklyDigest: !on },
      after: { weeklyDigest: on },
      at: now,
    });
    return true;
  });
}
