import { addDays, daysBetween, localDate, zonedInstant, type CalendarDate } from "./dates.js";

/** A program's reminder rules (see the Program model). */
export interface ReminderRules {
  /** Days before the due date, e.g. [14, 7, 3, 1, 0]. */
  offsets: number[];
  overdueEveryDays: number;
  overdueMaxReminders: number;
  /** Local hour at which reminders go out. */
  sendHour: number;
}

/** The reminder a step is owed at a moment. */
export interface ReminderSlot {
  kind: "reminder" | "overdue";
  /** Local date of the slot. */
  date: CalendarDate;
  /** The instant the slot opened. */
  at: Date;
  /** Identifies the slot: with the step and the person it makes the delivery key. */
  key: string;
  /** Days until the due date on the local date of `now` (negative when late). */
  daysLeft: number;
}

/** Parses "14,7,3,1,0" into distinct offsets, largest first. */
export function parseOffsets(text: string): number[] {
  const values = text
    .split(",")
    .filter((s) => s.trim() !== "")
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n >= 0);
  return [...new Set(values)].sort((a, b) => b - a);
}

/**
 * The slot a step not yet done is owed at `now`: the latest slot whose local date has come,
 * once its send hour has passed in the step's time zone. Before the due date's end those are
 * the H-n slots; once the step is late, only the overdue slots count (the first the day after
 * the due date, then every `overdueEveryDays`, at most `overdueMaxReminders`), so a pass after
 * downtime sends one current reminder, never a burst of stale ones. On a slot's day before its
 * hour nothing is owed (the earlier slot is superseded, so nobody gets it minutes before the
 * new one). Null when nothing is owed.
 */
export function currentSlot(dueDate: CalendarDate, rules: ReminderRules, timezone: string, now: Date): ReminderSlot | null {
  const today = localDate(now, timezone);
  const daysLeft = daysBetween(today, dueDate);
  const opened = (date: CalendarDate) => zonedInstant(date, rules.sendHour, timezone).getTime() <= now.getTime();
  const slot = (kind: ReminderSlot["kind"], date: CalendarDate): ReminderSlot => ({
    kind,
    date,
    at: zonedInstant(date, rules.sendHour, timezone),
    key: `${kind}:${date}`,
    daysLeft,
  });

  if (daysLeft >= 0) {
    const latest = rules.offsets
      .map((offset) => addDays(dueDate, -offset))
      .filter((date) => date <= today)
      .sort()
      .at(-1);
    return latest && opened(latest) ? slot("reminder", latest) : null;
  }
  const every = Math.max(1, rules.overdueEveryDays);
  const index = Math.floor(daysBetween(addDays(dueDate, 1), today) / every);
  const date = addDays(dueDate, 1 + index * every);
  if (index >= rules.overdueMaxReminders || !opened(date)) return null;
  return slot("overdue", date);
}
