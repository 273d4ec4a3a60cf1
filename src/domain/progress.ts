import { daysBetween, type CalendarDate } from "./dates.js";
import type { MilestoneStatus } from "./statuses.js";

export interface ProgressPart {
  weight: number;
  progress: number;
}

/** Weighted progress (0-100, rounded) of steps with weights; 0 for none. */
export function weightedProgress(parts: readonly ProgressPart[]): number {
  const total = parts.reduce((sum, p) => sum + p.weight, 0);
  if (total <= 0) return 0;
  return Math.round(parts.reduce((sum, p) => sum + p.weight * p.progress, 0) / total);
}

/** Days a step is late on `today` (its region's local date); 0 when done or not yet due. */
export function daysLate(step: { dueDate: CalendarDate; status: string }, today: CalendarDate): number {
  if (step.status === "done") return 0;
  return Math.max(0, daysBetween(step.dueDate, today));
}

/** A step is overdue once its due date has passed in its region without it being done. */
export function isOverdue(step: { dueDate: CalendarDate; status: string }, today: CalendarDate): boolean {
  return daysLate(step, today) > 0;
}

/** Days without a report after which the recap and the digests count a unit with open steps, or a focal point, as silent (a broadcast may pick 7, 14 or 30). */
export const silentAfterDays = 14;

/** The start of a silence of `days` days ending at `now`. */
export function silenceSince(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 86_400_000);
}

/**
 * A unit is silent when it has an open step and no report (one not undone) on any of its steps
 * since `since`: the broadcast's "silent N days" audience and the recap's "tanpa kabar".
 */
export function isSilent(steps: readonly { status: string; lastReportAt: Date | null }[], since: Date): boolean {
  return steps.some((s) => s.status !== "done") && steps.every((s) => silentSince(s.lastReportAt, since));
}

/** Nothing reported at or after `since` by whoever (or whatever) last reported at `lastReportAt` (null: never). */
export function silentSince(lastReportAt: Date | null, since: Date): boolean {
  return lastReportAt === null || lastReportAt < since;
}

/** The status a percentage means: 0 not started, 100 (or more) done, anything between in progress. */
export function statusForPercent(percent: number): MilestoneStatus {
  return percent >= 100 ? "done" : percent === 0 ? "not_started" : "in_progress";
}

/**
 * The progress and status a report leaves a step in. A percentage decides the status (0: not
 * started, 100: done, else in progress) unless the reporter says it is blocked; a report
 * without a percentage keeps the previous one.
 */
export function applyReport(
  previous: { progress: number },
  report: { percent: number | null; status: MilestoneStatus },
): { progress: number; status: MilestoneStatus } {
  if (report.status === "done") return { progress: 100, status: "done" };
  const progress = report.percent ?? previous.progress;
  if (report.status === "blocked") return { progress, status: "blocked" };
  if (report.percent === null) return { progress, status: report.status };
  return { progress: Math.min(progress, 100), status: statusForPercent(progress) };
}

/** Steps by where they stand (each counted once), as a digest sums a program up. */
export interface StepCounts {
  done: number;
  /** Open, not late, not blocked. */
  onTrack: number;
  /** Overdue, blocked or not: the same count as a recap's "terlambat". */
  late: number;
  /** Blocked and not late yet. */
  blocked: number;
}

/** Counts steps by where they stand on their region's `today`. */
export function countSteps(steps: readonly { dueDate: CalendarDate; status: string; today: CalendarDate }[]): StepCounts {
  const counts: StepCounts = { done: 0, onTrack: 0, late: 0, blocked: 0 };
  for (const step of steps) {
    if (step.status === "done") counts.done++;
    else if (isOverdue(step, step.today)) counts.late++;
    else if (step.status === "blocked") counts.blocked++;
    else counts.onTrack++;
  }
  return counts;
}
