import type { Prisma } from "../db/connection.js";
import { daysBetween, localDate, localHour } from "../domain/dates.js";
import { normalize } from "../domain/text.js";
import { enqueue, type NewDelivery } from "../outbox/index.js";
import { audit, type AuditActor } from "./audit.js";
import { unreachedUnits } from "./broadcasts.js";
import { everyoneAwayUntil, leavesFrom, unitPresence } from "./leave.js";
import type { Person } from "./people.js";
import { coordinatedPrograms, coordinatedUnits, coversProgram, reachFilter, unitMembersFilter, type ScopeUnit } from "./scope.js";

// Nudges (/ingatkan): a coordinator reminds a unit's focal points, or one step's, right now,
// through the outbox (which merges a person's steps into one message). Returns data; the bot
// layer words it.

/** A unit's steps due within this many days (or overdue) are nudged. */
export const nudgeWindowDays = 14;

export interface NudgeUnit {
  code: string;
  name: string;
  region: string;
}

export interface NudgeStep {
  title: string;
  unit: NudgeUnit;
}

export type NudgeResult =
  | { kind: "empty" }
  | { kind: "not_found"; suggestions: (NudgeUnit | NudgeStep)[] }
  | { kind: "ambiguous"; units: NudgeUnit[]; steps: NudgeStep[] }
  | { kind: "no_focal_point"; unit: NudgeUnit; invited: boolean }
  | { kind: "all_blocked"; unit: NudgeUnit }
  /** Every focal point and head the bot can write to is away today; `until`: the first one's last day away. */
  | { kind: "all_away"; unit: NudgeUnit; until: string }
  | { kind: "nothing_due"; unit: NudgeUnit }
  | { kind: "step_done"; step: NudgeStep }
  | {
      kind: "queued";
      target: { type: "unit"; unit: NudgeUnit } | { type: "step"; step: NudgeStep };
      /** New this time: people and steps nudged (0 when all of it was already nudged this hour). */
      people: number;
      steps: number;
      /** Every focal point of every program nudged is away: the unit's heads present were nudged instead. */
      toHeads: boolean;
    };

interface StepRow {
  id: number;
  programId: number;
  title: string;
  dueDate: string;
  status: string;
  unit: ScopeUnit;
}

const asUnit = (u: ScopeUnit): NudgeUnit => ({ code: u.code, name: u.name, region: u.region });
const asStep = (s: StepRow): NudgeStep => ({ title: s.title, unit: asUnit(s.unit) });
const listCap = 8;
/** Words in so many unit names and step titles that sharing them suggests nothing. */
const commonWords = new Set(["dinas", "badan", "bagian", "kantor", "unit", "kabupaten", "kota", "provinsi", "tahapan", "penyusunan", "replikasi"]);

/** "2022-01-11T09": the local date and hour of `now` in a time zone, for the nudge key. */
function hourKey(now: Date, tz: string): string {
  return `${localDate(now, tz)}T${String(localHour(now, tz)).padStart(2, "0")}`;
}

/**
 * Nudges now, as a coordinator asks: `query` is a unit code, a unit name, a step title, or a
 * unit code followed by a step title, within the coordinator's programs and regions. For a unit,
 * every focal point gets its open steps overdue or due within `nudgeWindowDays` days; for a
 * step, that step. One outbox row per step and focal point, keyed by the local hour, so asking
 * twice within the hour nudges nobody twice (the outbox merges a person's steps into one message).
 */
