import dayjs, { type Dayjs } from "dayjs";
import idLocale from "dayjs/locale/id.js";
import enGbLocale from "dayjs/locale/en-gb.js";
import customParseFormat from "dayjs/plugin/customParseFormat.js";
import utc from "dayjs/plugin/utc.js";

dayjs.extend(utc);
dayjs.extend(customParseFormat);

/**
 * Calendar dates are plain "YYYY-MM-DD" strings (a due date is a day in the region, not an
 * instant); instants are Date objects in UTC. Conversion happens only here.
 */
export type CalendarDate = string;
export type Language = "id" | "en";

const zoneAliases: Record<string, string> = {
  WIB: "Asia/Jakarta",
  WITA: "Asia/Makassar",
  WIT: "Asia/Jayapura",
};

/** True when the runtime knows the IANA time zone. */
export function isValidTimeZone(tz: string): boolean {
  if (!tz.includes("/") && tz !== "UTC") return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** "WIB", "WITA", "WIT" (any case) or a valid IANA name (any case) to an IANA name; null otherwise. */
export function resolveTimeZone(input: string): string | null {
  const trimmed = input.trim();
  const alias = zoneAliases[trimmed.toUpperCase()];
  if (alias) return alias;
  // The runtime's own spelling, so "asia/jakarta" is stored as Asia/Jakarta.
  return isValidTimeZone(trimmed) ? new Intl.DateTimeFormat("en", { timeZone: trimmed }).resolvedOptions().timeZone : null;
}

const monthNames: Record<string, number> = {};
[
  ["januari", "january", "jan"],
  ["februari", "february", "feb", "pebruari"],
  ["maret", "march", "mar"],
  ["april", "apr"],
  ["mei", "may"],
  ["juni", "june", "jun"],
  ["juli", "july", "jul"],
  ["agustus", "august", "agu", "agt", "aug"],
  ["september", "sep", "sept"],
  ["oktober", "october", "okt", "oct"],
  ["november", "nopember", "nov", "nop"],
  ["desember", "december", "des", "dec"],
].forEach((names, i) => names.forEach((n) => (monthNames[n] = i + 1)));

// Strict parsing refuses a day the month does not have (31/02, 29/02 outside leap years).
function toCalendarDate(year: number, month: number, day: number): CalendarDate | null {
  if (year < 1900 || year > 2999) return null;
  const date = dayjs.utc(`${year}-${month}-${day}`, "YYYY-M-D", true);
  return date.isValid() ? date.format("YYYY-MM-DD") : null;
}

/**
 * Parses a due date written as "2022-03-14", "14/03/2022" (also 14-03-2022, 14.03.2022) or
 * "14 Maret 2022" (Indonesian or English month names, full or short). Null when the text is
 * not a date or names an impossible one such as 31/02/2022.
 */
export function parseDueDate(text: string): CalendarDate | null {
  const s = text.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (m) return toCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (m) return toCalendarDate(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})$/.exec(s);
  if (m) {
    const month = monthNames[m[2]!.toLowerCase()];
    return month ? toCalendarDate(Number(m[3]), month, Number(m[1])) : null;
  }
  return null;
}

/**
 * A day as people write it in a sentence: the forms of `parseDueDate`, or a day and month without
 * the year ("12 Desember", "12 Des", "12/12"), which is the one of that day nearest to `today`
 * (last year's, this year's or next year's; the later of two as near). Null for anything else.
 */
export function parseDayFrom(text: string, today: CalendarDate): CalendarDate | null {
  const s = text.trim();
  const full = parseDueDate(s);
  if (full) return full;
  let day: number, month: number | undefined;
  let m = /^(\d{1,2})[/.-](\d{1,2})$/.exec(s);
  if (m) [day, month] = [Number(m[1]), Number(m[2])];
  else {
    m = /^(\d{1,2})\s+([A-Za-z]+)\.?$/.exec(s);
    if (!m) return null;
    [day, month] = [Number(m[1]), monthNames[m[2]!.toLowerCase()]];
  }
  if (!month) return null;
  const year = Number(today.slice(0, 4));
  const candidates = [year + 1, year, year - 1].map((y) => toCalendarDate(y, month, day)).filter((d) => d !== null);
  const distance = (d: CalendarDate) => Math.abs(daysBetween(today, d));
  return candidates.reduce<CalendarDate | null>((best, d) => (best === null || distance(d) < distance(best) ? d : best), null);
}

// dayjs's Indonesian and British English, registered without becoming the default, with the short
// months Pantau has always written (CLDR's "Agu" and "Sept"; dayjs says "Agt" and "Sep").
const locales: Record<Language, string> = {
  id: dayjs.locale({ ...idLocale, name: "pantau-id", monthsShort: "Jan_Feb_Mar_Apr_Mei_Jun_Jul_Agu_Sep_Okt_Nov_Des".split("_") }, undefined, true),
  en: dayjs.locale({ ...enGbLocale, name: "pantau-en", monthsShort: "Jan_Feb_Mar_Apr_May_Jun_Jul_Aug_Sept_Oct_Nov_Dec".split("_") }, undefined, true),
};

