import type { Prisma } from "../db/connection.js";
import { localDate, type CalendarDate } from "../domain/dates.js";
import { AppError } from "../domain/errors.js";
import { applyReport, daysLate } from "../domain/progress.js";
import type { MilestoneStatus } from "../domain/statuses.js";
import { audit, type AuditActor } from "./audit.js";
import type { Person } from "./people.js";
import { unitPresence } from "./leave.js";
import { coversProgram, initiativeFilter, scopeOf, type Scope } from "./scope.js";

/** A step as the people who work on it see it. */
export interface MilestoneView {
  id: number;
  title: string;
  dueDate: CalendarDate;
  weight: number;
  progress: number;
  status: MilestoneStatus;
  lastReportAt: Date | null;
  initiative: { id: number; name: string; origin: string | null };
  unit: { id: number; name: string; code: string };
  region: { id: number; name: string; timezone: string };
  program: { id: number; name: string };
  /** Local date in the step's region when the view was made. */
  today: CalendarDate;
  daysLate: number;
}

// The columns a view is made of, and no more: a coordinator's recap reads tens of thousands of
// steps, and whole rows would bring five timestamps and a copy of each related row per step.
const viewColumns = {
  id: true,
  title: true,
  dueDate: true,
  weight: true,
  progress: true,
  status: true,
  lastReportAt: true,
  initiative: {
    select: {
      id: true,
      name: true,
      origin: true,
      program: { select: { id: true, name: true } },
      unit: { select: { id: true, name: true, code: true, region: { select: { id: true, name: true, timezone: true } } } },
    },
  },
} as const;

type Row = Pick<
  NonNullable<Awaited<ReturnType<Prisma["milestone"]["findFirst"]>>>,
  "id" | "title" | "dueDate" | "weight" | "progress" | "status" | "lastReportAt"
> & {
  initiative: {
    id: number;
    name: string;
    origin: string | null;
    program: { id: number; name: string };
    unit: { id: number; name: string; code: string; region: { id: number; name: string; timezone: string } };
  };
};

/** The view of a step at `now`; `today` is the local date of `now` in its region, when the caller already has it. */
export function toView(m: Row, now: Date, today: CalendarDate = localDate(now, m.initiative.unit.region.timezone)): MilestoneView {
  return {
    id: m.id,
    title: m.title,
    dueDate: m.dueDate,
    weight: m.weight,
    progress: m.progress,
    status: m.status as MilestoneStatus,
    lastReportAt: m.lastReportAt,
    initiative: { id: m.initiative.id, name: m.initiative.name, origin: m.initiative.origin },
    unit: { id: m.initiative.unit.id, name: m.initiative.unit.name, code: m.initiative.unit.code },
    region: { id: m.initiative.unit.region.id, name: m.initiative.unit.region.name, timezone: m.initiative.unit.region.timezone },
    program: { id: m.initiative.program.id, name: m.initiative.program.name },
    today,
    daysLate: daysLate(m, today),
  };
}

/** Views of many steps; the local date of `now` is worked out once per time zone, not per step. */
function toViews(rows: Row[], now: Date): MilestoneView[] {
  const today = new Map<string, CalendarDate>();
  return rows.map((m) => {
    const zone = m.initiative.unit.region.timezone;
    let date = today.get(zone);
    if (!date) today.set(zone, (date = localDate(now, zone)));
    return toView(m, now, date);
  });
}

/** Open (not done) steps of the units a person is focal point of, soonest due first. */
export async function openMilestones(db: Prisma, person: Person, now: Date): Promise<MilestoneView[]> {
  const rows = await db.milestone.findMany({
    where: { status: { not: "done" }, initiative: initiativeFilter(scopeOf(person, "pic")) },
    select: viewColumns,
    orderBy: [{ dueDate: "asc" }, { position: "asc" }],
  });
  return toViews(rows, now);
}

/** Every step a scope sees (focal point and head: their units; coordinator: their programs), or those of `ids` it sees. */
export async function visibleMilestones(db: Prisma, scope: Scope, now: Date, ids?: readonly number[]): Promise<MilestoneView[]> {
  const rows = await db.milestone.findMany({
    where: { initiative: initiativeFilter(scope), ...(ids ? { id: { in: [...ids] } } : {}) },
    select: viewColumns,
    orderBy: [{ dueDate: "asc" }, { position: "asc" }],
  });
  return toViews(rows, now);
}

/** A step as the target of an audit entry: where the trail files it. */
export function stepTarget(step: MilestoneView) {
  return { entity: "milestone", entityId: step.id, targetName: step.title, programId: step.program.id, regionId: step.region.id };
}

/**
 * A step the person may report on (focal point of its unit, for its program; or head of it
 * standing in for focal points away, see `reportableMilestones`); refuses anything else.
 */