export async function nudge(db: Prisma, person: Person, query: string, now: Date, actor: AuditActor): Promise<NudgeResult> {
  const q = normalize(query);
  if (!q) return { kind: "empty" };
  const scopes = await coordinatedPrograms(db, person);
  const units = await coordinatedUnits(db, scopes);
  const steps: StepRow[] = [];
  for (const scope of scopes) {
    const rows = await db.milestone.findMany({
      where: {
        initiative: { programId: scope.id, unitId: { in: [...units.keys()] }, ...(scope.regionIds ? { unit: reachFilter(scope) } : {}) },
      },
      select: { id: true, title: true, dueDate: true, status: true, initiative: { select: { unitId: true } } },
      orderBy: [{ dueDate: "asc" }, { position: "asc" }],
    });
    steps.push(
      ...rows.map((r) => ({ id: r.id, programId: scope.id, title: r.title, dueDate: r.dueDate, status: r.status, unit: units.get(r.initiative.unitId)! })),
    );
  }
  const all = [...units.values()];

  // "<UNIT-CODE>" or "<UNIT-CODE> <step title>"
  const [first, ...rest] = q.split(" ");
  const coded = all.find((u) => u.code.toLowerCase() === first);
  if (coded && rest.length === 0) return nudgeUnit(db, coded, steps, now, actor);
  if (coded) {
    const title = rest.join(" ");
    const own = steps.filter((s) => s.unit.id === coded.id);
    const exact = own.filter((s) => normalize(s.title) === title);
    const found = exact.length ? exact : own.filter((s) => normalize(s.title).includes(title));
    if (found.length === 1) return nudgeStep(db, found[0]!, now, actor);
    if (found.length > 1) return { kind: "ambiguous", units: [], steps: found.slice(0, listCap).map(asStep) };
    return {
      kind: "not_found",
      suggestions: own
        .filter((s) => s.status !== "done")
        .slice(0, 5)
        .map(asStep),
    };
  }

  const unitsNamed = all.filter((u) => normalize(u.name) === q);
  if (unitsNamed.length === 1) return nudgeUnit(db, unitsNamed[0]!, steps, now, actor);
  if (unitsNamed.length > 1) return { kind: "ambiguous", units: unitsNamed.slice(0, listCap).map(asUnit), steps: [] };
  const stepsNamed = steps.filter((s) => normalize(s.title) === q);
  if (stepsNamed.length === 1) return nudgeStep(db, stepsNamed[0]!, now, actor);
  if (stepsNamed.length > 1) return { kind: "ambiguous", units: [], steps: stepsNamed.slice(0, listCap).map(asStep) };

  const unitsLike = all.filter((u) => normalize(u.name).includes(q));
  const stepsLike = steps.filter((s) => s.status !== "done" && normalize(s.title).includes(q));
  if (unitsLike.length + stepsLike.length === 1)
    return unitsLike[0] ? nudgeUnit(db, unitsLike[0], steps, now, actor) : nudgeStep(db, stepsLike[0]!, now, actor);
  if (unitsLike.length + stepsLike.length > 1) {
    return {
      kind: "ambiguous",
      units: unitsLike.slice(0, listCap).map(asUnit),
      steps: stepsLike.slice(0, Math.max(0, listCap - unitsLike.length)).map(asStep),
    };
  }

  // Nothing: offer what shares a telling word with the query ("dinas" tells nothing).
  const words = q.split(" ").filter((w) => w.length >= 4 && !commonWords.has(w));
  const shares = (text: string) => words.some((w) => normalize(text).includes(w));
  const suggestions: (NudgeUnit | NudgeStep)[] = [
    ...all.filter((u) => shares(u.name) || shares(u.code)).map(asUnit),
    ...steps.filter((s) => s.status !== "done" && shares(s.title)).map(asStep),
  ];
  return { kind: "not_found", suggestions: suggestions.slice(0, 5) };
}

/**
 * Whom a nudge of the unit's steps goes to, program by program as the reminder pass decides
 * (`presenceFor`): its focal points for that program who can be written to and are not away
 * today, or, when all of those are away, its heads who are there; or why there is nobody.
 */
async function focalPoints(
  db: Prisma,
  unit: ScopeUnit,
  steps: StepRow[],
  now: Date,
): Promise<
  | Extract<NudgeResult, { kind: "no_focal_point" | "all_blocked" | "all_away" }>
  | { kind: "found"; toHeads: boolean; people: { personId: number; programId: number }[] }
> {
  const programIds = [...new Set(steps.map((s) => s.programId))];
  const today = localDate(now, unit.timezone);
  const members = await db.membership.findMany({
    where: unitMembersFilter(["pic", "kepala"], [unit.id], programIds),
    select: { role: true, programId: true, person: { select: { id: true, blockedAt: true, leaves: leavesFrom(today) } } },
  });
  const pics = members.filter((m) => m.role === "pic");
  if (pics.length === 0) {
    const [waiting] = await unreachedUnits(db, programIds, [unit], now);
    return { kind: "no_focal_point", unit: asUnit(unit), invited: waiting?.invited ?? false };
  }
  if (pics.every((m) => m.person.blockedAt)) return { kind: "all_blocked", unit: asUnit(unit) };
  const presence = await unitPresence(db, unit.id, unit.timezone, today, today);
  const reached = programIds.map((programId) => ({ programId, ...presence.of(programId) }));
  const people = reached.flatMap((r) => r.reminded.map((p) => ({ personId: p.id, programId: r.programId })));
  if (people.length === 0) {
    const reachable = members.filter((m) => !m.person.blockedAt).map((m) => m.person);
    const until = everyoneAwayUntil(reachable, today);
    if (until) return { kind: "all_away", unit: asUnit(unit), until };
    // Someone is there, but nobody who covers these steps' programs: nobody to remind for them.
    const [waiting] = await unreachedUnits(db, programIds, [unit], now);
    return { kind: "no_focal_point", unit: asUnit(unit), invited: waiting?.invited ?? false };
  }
  // "Every focal point is away" only when heads stand in for every program nudged; a head standing
  // in for one program's steps reads why in the nudge itself.
  const toHeads = reached.filter((r) => r.reminded.length > 0).every((r) => r.reminded.every((p) => r.seatedHeads.includes(p)));
  return { kind: "found", toHeads, people };
}

