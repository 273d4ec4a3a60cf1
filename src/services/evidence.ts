import type { Prisma } from "../db/connection.js";
import type { MilestoneStatus } from "../domain/statuses.js";
import { audit, type AuditActor } from "./audit.js";
import { evidenceLimit, evidenceRow, reportableMilestone, stepTarget, takeStep, uniqueEvidence, type EvidenceInput } from "./milestones.js";
import type { Person } from "./people.js";

/** How long the reporter may undo a report (the "↩️ Urungkan" button under its confirmation). */
export const undoWindowMs = 30 * 60_000;

/**
 * How long after a report a file sent without a caption in reply to the step's reminder still
 * counts as that report's evidence. Long enough for a photo sent right after the text on a slow
 * connection (or the uncaptioned rest of an album), short enough not to land on an old report.
 */
export const lateEvidenceWindowMs = 60 * 60_000;

export type UndoResult =
  | {
      ok: true;
      milestoneId: number;
      title: string;
      /** The step's progress and status after the undo (from its latest report still standing). */
      progress: number;
      status: MilestoneStatus;
    }
  | { ok: false; reason: "not_found" | "not_yours" | "already_undone" | "expired" };

/**
 * Undoes a report, checked on the server: only its reporter (still a focal point of the step's
 * unit), only once, only within `undoWindowMs`. Marks it undone and puts the step back where its
 * latest report still standing left it (0%, not started, when none), in one transaction.
 */
export async function undoReport(db: Prisma, person: Person, reportId: number, now: Date, actor: AuditActor): Promise<UndoResult> {
  const report = await db.progressReport.findUnique({ where: { id: reportId } });
  if (!report) return { ok: false, reason: "not_found" };
  if (report.personId !== person.id) return { ok: false, reason: "not_yours" };
  if (report.undoneAt) return { ok: false, reason: "already_undone" };
  if (now.getTime() - report.createdAt.getTime() > undoWindowMs) return { ok: false, reason: "expired" };
  const step = await reportableMilestone(db, person, report.milestoneId, now);
  return db.$transaction(async (tx): Promise<UndoResult> => {
    // Conditional, so of two presses arriving together exactly one undoes.
    const claimed = await tx.progressReport.updateMany({ where: { id: reportId, personId: person.id, undoneAt: null }, data: { undoneAt: now } });
    if (claimed.count !== 1) return { ok: false, reason: "already_undone" };
    const current = await takeStep(tx, step.id);
    const latest = await tx.progressReport.findFirst({
      where: { milestoneId: step.id, undoneAt: null },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    });
    const restored = latest
      ? { progress: latest.percent, status: latest.status as MilestoneStatus, lastReportAt: latest.createdAt }
      : { progress: 0, status: "not_started" as MilestoneStatus, lastReportAt: null };
    await tx.milestone.update({ where: { id: step.id }, data: restored });
    await audit(tx, {
      actor,
      action: "report.undo",
      ...stepTarget(step),
      before: { progress: current.progress, status: current.status },
      after: { progress: restored.progress, status: restored.status },
      detail: { reportId, unit: step.unit.name },
      at: now,
    });
    return { ok: true, milestoneId: step.id, title: step.title, progress: restored.progress, status: restored.status };
  });
}

/**
 * Adds files to the person's latest report on one of the steps `milestoneIds` (those a reminder
 * listed) made within `lateEvidenceWindowMs` and not undone. Returns that report's id, its step's
 * title and how many files it now has, or null when there is none.
 */
export async function attachToRecentReport(
  db: Prisma,
  person: Person,
  milestoneIds: readonly number[],
  files: EvidenceInput[],
  now: Date,
  actor: AuditActor,
): Promise<{ reportId: number; title: string; evidenceCount: number; added: number } | null> {
  const report = await db.progressReport.findFirst({
    where: {
      milestoneId: { in: [...milestoneIds] },
      personId: person.id,
      undoneAt: null,
      createdAt: { gte: new Date(now.getTime() - lateEvidenceWindowMs) },
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    include: { evidence: { select: { fileUniqueId: true } } },
  });
  if (!report) return null;
  const step = await reportableMilestone(db, person, report.milestoneId, now);
  const known = new Set(report.evidence.map((e) => e.fileUniqueId));
  const fresh = uniqueEvidence(files)
    .filter((f) => !known.has(f.fileUniqueId))
    .slice(0, Math.max(0, evidenceLimit - known.size));
  if (fresh.length > 0) {
    await db.$transaction(async (tx) => {
      await tx.evidence.createMany({ data: fresh.map((f) => evidenceRow(report.id, f, now)) });
      await audit(tx, {
        actor,
        action: "report.evidence",
        ...stepTarget(step),
        detail: { reportId: report.id, unit: step.unit.name, added: fresh.length },
        at: now,
      });
    });
  }
  return { reportId: report.id, title: step.title, evidenceCount: known.size + fresh.length, added: fresh.length };
}
