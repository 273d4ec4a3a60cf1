import type { Prisma } from "../db/connection.js";
import type { CalendarDate } from "../domain/dates.js";
import { isOverdue, weightedProgress } from "../domain/progress.js";
import { visibleMilestones, type MilestoneView } from "./milestones.js";
import type { Person } from "./people.js";

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
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
}

/**
 * Weighted progress and overdue counts per program, unit and initiative of everything a person
 * may see. A unit's progress weighs every step of its initiatives in the program.
 */
export async function recap(db: Prisma, person: Person, now: Date): Promise<ProgramRecap[]> {
  const milestones = await visibleMilestones(db, person, now);
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

/** Overdue steps a person may see, most late first, with the focal points of their units. */
export async function overdueMilestones(db: Prisma, person: Person, now: Date): Promise<OverdueItem[]> {
  const late = (await visibleMilestones(db, person, now)).filter((m) => isOverdue(m, m.today));
  const unitIds = [...new Set(late.map((m) => m.unit.id))];
  const pics = await db.membership.findMany({ where: { role: "pic", unitId: { in: unitIds } }, include: { person: true } });
  const names = group(pics, (p) => p.unitId);
  return late
    .sort((a, b) => b.daysLate - a.daysLate || a.unit.name.localeCompare(b.unit.name))
    .map((milestone) => ({
      milestone,
      focalPoints: (names.get(milestone.unit.id) ?? []).map((p) =>
        [p.person.firstName, p.person.lastName].filter(Boolean).join(" ") || (p.person.username ? `@${p.person.username}` : "?"),
      ),
    }));
}
