import { createRequire } from "node:module";
import type Holidays from "date-holidays";
import { addDays, type CalendarDate } from "./dates.js";

// Loaded on first use: the library (every country's rules) costs tens of megabytes and tens of
// milliseconds, and only programs that keep to working days ever ask. Its CommonJS build is
// required, as the questions asked of it are synchronous.
let calendar: Holidays | undefined;
const holidaysByYear = new Map<number, Set<CalendarDate>>();

/**
 * Indonesia's national public holidays of a year, read once per year: the reminder planner asks
 * about the same few years for every step of every pass. Only type "public" counts (observances
 * are working days), and dates are read from the library's "YYYY-MM-DD hh:mm:ss" text rather
 * than its Date objects, so the server's own time zone cannot shift a holiday by a day.
 */
function publicHolidays(year: number): Set<CalendarDate> {
  let days = holidaysByYear.get(year);
  if (!days) {
    calendar ??= new (createRequire(import.meta.url)("date-holidays") as typeof Holidays)("ID");
    days = new Set(
      calendar
        .getHolidays(year)
        .filter((h) => h.type === "public")
        .map((h) => h.date.slice(0, 10)),
    );
    holidaysByYear.set(year, days);
  }
  return days;
}

/**
 * True on Monday to Friday unless the day is an Indonesian national public holiday, so a
 * program can keep its reminders to days when the offices it reminds are open. Regional
 * holidays and collective leave (cuti bersama) are not known and count as working days.
 */
export function isWorkingDay(date: CalendarDate): boolean {
  // The weekday of the calendar date itself, read in UTC so the server's time zone cannot shift it.
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !publicHolidays(Number(date.slice(0, 4))).has(date);
}

/** The date itself when it is a working day, else the last working day before it: where a reminder due before a deadline moves. */
export function previousWorkingDay(date: CalendarDate): CalendarDate {
  let day = date;
  while (!isWorkingDay(day)) day = addDays(day, -1);
  return day;
}

/** The date itself when it is a working day, else the first working day after it: where a reminder after a deadline moves. */
export function nextWorkingDay(date: CalendarDate): CalendarDate {
  let day = date;
  while (!isWorkingDay(day)) day = addDays(day, 1);
  return day;
}
