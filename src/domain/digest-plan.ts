import { addDays, isoWeekday, localDate, zonedInstant, type CalendarDate } from "./dates.js";
import { hourIsQuiet, isQuietHour, type ReminderRules } from "./reminder-plan.js";

/** A program's weekly digest rules (see the Program model), with the hours they lean on. */
export interface DigestRules extends Pick<ReminderRules, "sendHour" | "quietStartHour" | "quietEndHour"> {
  digestEnabled: boolean;
  /** ISO weekday: 1 Monday … 7 Sunday. */
  digestWeekday: number;
  /** Local hour; null: the send hour. */
  digestHour: number | null;
}

/** The digest of one week in one time zone. */
export interface DigestSlot {
  /** The local date of the digest day: with the program and the person it makes the key. */
  date: CalendarDate;
  /** The instant it opened. */
  at: Date;
}

/** A digest missed by less than this (downtime) is still sent; an older one is not replayed. */
export const digestCatchUpMs = 24 * 3_600_000;

/** A digest lists the steps due within this many days from today. */
export const digestDueWithinDays = 14;

/** The local hour a digest opens at: its own or the send hour, moved to the end of quiet hours when it falls in them (as reminders are). */
export function digestOpeningHour(rules: DigestRules): number {
  const hour = rules.digestHour ?? rules.sendHour;
  return hourIsQuiet(hour, rules) ? rules.quietEndHour : hour;
}

/**
 * The digest owed at `now` in a time zone: the latest digest day whose opening hour has passed,
 * while less than `digestCatchUpMs` ago (after a day the week's digest is not replayed). Null
 * when digests are off, during quiet hours (it waits for their end) and outside that day.
 */
export function digestSlot(rules: DigestRules, timezone: string, now: Date): DigestSlot | null {
  if (!rules.digestEnabled || isQuietHour(now, timezone, rules)) return null;
  const hour = digestOpeningHour(rules);
  const today = localDate(now, timezone);
  let date = addDays(today, -((isoWeekday(today) - rules.digestWeekday + 7) % 7));
  let at = zonedInstant(date, hour, timezone);
  if (at > now) {
    date = addDays(date, -7);
    at = zonedInstant(date, hour, timezone);
  }
  return now.getTime() - at.getTime() < digestCatchUpMs ? { date, at } : null;
}

/** What a digest sent at `now` for the slot that opened at `slotAt` covers. */
export interface DigestWindow {
  /** Reports from this instant on: the week before the slot, so consecutive digests leave no gap. */
  reportsSince: Date;
  /** Steps due from today (local) to this date are "due soon". */
  dueUntil: CalendarDate;
}

export function digestWindow(slotAt: Date, today: CalendarDate): DigestWindow {
  return { reportsSince: new Date(slotAt.getTime() - 7 * 86_400_000), dueUntil: addDays(today, digestDueWithinDays) };
}
