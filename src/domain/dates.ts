import { TZDate } from "@date-fns/tz";

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

function toCalendarDate(year: number, month: number, day: number): CalendarDate | null {
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1) return null;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
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

/** The calendar date of an instant in a time zone. */
export function localDate(instant: Date, tz: string): CalendarDate {
  const d = new TZDate(instant.getTime(), tz);
  return toCalendarDate(d.getFullYear(), d.getMonth() + 1, d.getDate())!;
}

/** The local hour (0–23) of an instant in a time zone. */
export function localHour(instant: Date, tz: string): number {
  return new TZDate(instant.getTime(), tz).getHours();
}

/** The local minute (0–59) of an instant in a time zone. */
export function localMinute(instant: Date, tz: string): number {
  return new TZDate(instant.getTime(), tz).getMinutes();
}

/** The instant at which a local date reaches `hour`:00 in a time zone. */
export function zonedInstant(date: CalendarDate, hour: number, tz: string): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(new TZDate(y, m - 1, d, hour, 0, 0, tz).getTime());
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

/** The date `days` after (or before, when negative) a date. */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  const d = new Date((utcDay(date) + days) * 86_400_000);
  return toCalendarDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())!;
}

const locales: Record<Language, string> = { id: "id-ID", en: "en-GB" };

// Made once per language (and zone): a formatter costs far more to make than to use (a reminder
// of ten steps formats ten dates, an audit file a moment per row). Languages and zones are few.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterOf(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let format = formatters.get(key);
  if (!format) formatters.set(key, (format = make()));
  return format;
}

/** "Jumat, 14 Januari 2022" (id) or "Friday, 14 January 2022" (en). */
export function formatLongDate(date: CalendarDate, lang: Language): string {
  const format = formatterOf(
    `${lang}|long`,
    () => new Intl.DateTimeFormat(locales[lang], { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }),
  );
  return format.format(new Date(utcDay(date) * 86_400_000));
}

/** "Senin" (id) or "Monday" (en) for an ISO weekday (1 Monday … 7 Sunday). */
export function formatWeekday(weekday: number, lang: Language): string {
  const format = formatterOf(`${lang}|weekday`, () => new Intl.DateTimeFormat(locales[lang], { weekday: "long", timeZone: "UTC" }));
  // 2024-01-01 was a Monday.
  return format.format(new Date((utcDay("2024-01-01") + weekday - 1) * 86_400_000));
}

/** "14 Jan 2022" in either language. */
export function formatShortDate(date: CalendarDate, lang: Language): string {
  const format = formatterOf(
    `${lang}|short`,
    () => new Intl.DateTimeFormat(locales[lang], { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }),
  );
  return format.format(new Date(utcDay(date) * 86_400_000)).replace(/\./g, "");
}

/** "WIB", "WITA", "WIT", or the zone's IANA name. */
export function zoneLabel(tz: string): string {
  return Object.keys(zoneAliases).find((label) => zoneAliases[label] === tz) ?? tz;
}

/** "Sel, 11 Jan 2022 09.00 WIB": a moment in a region's time zone (a report's, an audit entry's). */
export function formatMoment(instant: Date, tz: string, lang: Language): string {
  const weekday = formatterOf(`${lang}|weekday|${tz}`, () => new Intl.DateTimeFormat(locales[lang], { weekday: "short", timeZone: tz }));
  const time = formatterOf(
    `${lang}|time|${tz}`,
    () => new Intl.DateTimeFormat(locales[lang], { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: tz }),
  );
  return `${weekday.format(instant).replace(/\.$/, "")}, ${formatShortDate(localDate(instant, tz), lang)} ${time.format(instant)} ${zoneLabel(tz)}`;
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