export async function reportableMilestone(db: Prisma, person: Person, milestoneId: number, now: Date): Promise<MilestoneView> {
  const [step] = await reportableMilestones(db, person, [milestoneId], now);
  if (!step) throw new AppError("access.not_allowed");
  return step;
}

/** The deliveries that bring a step's buttons and let a head standing in answer them. */
const standInKinds = ["reminder", "overdue", "nudge"];

/**
 * Those of the steps `ids` the person may report on, soonest due first; the rest left out. The
 * one rule of who reports: a focal point of the step's unit (for its program); or a head of it
 * who was sent its reminder or a nudge (which goes to heads only while the focal points are
 * away), standing in while that still holds: the step not reported on by anyone else since the latest of them
 * (`changeSince`'s sense), or its reminders going to them today (its focal points all away, see
 * `presenceFor`). Once the focal points are back and someone reported, the step is theirs again.
 */
export async function reportableMilestones(db: Prisma, person: Person, ids: readonly number[], now: Date): Promise<MilestoneView[]> {
  const sentToThem = { personId: person.id, kind: { in: standInKinds }, status: "sent" };
  const rows = await db.milestone.findMany({
    where: {
      id: { in: [...ids] },
      OR: [
        { initiative: initiativeFilter(scopeOf(person, "pic")) },
        { initiative: initiativeFilter(scopeOf(person, "kepala")), deliveries: { some: sentToThem } },
      ],
    },
    select: {
      ...viewColumns,
      deliveries: { where: sentToThem, select: { sentAt: true }, orderBy: { sentAt: "desc" }, take: 1 },
      // Their own reports (which they may undo or add evidence to) do not end their standing in.
      reports: {
        where: { undoneAt: null, OR: [{ personId: null }, { personId: { not: person.id } }] },
        select: { createdAt: true },
        orderBy: { createdAt: "desc" },
        take: 1,
      },
    },
    orderBy: [{ dueDate: "asc" }, { position: "asc" }],
  });
  const views = toViews(rows, now);
  const focalPoint = (step: MilestoneView) =>
    person.memberships.some((m) => m.role === "pic" && m.unitId === step.unit.id && coversProgram(m, step.program.id));
  const remindedSince = (i: number) => {
    const lastSent = rows[i]!.deliveries[0]?.sentAt;
    const othersLast = rows[i]!.reports[0]?.createdAt;
    return !othersLast || (!!lastSent && lastSent >= othersLast);
  };
  const pending = views.filter((step, i) => !focalPoint(step) && !remindedSince(i));
  // Standing in today: read once per unit, only for the steps that need it.
  const presence = new Map<number, Awaited<ReturnType<typeof unitPresence>>>();
  for (const step of pending) {
    if (!presence.has(step.unit.id)) presence.set(step.unit.id, await unitPresence(db, step.unit.id, step.region.timezone, step.today, step.today));
  }
  return views.filter(
    (step, i) =>
      focalPoint(step) ||
      remindedSince(i) ||
      presence
        .get(step.unit.id)!
        .of(step.program.id)
        .reminded.some((p) => p.id === person.id),
  );
}

/** Whether the person holds a head's seat over any of the steps `ids` (a head whose standing in has ended, when they may not report on them). */
export async function headOfAny(db: Prisma, person: Person, ids: readonly number[]): Promise<boolean> {
  return (await db.milestone.count({ where: { id: { in: [...ids] }, initiative: initiativeFilter(scopeOf(person, "kepala")) } })) > 0;
}

/** Longest note kept with a report (a note is a sentence or two, not a document). */
export const noteLimit = 1000;

/** A file kept with a report (bukti dukung): Telegram's reference to it, not its bytes. */
export interface EvidenceInput {
  kind: "photo" | "document";
  fileId: string;
  fileUniqueId: string;
  fileName: string | null;
  mimeType: string | null;
  chatId: number;
  messageId: number;
}

/** Most files kept with one report (a report with more is a folder, not evidence). */
export const evidenceLimit = 10;

export interface ReportInput {
  milestoneId: number;
  percent: number | null;
  status: MilestoneStatus;
  note: string | null;
  /** flow: /lapor; reply: a reply to a reminder; button: ✅ Selesai under one. */
  source: "flow" | "reply" | "button";
  deliveryId?: number;
  evidence?: EvidenceInput[];
  /**
   * The step must be as it stood then (a reminder's sending, for its ✅ Selesai): checked on the
   * step's row once taken, so of two presses at once one saves and the other is refused.
   */
  unchangedSince?: Date;
}

/** How a step changed since a moment: done, reported on by anyone, or its due date moved by an import. */
export type StepChange = "done" | "reported" | "revised";

