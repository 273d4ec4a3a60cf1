import type { Prisma } from "../db/connection.js";
import type { CalendarDate } from "../domain/dates.js";
import { isOverdue, isSilent, silenceSince, silentAfterDays, weightedProgress } from "../domain/progress.js";
import { personName } from "../domain/text.js";
import { awayFor, awayInUnits, type AwayPerson } from "./leave.js";
import { visibleMilestones, type MilestoneView } from "./milestones.js";
import { coversProgram, unitMembersFilter, type Scope } from "./scope.js";

export interface InitiativeRecap {
  id: number;
  name: string;
  unit: string;
  progress: number;
  overdue: number;
  blocked: number;
  milestones: MilestoneView[];
}

/** Where a unit stands, worst first: a step overdue, a step blocked, silent (see `isSilent`), or none of these. */
export const unitStates = ["late", "blocked", "silent", "on_track"] as const;
export type UnitState = (typeof unitStates)[number];

/** How many units stand in each state. */
export type StateCounts = Record<UnitState, number>;

export interface UnitRecap {
  id: number;
  name: string;
  regionId: number;
  region: string;
  progress: number;
  overdue: number;
  blocked: number;
  /** Days the most overdue step is late (0 when none is). */
  mostDaysLate: number;
  /** Whole days since the latest report (not undone) on any of its steps; null when there is none. */
  daysSinceReport: number | null;
  silent: boolean;
  /** The worst of late, blocked and silent that applies, else on track. */
  state: UnitState;
  /** When some of its focal points or heads are away today: the first of them's last day away. */
  awayUntil: CalendarDate | null;
  initiatives: InitiativeRecap[];
}

export interface RegionRecap {
  id: number;
  name: string;
  progress: number;
  overdue: number;
  units: number;
  counts: StateCounts;
}

export interface ProgramRecap {
  id: number;
  name: string;
  /** Today in the program's (first) region. */
  today: CalendarDate;
  progress: number;
  overdue: number;
  counts: StateCounts;
  /** Sorted by region, then name. */
  units: UnitRecap[];
  /** The same steps per region, sorted by name (one entry for a program of one region). */
  regions: RegionRecap[];
}

function group<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const item of items) {
    const list = map.get(key(item));
    if (list) list.push(item);
    else map.set(key(item), [item]);
  }
  return map;
}

function countStates(units: UnitRecap[]): StateCounts {
  const counts: StateCounts = { late: 0, blocked: 0, silent: 0, on_track: 0 };
  for (const unit of units) counts[unit.state]++;
  return counts;
}

function unitRecap(steps: MilestoneView[], now: Date, away: AwayPerson[]): UnitRecap {
  const awayHere = awayFor(away, steps[0]!.unit.id, steps[0]!.program.id);
  const overdue = steps.filter((m) => isOverdue(m, m.today)).length;
  const blocked = steps.filter((m) => m.status === "blocked").length;
  const silent = isSilent(steps, silenceSince(now, silentAfterDays));
  const latest = Math.max(...steps.map((m) => m.lastReportAt?.getTime() ?? -Infinity));
  return {
    id: steps[0]!.unit.id,
    name: steps[0]!.unit.name,
    regionId: steps[0]!.region.id,
    region: steps[0]!.region.name,
    progress: weightedProgress(steps),
    overdue,
    blocked,
    mostDaysLate: Math.max(...steps.map((m) => m.daysLate)),
    daysSinceReport: latest === -Infinity ? null : Math.floor((now.getTime() - latest) / 86_400_000),
    silent,
    state: overdue > 0 ? "late" : blocked > 0 ? "blocked" : silent ? "silent" : "on_track",
    awayUntil: awayHere.length ? awayHere.map((p) => p.lastDay).reduce((a, b) => (a < b ? a : b)) : null,
    initiatives: [...group(steps, (m) => m.initiative.id).values()].map((ini) => ({
      id: ini[0]!.initiative.id,
      name: ini[0]!.initiative.name,
      unit: ini[0]!.unit.name,
      progress: weightedProgress(ini),
      overdue: ini.filter((m) => isOverdue(m, m.today)).length,
      blocked: ini.filter((m) => m.status === "blocked").length,
      milestones: ini,
    })),
  };
}

/**
 * Worst first, for the units a coordinator should call today: late (longest late first), then
 * blocked, then silent (never heard from first), then on track; by name within each.
 */