async function nudgeUnit(db: Prisma, unit: ScopeUnit, steps: StepRow[], now: Date, actor: AuditActor): Promise<NudgeResult> {
  const today = localDate(now, unit.timezone);
  const due = steps.filter((s) => s.unit.id === unit.id && s.status !== "done" && daysBetween(today, s.dueDate) <= nudgeWindowDays);
  const found = await focalPoints(db, unit, due.length ? due : steps.filter((s) => s.unit.id === unit.id), now);
  if (found.kind !== "found") return found;
  if (due.length === 0) return { kind: "nothing_due", unit: asUnit(unit) };
  const queued = await queueNudges(db, due, found.people, now, { actor, entity: "unit", entityId: unit.id, name: unit.name });
  return { kind: "queued", target: { type: "unit", unit: asUnit(unit) }, ...queued, toHeads: found.toHeads };
}

async function nudgeStep(db: Prisma, step: StepRow, now: Date, actor: AuditActor): Promise<NudgeResult> {
  if (step.status === "done") return { kind: "step_done", step: asStep(step) };
  const found = await focalPoints(db, step.unit, [step], now);
  if (found.kind !== "found") return found;
  const queued = await queueNudges(db, [step], found.people, now, { actor, entity: "milestone", entityId: step.id, name: step.title });
  return { kind: "queued", target: { type: "step", step: asStep(step) }, ...queued, toHeads: found.toHeads };
}

/**
 * One row per step and focal point of its program (a focal point invited for another program of
 * the unit is not nudged), and an audit row per program nudged, naming the steps and how many
 * people; nothing is recorded when everything was already nudged this hour.
 */
async function queueNudges(
  db: Prisma,
  steps: StepRow[],
  people: { personId: number; programId: number | null }[],
  now: Date,
  asked: { actor: AuditActor; entity: "unit" | "milestone"; entityId: number; name: string },
): Promise<{ people: number; steps: number }> {
  const rows: NewDelivery[] = steps.flatMap((s) =>
    [...new Set(people.filter((p) => coversProgram(p, s.programId)).map((p) => p.personId))].map((personId) => ({
      key: `nudge:${s.id}:${personId}:${hourKey(now, s.unit.timezone)}`,
      kind: "nudge" as const,
      personId,
      milestoneId: s.id,
      dueAt: now,
    })),
  );
  const known = new Set((await db.delivery.findMany({ where: { key: { in: rows.map((r) => r.key) } }, select: { key: true } })).map((r) => r.key));
  const fresh = rows.filter((r) => !known.has(r.key));
  if (fresh.length === 0) return { people: 0, steps: 0 };
  // Not one transaction with the audit rows: on PostgreSQL a key planned meanwhile would abort it.
  await enqueue(db, fresh);
  for (const programId of new Set(steps.map((s) => s.programId))) {
    const nudged = steps.filter((s) => s.programId === programId && fresh.some((r) => r.milestoneId === s.id));
    if (nudged.length === 0) continue;
    await audit(db, {
      actor: asked.actor,
      action: "nudge.create",
      entity: asked.entity,
      entityId: asked.entityId,
      targetName: asked.name,
      programId,
      regionId: nudged[0]!.unit.regionId,
      detail: {
        unit: nudged[0]!.unit.name,
        steps: nudged.map((s) => s.title),
        people: new Set(fresh.filter((r) => nudged.some((s) => s.id === r.milestoneId)).map((r) => r.personId)).size,
      },
      at: now,
    });
  }
  return { people: new Set(fresh.map((r) => r.personId)).size, steps: new Set(fresh.map((r) => r.milestoneId)).size };
}
