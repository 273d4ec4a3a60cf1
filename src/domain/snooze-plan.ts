import { addDays, localDate, zonedInstant, type CalendarDate } from "./dates.js";
import { escalationDays, openingHour, type EscalationRules, type ReminderRules } from "./reminder-plan.js";
import { nextWorkingDay } from "./working-days.js";

// "⏰ Besok" under a reminder (services/snooze.ts): when the step's reminder comes again, and
// whether it may. Pure: the rules, the step and the clock are given.

/** Snoozes of one step one person may make: "remind me tomorrow" is a breather, not a way to silence a step. */
export const maxSnoozes = 3;

/** What deciding a snooze needs of a program's rules in the step's region (`rulesOf`, with the region's days off). */
export type SnoozeRules = Pick<ReminderRules, "sendHour" | "workingDaysOnly" | "daysOff" | "quietStartHour" | "quietEndHour"> &
  EscalationRules & { escalationEnabled: boolean };

/** A local moment reminders go out at: the date, the hour, and the instant they make in the zone. */
export interface SendMoment {
  date: CalendarDate;
  hour: number;
  at: Date;
}

/**
 * The program's next send hour on a later local day than `now`'s: tomorrow, or with working days
 * only the next working day (weekends, national days off and the program's `daysOff` skipped), at
 * the hour its reminders open (never inside quiet hours, see `openingHour`).
 */
export function nextSendMoment(now: Date, timezone: string, rules: SnoozeRules): SendMoment {
  const tomorrow = addDays(localDate(now, timezone), 1);
  const date = rules.workingDaysOnly ? nextWorkingDay(tomorrow, rules.daysOff) : tomorrow;
  const hour = openingHour(rules);
  return { date, hour, at: zonedInstant(date, hour, timezone) };
}

/**
 * The moment a step would be escalated to the heads of its unit (its ladder's first rung, at the
 * send hour), or null when no escalation is to come from silence: escalation is off, or someone
 * reported after the deadline passed (as the reminder pass judges silence). Days on which nobody
 * of the unit was there (`absent`, services/leave.ts `presenceFor`) do not count, as in the pass.
 */
export function headEscalationAt(
  step: { dueDate: CalendarDate; lastReportAt: Date | null },
  rules: SnoozeRules,
  timezone: string,
  absent?: (day: CalendarDate) => boolean,
): Date | null {
  if (!rules.escalationEnabled) return null;
  const silentSince = zonedInstant(addDays(step.dueDate, 1), 0, timezone);
  if (step.lastReportAt && step.lastReportAt >= silentSince) return null;
  return zonedInstant(escalationDays(step.dueDate, rules, rules.daysOff, absent).head, rules.sendHour, timezone);
}

export type SnoozeVerdict =
  | (SendMoment & { ok: true; kind: "reminder" | "overdue" })
  /** The step's escalation to the head comes (`at` in the future) or came before the reminder would: a snooze would hide it. */
  | { ok: false; reason: "escalation"; at: Date }
  /** `maxSnoozes` made already. */
  | { ok: false; reason: "limit"; max: number };

/**
 * Whether a step's reminder may be snoozed at `now` by someone who snoozed it `snoozed` times
 * already, and when it then comes: at the next send moment, an overdue reminder once that is past
 * the due date. Refused at `maxSnoozes`, and when the next send moment is not before the step's
 * escalation to the head (an overdue step may be snoozed until then; `absent` as for
 * `headEscalationAt`).
 */
export function snoozeVerdict(
  step: { dueDate: CalendarDate; lastReportAt: Date | null },
  snoozed: number,
  rules: SnoozeRules,
  timezone: string,
  now: Date,
  absent?: (day: CalendarDate) => boolean,
): SnoozeVerdict {
  const next = nextSendMoment(now, timezone, rules);
  const escalation = headEscalationAt(step, rules, timezone, absent);
  if (escalation && next.at >= escalation) return { ok: false, reason: "escalation", at: escalation };
  if (snoozed >= maxSnoozes) return { ok: false, reason: "limit", max: maxSnoozes };
  return { ok: true, ...next, kind: next.date > step.dueDate ? "overdue" : "reminder" };
}
