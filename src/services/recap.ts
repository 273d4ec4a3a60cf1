import type { Prisma } from "../db/connection.js";
import type { CalendarDate } from "../domain/dates.js";
import { isOverdue, weightedProgress } from "../domain/progress.js";
import { personName } from "../domain/text.js";
import { visibleMilestones, type MilestoneView } from "./milestones.js";
import { coversProgram, unitMembersFilter, type Scope } from "./scope.js";

export interface InitiativeRecap {
  id: number;
  name: string;
  unit: string;
  progress: number;
  overdue: number;
  milestones: MilestoneView[];
}

export interface UnitRecap {
  id: number;
  name: string;
  region: string;
  progress: number;
  overdue: number;
  initiatives: InitiativeRecap[];
}

export interface RegionRecap {
  name: string;
  progress: number;
  overdue: number;
  units: number;
}

export interface ProgramRecap {
  id: number;
  name: string;
  /** Today in the program's (first) region. */
  today: CalendarDate;
  progress: number;
  overdue: number;
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

/**
 * Weighted progress and overdue counts per program, unit and initiative of everything a scope
 * sees. A unit's progress weighs every step of its initiatives in the program.
 */
export async function recap(db: Prisma, scope: Scope, now: Date): Promise<ProgramRecap[]> {
  const milestones = await visibleMilestones(db, scope, now);
  const overdue = (ms: MilestoneView[]) => ms.filter((m) => isOverdue(m, m.today)).length;
  return [...group(milestones, (m) => m.program.id).values()].map((programSteps) => ({
    id: programSteps[0]!.program.id,
    name: programSteps[0]!.program.name,
    today: programSteps[0]!.today,
    progress: weightedProgress(programSteps),
    overdue: overdue(programSteps),
    units: [...group(programSteps, (m) => m.unit.id).values()]
      .map((unitSteps) => ({
        id: unitSteps[0]!.unit.id,
        name: unitSteps[0]!.unit.name,
        region: unitSteps[0]!.region.name,
        progress: weightedProgress(unitSteps),
        overdue: overdue(unitSteps),
        initiatives: [...group(unitSteps, (m) => m.initiative.id).values()].map((steps) => ({
          id: steps[0]!.initiative.id,
          name: steps[0]!.initiative.name,
          unit: steps[0]!.unit.name,
          progress: weightedProgress(steps),
          overdue: overdue(steps),
          milestones: steps,
        })),
      }))
      .sort((a, b) => a.region.localeCompare(b.region) || a.name.localeCompare(b.name)),
    regions: [...group(programSteps, (m) => m.region.name).entries()]
      .map(([name, steps]) => ({
        name,
        progress: weightedProgress(steps),
        overdue: overdue(steps),
        units: new Set(steps.map((m) => m.unit.id)).size,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  }));
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
