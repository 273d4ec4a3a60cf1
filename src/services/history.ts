import type { Prisma } from "../db/connection.js";
import { addDays, localDate, parseDueDate, zonedInstant, type CalendarDate } from "../domain/dates.js";
import type { MilestoneStatus } from "../domain/statuses.js";
import { normalize } from "../domain/text.js";
import type { Person } from "./people.js";
import { visibleMilestones, type MilestoneView } from "./milestones.js";
import { initiativeFilter, scopeOf, type Scope } from "./scope.js";

// The history of a unit or an initiative (/riwayat): who reported what on its steps over a
// range of days. Only heads of unit (their units) and coordinators (their program, or their
// region of it) may read it; a focal point's own view is /tugas and /status.

/** Days the history covers when no date is given: the last 30, today included. */
export const defaultHistoryDays = 30;

/** Most reports one answer lists (newest first); older ones are counted, not shown. */
export const historyLimit = 50;

/** Most matches listed when a query names several units or initiatives. */
export const matchLimit = 15;

/** What `/riwayat` was given: the unit or initiative asked for, and up to two dates. */
export type HistoryArgs = { ok: true; query: string; dates: CalendarDate[] } | { ok: false; badDate: string };

// "14/03/2022", "2022-03-14", "14.3.2022": date-shaped, whether or not it is a real date.
const numericDate = /^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})$/;

/**
 * Splits `/riwayat <unit or initiative> [from] [to]` into the query and its dates, peeled off the
 * end: "14/03/2022", "2022-03-14" or "14 Maret 2022" (three words). A date-shaped word that is no
 * date (31/02/2022, "14 Maretz 2022") is returned as `badDate`, so a typo is not searched as a name.
 */
export function parseHistoryArgs(payload: string): HistoryArgs {
  const words = payload.trim().split(/\s+/).filter(Boolean);
  const dates: CalendarDate[] = [];
  while (dates.length < 2 && words.length > 1) {
    const last = words.at(-1)!;
    if (numericDate.test(last)) {
      const date = parseDueDate(last);
      if (!date) return { ok: false, badDate: last };
      dates.unshift(date);
      words.pop();
      continue;
    }
    // "14 Maret 2022": a day, a word, a year, with something left before it to search for.
    if (words.length > 3 && /^\d{4}$/.test(last) && /^\d{1,2}$/.test(words.at(-3)!) && /^[A-Za-z]+\.?$/.test(words.at(-2)!)) {
      const text = words.slice(-3).join(" ");
      const date = parseDueDate(text);
      if (!date) return { ok: false, badDate: text };
      dates.unshift(date);
      words.splice(-3);
      continue;
    }
    break;
  }
  return { ok: true, query: words.join(" "), dates };
}

/** A unit or an initiative whose history can be shown. */
export interface HistoryTarget {
  kind: "unit" | "initiative";
  id: number;
  /** The initiative's name, or the unit's. */
  name: string;
  unit: { id: number; name: string; code: string };
  region: { id: number; name: string; timezone: string };
  /** The programs of its initiatives the reader sees (for the audit row of the read). */
  programIds: number[];
}

export type HistoryLookup = { kind: "found"; target: HistoryTarget } | { kind: "ambiguous"; matches: HistoryTarget[]; more: number } | { kind: "none" };

/** What a person may read the history of: heads their units, coordinators their program or region. */
export function historyScope(person: Person): Scope {
  return scopeOf(person, "kepala", "koordinator");
}

/**
 * Finds what a query names among what the person may read: a unit code (exactly), else a unit
 * or initiative named exactly so, else one whose name (or code) contains the query. Matching is
 * done here rather than in SQL so it is case-insensitive the same way on SQLite and PostgreSQL
 * (a person sees tens, at most a few hundred, initiatives).
 */