export function byUrgency(a: UnitRecap, b: UnitRecap): number {
  const silence = (u: UnitRecap) => u.daysSinceReport ?? Infinity;
  return (
    unitStates.indexOf(a.state) - unitStates.indexOf(b.state) ||
    b.mostDaysLate - a.mostDaysLate ||
    b.overdue - a.overdue ||
    b.blocked - a.blocked ||
    (silence(b) === silence(a) ? 0 : silence(b) > silence(a) ? 1 : -1) ||
    a.region.localeCompare(b.region) ||
    a.name.localeCompare(b.name)
  );
}

/**
 * Weighted progress, overdue counts and where each unit stands, per program, region, unit and
 * initiative of everything a scope sees. A unit's progress weighs every step of its initiatives
 * in the program.
 */
export async function recap(db: Prisma, scope: Scope, now: Date): Promise<ProgramRecap[]> {
  const milestones = await visibleMilestones(db, scope, now);
  const overdue = (ms: MilestoneView[]) => ms.filter((m) => isOverdue(m, m.today)).length;
  // Who is away today, in one query for every unit: a unit's line says so.
  const todayOf = new Map(milestones.map((m) => [m.unit.id, m.today]));
  const away = await awayInUnits(db, ["pic", "kepala"], [...todayOf.keys()], [...new Set(milestones.map((m) => m.program.id))], (id) => todayOf.get(id)!);
  return [...group(milestones, (m) => m.program.id).values()].map((programSteps) => {
    const units = [...group(programSteps, (m) => m.unit.id).values()]
      .map((steps) => unitRecap(steps, now, away))
      .sort((a, b) => a.region.localeCompare(b.region) || a.name.localeCompare(b.name));
    return {
      id: programSteps[0]!.program.id,
      name: programSteps[0]!.program.name,
      today: programSteps[0]!.today,
      progress: weightedProgress(programSteps),
      overdue: overdue(programSteps),
      counts: countStates(units),
      units,
      regions: [...group(programSteps, (m) => m.region.id).values()]
        .map((steps) => {
          const inRegion = units.filter((u) => u.regionId === steps[0]!.region.id);
          return {
            id: steps[0]!.region.id,
            name: steps[0]!.region.name,
            progress: weightedProgress(steps),
            overdue: overdue(steps),
            units: inRegion.length,
            counts: countStates(inRegion),
          };
        })
        .sort((a, b) => a.name.localeCompare(b.name)),
    };
  });
}

export interface OverdueItem {
  milestone: MilestoneView;
  focalPoints: string[];
}

/** Overdue steps a scope sees, most late first, with the focal points of their units (for their program). */
export async function overdueMilestones(db: Prisma, scope: Scope, now: Date): Promise<OverdueItem[]> {
  const late = (await visibleMilestones(db, scope, now)).filter((m) => isOverdue(m, m.today));
  const unitIds = [...new Set(late.map((m) => m.unit.id))];
  const programIds = [...new Set(late.map((m) => m.program.id))];
  const focalPoints = await db.membership.findMany({ where: unitMembersFilter(["pic"], unitIds, programIds), include: { person: true } });
  const byUnit = group(focalPoints, (p) => p.unitId);
  return late
    .sort((a, b) => b.daysLate - a.daysLate || a.unit.name.localeCompare(b.unit.name))
    .map((milestone) => ({
      milestone,
      focalPoints: (byUnit.get(milestone.unit.id) ?? []).filter((p) => coversProgram(p, milestone.program.id)).map((p) => personName(p.person) ?? "?"),
    }));
}

/** A unit's overdue steps counted, for a group chat (no step owners, no notes). */
export interface OverdueUnit {
  name: string;
  region: string;
  steps: number;
  mostDaysLate: number;
}

/** The units of a scope with overdue steps, most overdue steps first. */
export async function overdueUnits(db: Prisma, scope: Scope, now: Date): Promise<OverdueUnit[]> {
  const late = (await visibleMilestones(db, scope, now)).filter((m) => isOverdue(m, m.today));
  return [...group(late, (m) => m.unit.id).values()]
    .map((steps) => ({
      name: steps[0]!.unit.name,
      region: steps[0]!.region.name,
      steps: steps.length,
      mostDaysLate: Math.max(...steps.map((m) => m.daysLate)),
    }))
    .sort((a, b) => b.steps - a.steps || b.mostDaysLate - a.mostDaysLate || a.name.localeCompare(b.name));
}
