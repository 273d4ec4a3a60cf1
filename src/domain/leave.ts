import { addDays, daysBetween, formatWeekday, parseDayFrom, type CalendarDate } from "./dates.js";

// Leave (cuti): a focal point or head away from the day they say so to a last day, both
// inclusive, as calendar dates. Whoever reads it compares with today in the zone of the unit a
// message is about, so a leave ends by itself: the day after its last day the person is back.

/** The furthest last day one may declare, in days after today: a leave longer than a quarter is a seat to hand over. */
export const maxAwayDays = 90;

/** One leave: its first and last day away. */
export interface AwayPeriod {
  firstDay: CalendarDate;
  lastDay: CalendarDate;
}

/** The leave covering `day`, if any. */
export function leaveOn(periods: readonly AwayPeriod[] | undefined, day: CalendarDate): AwayPeriod | null {
  return periods?.find((p) => p.firstDay <= day && day <= p.lastDay) ?? null;
}

/** Whether someone with these leaves is away on `day`. */
export function isAwayOn(periods: readonly AwayPeriod[] | undefined, day: CalendarDate): boolean {
  return leaveOn(periods, day) !== null;
}

/** Why a last day cannot be declared on `today`: it is not after today, or more than `maxAwayDays` away. */
export type AwayDayProblem = "not_after_today" | "too_far";

export function checkLastDay(lastDay: CalendarDate, today: CalendarDate): AwayDayProblem | null {
  const days = daysBetween(today, lastDay);
  if (days <= 0) return "not_after_today";
  return days > maxAwayDays ? "too_far" : null;
}

/** Weekday names in both languages, as people write them before a date ("Jumat 12 Des", "Friday, 12 Dec"). */
const weekdays = new Set(["jum'at", ...[1, 2, 3, 4, 5, 6, 7].flatMap((d) => [formatWeekday(d, "id"), formatWeekday(d, "en")].map((n) => n.toLowerCase()))]);

/**
 * The last day away a person means: "3 hari" / "3 days" (today and three days more), "2 minggu" /
 * "2 weeks", or a date ("12 Desember", "12/12/2026", "2026-12-12"; see `parseDayFrom`), which may
 * follow a weekday ("Jumat 12 Des": the date decides, a weekday that does not match it is not
 * checked). Null when it is none of these; whether it may be declared is `checkLastDay`'s to say.
 */
export function parseLastDay(text: string, today: CalendarDate): CalendarDate | null {
  const s = text.trim().toLowerCase();
  const span = /^(\d{1,3})\s*(hari|days?|minggu|pekan|weeks?)$/.exec(s);
  if (span) return addDays(today, Number(span[1]) * (/^(hari|day)/.test(span[2]!) ? 1 : 7));
  const named = /^([a-z']+),?\s+(\d.*)$/.exec(s);
  return parseDayFrom(named && weekdays.has(named[1]!) ? named[2]! : s, today);
}

/**
 * The day an escalation falls on when `days` days must pass from `start`, not counting the days on
 * which nobody of the unit was present (`absent`), and on a day when someone is: the days are
 * counted from `start` (`start` itself the first), the day after the last one counted is the day,
 * then moved to the next working day (`workingDay`) and past any day the unit is away. Without
 * absences: `workingDay(start + days)`, the ladder as it has always been.
 */
export function ladderDay(
  start: CalendarDate,
  days: number,
  absent: (day: CalendarDate) => boolean,
  workingDay: (day: CalendarDate) => CalendarDate,
): CalendarDate {
  let day = start;
  // Leaves are finite: past the last one every day is present. The bound only guards a bad input.
  for (let counted = 0, guard = 0; counted < days && guard < 10_000; guard++) {
    if (!absent(day)) counted++;
    day = addDays(day, 1);
  }
  for (let guard = 0; guard < 10_000; guard++) {
    const working = workingDay(day);
    if (!absent(working)) return working;
    day = addDays(working, 1);
  }
  return day;
}