export async function findHistoryTarget(db: Prisma, person: Person, query: string): Promise<HistoryLookup> {
  const q = normalize(query);
  if (!q) return { kind: "none" };
  const initiatives = await db.initiative.findMany({
    where: initiativeFilter(historyScope(person)),
    include: { unit: { include: { region: true } } },
    orderBy: [{ unit: { code: "asc" } }, { name: "asc" }],
  });
  const units = new Map<number, HistoryTarget>();
  const inits: HistoryTarget[] = [];
  for (const i of initiatives) {
    const unit = { id: i.unit.id, name: i.unit.name, code: i.unit.code };
    const region = { id: i.unit.region.id, name: i.unit.region.name, timezone: i.unit.region.timezone };
    if (!units.has(unit.id)) units.set(unit.id, { kind: "unit", id: unit.id, name: unit.name, unit, region, programIds: [] });
    units.get(unit.id)!.programIds.push(i.programId);
    inits.push({ kind: "initiative", id: i.id, name: i.name, unit, region, programIds: [i.programId] });
  }
  const byCode = [...units.values()].filter((u) => u.unit.code.toLowerCase() === q);
  if (byCode.length === 1) return { kind: "found", target: byCode[0]! };

  const candidates = [...units.values(), ...inits];
  const exact = candidates.filter((c) => normalize(c.name) === q);
  if (exact.length === 1) return { kind: "found", target: exact[0]! };
  const matches =
    exact.length > 1 ? exact : candidates.filter((c) => normalize(c.name).includes(q) || (c.kind === "unit" && c.unit.code.toLowerCase().includes(q)));
  if (matches.length === 0) return { kind: "none" };
  if (matches.length === 1) return { kind: "found", target: matches[0]! };
  return { kind: "ambiguous", matches: matches.slice(0, matchLimit), more: Math.max(0, matches.length - matchLimit) };
}

/** The days a history covers, in the target's region. */
export interface HistoryRange {
  /** False when the range starts after it ends. */
  ok: boolean;
  from: CalendarDate;
  to: CalendarDate;
}

/**
 * The range from the dates given: none, the last `defaultHistoryDays` days up to today; one,
 * from that day to today; two, from the first to the second. Not ok when it starts after it ends.
 */
export function historyRange(dates: CalendarDate[], today: CalendarDate): HistoryRange {
  const from = dates[0] ?? addDays(today, -(defaultHistoryDays - 1));
  const to = dates[1] ?? today;
  return { ok: from <= to, from, to };
}

/** One report in a history. */
export interface HistoryEntry {
  id: number;
  createdAt: Date;
  milestone: { id: number; title: string };
  initiative: { id: number; name: string };
  reporter: { firstName: string | null; lastName: string | null; username: string | null } | null;
  percent: number;
  status: MilestoneStatus;
  note: string | null;
  /** flow | reply | import | cli */
  source: string;
  undone: boolean;
  photos: number;
  documents: number;
  /** Its evidence in the order `reportEvidence` gives it (a file is fetched by its place here). */
  files: { kind: "photo" | "document"; fileName: string | null }[];
}

export interface History {
  target: HistoryTarget;
  from: CalendarDate;
  to: CalendarDate;
  /** Newest first, at most `historyLimit`. */
  entries: HistoryEntry[];
  /** Reports in the range beyond the ones listed (older). */
  more: number;
}

/**
 * The reports on a unit's or an initiative's steps made between the start of `from` and the
 * end of `to` in the region's time zone, newest first (undone ones included, marked). Only the
 * programs the scope sees: a unit taking part in several shows the reader's programs alone.
 */