/** What changed in the step since `since` (a reminder's sending), or null: the one rule of "changed since the reminder". */
export function changeSince(step: { status: string; lastReportAt: Date | null; revisedAt: Date | null }, since: Date): StepChange | null {
  if (step.status === "done") return "done";
  if (step.lastReportAt && step.lastReportAt > since) return "reported";
  if (step.revisedAt && step.revisedAt > since) return "revised";
  return null;
}

/**
 * Why a report needs a note, or null: a blocked step needs the reason, and progress lower than
 * the step's current progress needs to say why it went back (a typo otherwise silently undoes
 * someone's work).
 */
export function reasonRequired(current: { progress: number }, input: { percent: number | null; status: MilestoneStatus }): "blocked" | "decrease" | null {
  if (input.status === "blocked") return "blocked";
  const next = applyReport(current, input);
  return next.progress < current.progress ? "decrease" : null;
}

/** A saved report: the step as it now stands, and the report's id (for undo). */
export type SavedReport = MilestoneView & { reportId: number; evidenceCount: number };

/**
 * The step's row as it stands, held until the transaction ends: a report or an undo of the same
 * step at the same moment waits here, then reads what this one left (PostgreSQL locks the row on
 * this write; SQLite runs one transaction at a time).
 */
export function takeStep(tx: Pick<Prisma, "milestone">, id: number) {
  return tx.milestone.update({ where: { id }, data: { progress: { increment: 0 } } });
}

/**
 * Records a progress report by a focal point of the step's unit, with its evidence files, and
 * moves the step's latest progress, in one transaction that reads the step's progress first (two
 * reports at once are both kept, each judged against the other). Returns the step as it now stands.
 * Refuses (AppError) a percentage outside 0-100, a blocked report without a reason
 * (`report.reason_required`), lower progress without a note (`report.decrease_reason_required`,
 * params `from`, `to`), and a step changed since `unchangedSince` (`report.changed`, param
 * `change`: see `changeSince`), nothing written.
 */
export async function recordReport(db: Prisma, person: Person, input: ReportInput, now: Date, actor: AuditActor): Promise<SavedReport> {
  if (input.percent !== null && (!Number.isInteger(input.percent) || input.percent < 0 || input.percent > 100)) {
    throw new AppError("report.bad_percent");
  }
  const note = input.note?.trim().slice(0, noteLimit) || null;
  if (input.status === "blocked" && !note) throw new AppError("report.reason_required");
  const step = await reportableMilestone(db, person, input.milestoneId, now);
  const evidence = uniqueEvidence(input.evidence ?? []).slice(0, evidenceLimit);
  const { next, reportId } = await db.$transaction(async (tx) => {
    const current = await takeStep(tx, step.id);
    const change = input.unchangedSince ? changeSince(current, input.unchangedSince) : null;
    if (change) throw new AppError("report.changed", { change });
    const next = applyReport(current, input);
    if (!note && reasonRequired(current, input) === "decrease") {
      throw new AppError("report.decrease_reason_required", { from: current.progress, to: next.progress });
    }
    const report = await tx.progressReport.create({
      data: {
        milestoneId: step.id,
        personId: person.id,
        percent: next.progress,
        status: next.status,
        note,
        source: input.source,
        deliveryId: input.deliveryId ?? null,
        createdAt: now,
      },
    });
    if (evidence.length > 0) {
      await tx.evidence.createMany({ data: evidence.map((e) => evidenceRow(report.id, e, now)) });
    }
    await tx.milestone.update({ where: { id: step.id }, data: { progress: next.progress, status: next.status, lastReportAt: now } });
    await audit(tx, {
      actor,
      action: "report.create",
      ...stepTarget(step),
      before: { progress: current.progress, status: current.status },
      after: { progress: next.progress, status: next.status },
      detail: { reportId: report.id, unit: step.unit.name, note, evidence: evidence.length, source: input.source },
      at: now,
    });
    return { next, reportId: report.id };
  });
  return {
    ...step,
    ...next,
    lastReportAt: now,
    daysLate: daysLate({ dueDate: step.dueDate, status: next.status }, step.today),
    reportId,
    evidenceCount: evidence.length,
  };
}

/** The same file sent twice (same file_unique_id) is kept once. */
export function uniqueEvidence(files: EvidenceInput[]): EvidenceInput[] {
  const seen = new Set<string>();
  return files.filter((f) => !seen.has(f.fileUniqueId) && seen.add(f.fileUniqueId));
}

export function evidenceRow(reportId: number, e: EvidenceInput, now: Date) {
  return {
    reportId,
    kind: e.kind,
    fileId: e.fileId,
    fileUniqueId: e.fileUniqueId,
    fileName: e.fileName,
    mimeType: e.mimeType,
    chatId: BigInt(e.chatId),
    messageId: e.messageId,
    createdAt: now,
  };
}
