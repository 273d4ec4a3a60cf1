import { createRequire } from "node:module";
import type Holidays from "date-holidays";
import { addDays, type CalendarDate, type Language } from "./dates.js";
import { officialYears, type OfficialKind } from "./holidays/index.js";

// Loaded on first use: the library (every country's rules) costs tens of megabytes and tens of
// milliseconds, and only years the official calendar does not cover yet ever ask. Its CommonJS
// build is required, as the questions asked of it are synchronous.
let calendar: Holidays | undefined;
const computer = () => (calendar ??= new (createRequire(import.meta.url)("date-holidays") as typeof Holidays)("ID"));
const daysOffByYear = new Map<number, Set<CalendarDate>>();

/**
 * Indonesia's national days off of a year, read once per year: the reminder planner asks about
 * the same few years for every step of every pass. A year of the official calendar
 * (`holidays/`) is taken from it alone, libur nasional and cuti bersama: the computed lunar
 * holidays can be a day off (Idul Fitri 2023) and know no cuti bersama. Any other year falls
 * back to date-holidays' public holidays, read from its "YYYY-MM-DD hh:mm:ss" text rather than
 * its Date objects, so the server's own time zone cannot shift a holiday by a day.
 */
function nationalDaysOff(year: number): Set<CalendarDate> {
  let days = daysOffByYear.get(year);
  if (!days) {
    const official = officialYears.get(year);
    days = new Set(official ? official.days.map((d) => d.date) : computedHolidays(year, "id").map((h) => h.date));
    daysOffByYear.set(year, days);
  }
  return days;
}

function computedHolidays(year: number, lang: Language): { date: CalendarDate; name: string }[] {
  return computer()
    .getHolidays(year, lang)
    .filter((h) => h.type === "public")
    .map((h) => ({ date: h.date.slice(0, 10), name: h.name }));
}

/** A national day off as a list shows it. */
export interface NationalDay {
  date: CalendarDate;
  kind: OfficialKind;
  name: string;
  /** False for a year the official calendar does not cover: a date computed by date-holidays, which the decree may move. */
  official: boolean;
}

/** The national days off from `from` to `to` (both included), by date; a computed day's name in `lang`. */
export function nationalDays(from: CalendarDate, to: CalendarDate, lang: Language): NationalDay[] {
  const days: NationalDay[] = [];
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
    const official = officialYears.get(year);
    if (official) days.push(...official.days.map((d) => ({ ...d, official: true })));
    else {
      // The library lists two holidays on one date now and then (Isra Mikraj on Christmas 2027).
      const byDate = new Map<CalendarDate, string[]>();
      for (const h of computedHolidays(year, lang)) byDate.set(h.date, [...(byDate.get(h.date) ?? []), h.name]);
      for (const [date, names] of byDate) days.push({ date, kind: "libur nasional", name: names.join(" / "), official: false });
    }
  }
  return days.filter((d) => d.date >= from && d.date <= to).sort((a, b) => a.date.localeCompare(b.date));
}

/** The decrees a year's official calendar comes from; null for a year left to the computed holidays. */
export function officialDecrees(year: number): string[] | null {
  return officialYears.get(year)?.decrees ?? null;
}

/** Days a program does not work on besides the national ones (its own, its region's): see `services/program-holidays.ts`. */
export type DaysOff = ReadonlySet<CalendarDate>;

const none: DaysOff = new Set();

/** Saturday and Sunday, read in UTC so the server's time zone cannot shift the weekday. */
export function isWeekend(date: CalendarDate): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/**
 * True on Monday to Friday unless the day is a national day off (libur nasional or cuti bersama)
 * or one of `daysOff`, so a program can keep its reminders to days when the offices it reminds
 * are open.
 */
export function isWorkingDay(date: CalendarDate, daysOff: DaysOff = none): boolean {
  return !isWeekend(date) && !nationalDaysOff(Number(date.slice(0, 4))).has(date) && !daysOff.has(date);
}

/** The date itself when it is a working day, else the last working day before it: where a reminder due before a deadline moves. */
export function previousWorkingDay(date: CalendarDate, daysOff: DaysOff = none): CalendarDate {
  let day = date;
  while (!isWorkingDay(day, daysOff)) day = addDays(day, -1);
  return day;
}

/** The date itself when it is a working day, else the first working day after it: where a reminder after a deadline moves. */
export function nextWorkingDay(date: CalendarDate, daysOff: DaysOff = none): CalendarDate {
  let day = date;
  while (!isWorkingDay(day, daysOff)) day = addDays(day, 1);
  return day;
}