// Made once per zone: a formatter costs far more to make than to use, and a reminder pass reads
// a zone's clock for every step of thousands. Zones are few.
const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in minutes ("GMT+07:00" is 420). */
function offsetMinutes(instant: Date, tz: string): number {
  let format = offsetFormatters.get(tz);
  if (!format) offsetFormatters.set(tz, (format = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "longOffset" })));
  const m = /GMT([+-])(\d\d):(\d\d)(?::(\d\d))?/.exec(format.format(instant)); // plain "GMT" for UTC
  return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]) + Number(m[4] ?? 0) / 60) : 0;
}

/**
 * The wall clock of a time zone at an instant, as a UTC-mode dayjs whose fields are the zone's.
 * Not dayjs's tz(): it reads the clock back through the server's own zone (an hour off inside
 * that zone's DST gap, iamkun/dayjs#2580) and makes an Intl formatter on every call.
 */
function wallClock(instant: Date, tz: string, lang?: Language): Dayjs {
  return dayjs(instant.getTime() + offsetMinutes(instant, tz) * 60_000, { utc: true, locale: lang && locales[lang] });
}

/** The calendar date of an instant in a time zone. */
export function localDate(instant: Date, tz: string): CalendarDate {
  return wallClock(instant, tz).format("YYYY-MM-DD");
}

/** The local hour (0–23) of an instant in a time zone. */
export function localHour(instant: Date, tz: string): number {
  return wallClock(instant, tz).hour();
}

/** The local minute (0–59) of an instant in a time zone. */
export function localMinute(instant: Date, tz: string): number {
  return wallClock(instant, tz).minute();
}

/**
 * The instant at which a local date reaches `hour`:00 in a time zone. An hour that happens twice
 * (clocks going back) is its first; an hour that a clock skips reads as the hour after it.
 */
export function zonedInstant(date: CalendarDate, hour: number, tz: string): Date {
  // The wall time read as UTC, less the zone's offset a day before or a day after: a zone changes
  // its offset at most once in between. Not dayjs.tz(), whose pick in a repeated hour depends on
  // today's date and the server's zone.
  const wall = utcDay(date) * 86_400_000 + hour * 3_600_000;
  const before = wall - offsetMinutes(new Date(wall - 86_400_000), tz) * 60_000;
  const after = wall - offsetMinutes(new Date(wall + 86_400_000), tz) * 60_000;
  const reads = (instant: number) => instant + offsetMinutes(new Date(instant), tz) * 60_000 === wall;
  return new Date(before === after || reads(before) || !reads(after) ? before : after);
}

function utcDay(date: CalendarDate): number {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return utcDay(to) - utcDay(from);
}

/** The ISO weekday of a date: 1 Monday … 7 Sunday (read in UTC, so the server's zone cannot shift it). */
export function isoWeekday(date: CalendarDate): number {
  return new Date(utcDay(date) * 86_400_000).getUTCDay() || 7;
}

/** True for a "YYYY-MM-DD" naming a day the calendar has (not "2026-13-45"): it reads back as itself. */
export function isCalendarDate(text: string): text is CalendarDate {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && addDays(text, 0) === text;
}

/** The date `days` after (or before, when negative) a date. */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  // Plain arithmetic, not dayjs: a reminder pass adds days for every step of thousands.
  const d = new Date((utcDay(date) + days) * 86_400_000);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}-${String(d.getUTCDate()).padStart(2, "0")}`;
}

function calendarDay(date: CalendarDate, lang: Language): Dayjs {
  return dayjs(utcDay(date) * 86_400_000, { utc: true, locale: locales[lang] });
}

/** "Jumat, 14 Januari 2022" (id) or "Friday, 14 January 2022" (en). */
export function formatLongDate(date: CalendarDate, lang: Language): string {
  return calendarDay(date, lang).format("dddd, D MMMM YYYY");
}

/** "Senin" (id) or "Monday" (en) for an ISO weekday (1 Monday … 7 Sunday). */
export function formatWeekday(weekday: number, lang: Language): string {
  // 2024-01-01 was a Monday.
  return calendarDay(addDays("2024-01-01", weekday - 1), lang).format("dddd");
}

/** "14 Jan" in either language: a day of this year or the next, where space is short. */
export function formatDayMonth(date: CalendarDate, lang: Language): string {
  return calendarDay(date, lang).format("D MMM");
}

/** "14 Jan 2022" in either language. */
export function formatShortDate(date: CalendarDate, lang: Language): string {
  return calendarDay(date, lang).format("D MMM YYYY");
}

/** "WIB", "WITA", "WIT", or the zone's IANA name. */
export function zoneLabel(tz: string): string {
  return Object.keys(zoneAliases).find((label) => zoneAliases[label] === tz) ?? tz;
}

/** "Sel, 11 Jan 2022 09.00 WIB": a moment in a region's time zone (a report's, an audit entry's). */
export function formatMoment(instant: Date, tz: string, lang: Language): string {
  return `${wallClock(instant, tz, lang).format(lang === "id" ? "ddd, D MMM YYYY HH.mm" : "ddd, D MMM YYYY HH:mm")} ${zoneLabel(tz)}`;
}

/**
 * The zone most of these (a program's units' zones) are in, ties by name: where a coordinator of
 * a whole program counts their day (their digest, their summary of units nobody is reminded in).
 */
export function mainZone(zones: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const zone of zones) counts.set(zone, (counts.get(zone) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
}