export async function reportHistory(
  db: Prisma,
  scope: Scope,
  target: HistoryTarget,
  from: CalendarDate,
  to: CalendarDate,
  /** Only the reports on this step (of the target's). */
  stepId?: number,
): Promise<History> {
  const tz = target.region.timezone;
  const where = {
    createdAt: { gte: zonedInstant(from, 0, tz), lt: zonedInstant(addDays(to, 1), 0, tz) },
    milestone: {
      ...(stepId !== undefined ? { id: stepId } : {}),
      initiative: { AND: [target.kind === "unit" ? { unitId: target.id } : { id: target.id }, initiativeFilter(scope)] },
    },
  };
  const [rows, total] = await Promise.all([
    db.progressReport.findMany({
      where,
      include: {
        person: { select: { firstName: true, lastName: true, username: true } },
        evidence: { select: { kind: true, fileName: true }, orderBy: { id: "asc" } },
        milestone: { select: { id: true, title: true, initiative: { select: { id: true, name: true } } } },
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: historyLimit,
    }),
    db.progressReport.count({ where }),
  ]);
  return {
    target,
    from,
    to,
    more: Math.max(0, total - rows.length),
    entries: rows.map((r) => ({
      id: r.id,
      createdAt: r.createdAt,
      milestone: { id: r.milestone.id, title: r.milestone.title },
      initiative: r.milestone.initiative,
      reporter: r.person,
      percent: r.percent,
      status: r.status as MilestoneStatus,
      note: r.note,
      source: r.source,
      undone: r.undoneAt !== null,
      photos: r.evidence.filter((e) => e.kind === "photo").length,
      documents: r.evidence.filter((e) => e.kind !== "photo").length,
      files: r.evidence.map((e) => ({ kind: e.kind === "photo" ? ("photo" as const) : ("document" as const), fileName: e.fileName })),
    })),
  };
}

/** The start of every step's history: earlier than any report. */
const beginning: CalendarDate = "2000-01-01";

/** A step and its reports (newest first, at most `historyLimit`): the dashboard's step view. */
export interface StepHistory {
  step: MilestoneView;
  history: History;
}

/** A step the scope sees with every report on it, through `reportHistory`; null when the scope does not see it. */
export async function stepHistory(db: Prisma, scope: Scope, stepId: number, now: Date): Promise<StepHistory | null> {
  const [step] = await visibleMilestones(db, scope, now, [stepId]);
  if (!step) return null;
  const target: HistoryTarget = {
    kind: "initiative",
    id: step.initiative.id,
    name: step.initiative.name,
    unit: step.unit,
    region: step.region,
    programIds: [step.program.id],
  };
  return { step, history: await reportHistory(db, scope, target, beginning, addDays(step.today, 1), step.id) };
}

/** Today's date in a target's region. */
export function regionToday(target: HistoryTarget, now: Date): CalendarDate {
  return localDate(now, target.region.timezone);
}

/** A report's evidence files, to send again to someone reading the history. */
export interface ReportEvidence {
  reportId: number;
  programId: number;
  regionId: number;
  createdAt: Date;
  timezone: string;
  title: string;
  files: { kind: "photo" | "document"; fileId: string; fileName: string | null }[];
}

/** The evidence of a report the person may read the history of; null when it is not theirs to see (or gone). */
export async function reportEvidence(db: Prisma, person: Person, reportId: number): Promise<ReportEvidence | null> {
  const row = await db.progressReport.findFirst({
    where: { id: reportId, milestone: { initiative: initiativeFilter(historyScope(person)) } },
    include: {
      evidence: { orderBy: { id: "asc" } },
      milestone: {
        select: { title: true, initiative: { select: { programId: true, unit: { select: { region: { select: { id: true, timezone: true } } } } } } },
      },
    },
  });
  if (!row) return null;
  return {
    reportId: row.id,
    programId: row.milestone.initiative.programId,
    regionId: row.milestone.initiative.unit.region.id,
    createdAt: row.createdAt,
    timezone: row.milestone.initiative.unit.region.timezone,
    title: row.milestone.title,
    files: row.evidence.map((e) => ({ kind: e.kind === "photo" ? "photo" : "document", fileId: e.fileId, fileName: e.fileName })),
  };
}
