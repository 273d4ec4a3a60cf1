import { addDays, daysBetween, localDate, localHour, zonedInstant, type CalendarDate } from "./dates.js";
import { nextWorkingDay, previousWorkingDay, type DaysOff } from "./working-days.js";
import { ladderDay } from "./leave.js";

/** A program's reminder rules (see the Program model). */
export interface ReminderRules {
  /** Days before the due date, e.g. [14, 7, 3, 1, 0]. */
  offsets: number[];
  overdueEveryDays: number;
  overdueMaxReminders: number;
  /** Local hour at which reminders go out. */
  sendHour: number;
  /** Keep reminders off weekends, national days off and `daysOff` (see `currentSlot`). */
  workingDaysOnly: boolean;
  /** The program's own days off in the step's region (`services/program-holidays.ts`); none when absent. */
  daysOff?: DaysOff;
  /** Local quiet hours from `quietStartHour` until `quietEndHour`, wrapping midnight (21 to 6); equal hours mean none. */
  quietStartHour: number;
  quietEndHour: number;
}

/** The reminder a step is owed at a moment. */
export interface ReminderSlot {
  kind: "reminder" | "overdue";
  /** Local date of the slot (after any move to a working day). */
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
 * The one quiet-hours rule: a local hour is quiet from `quietStartHour` until (not including)
 * `quietEndHour`, wrapping midnight when the start is the later hour; never when both are equal.
 */
export function hourIsQuiet(hour: number, rules: Pick<ReminderRules, "quietStartHour" | "quietEndHour">): boolean {
  const { quietStartHour: start, quietEndHour: end } = rules;
  if (start === end) return false;
  return start < end ? hour >= start && hour < end : hour >= start || hour < end;
}

/** True when `now` falls in the quiet hours in `timezone`: automated messages wait, so nobody is woken at night. */
export function isQuietHour(now: Date, timezone: string, rules: Pick<ReminderRules, "quietStartHour" | "quietEndHour">): boolean {
  return hourIsQuiet(localHour(now, timezone), rules);
}

/**
 * The local hour a program's reminders go out at: its send hour, or the end of its quiet hours
 * when the send hour lies inside them (it would never be allowed to send; see `currentSlot`).
 */
export function openingHour(rules: Pick<ReminderRules, "sendHour" | "quietStartHour" | "quietEndHour">): number {
  return hourIsQuiet(rules.sendHour, rules) ? rules.quietEndHour : rules.sendHour;
}

/**
 * The first moment after `now` at which a local hour begins in one of `zones` at which time alone
 * can make something new owed for a step: the opening hour of reminders, the send hour of
 * escalations and summaries, the end of quiet hours (what they held back), and midnight unless it
 * is quiet (a new local day: whoever is back from leave). Between two such moments a pass owes a
 * step nothing it did not owe at the first (`currentSlot`, escalations and summaries read the
 * clock only through these hours; quiet hours beginning only hold things back), so a pass that
 * planned a step need not look at it again before this, unless its data changes.
 */
export function nextTurn(now: Date, zones: readonly string[], rules: Pick<ReminderRules, "sendHour" | "quietStartHour" | "quietEndHour">): Date {
  const hours = [rules.quietEndHour, openingHour(rules), rules.sendHour, ...(hourIsQuiet(0, rules) ? [] : [0])];
  let next = Number.POSITIVE_INFINITY;
  for (const tz of zones) {
    const today = localDate(now, tz);
    for (const day of [today, addDays(today, 1)]) {
      for (const hour of hours) {
        const at = zonedInstant(day, hour, tz).getTime();
        if (at > now.getTime() && at < next) next = at;
      }
    }
  }
  return new Date(next);
}

/** What an escalation ladder needs of a program's rules (see services/program-rules.ts). */
export interface EscalationRules {
  workingDaysOnly: boolean;
  escalateHeadAfterDays: number;
  escalateCoordAfterDays: number;
}

/**
 * The local days a step overdue and unreported is escalated on: to the heads of its unit
 * `escalateHeadAfterDays` after its first late day, to the coordinators `escalateCoordAfterDays`
 * later, each moved on to a working day when the program keeps to them. Days on which nobody of
 * the unit was present (`absent`, see `ladderDay`) are not counted.
 */
export function escalationDays(
  dueDate: CalendarDate,
  rules: EscalationRules,
  daysOff?: DaysOff,
  absent: (day: CalendarDate) => boolean = () => false,
): { head: CalendarDate; coordinator: CalendarDate } {
  const workingDay = (d: CalendarDate) => (rules.workingDaysOnly ? nextWorkingDay(d, daysOff) : d);
  const head = ladderDay(addDays(dueDate, 1), rules.escalateHeadAfterDays, absent, workingDay);
  return { head, coordinator: ladderDay(head, rules.escalateCoordAfterDays, absent, workingDay) };
}

/** The latest H-n slot date on or before `today`; with working days only, each slot moves back to a working day. */
function latestReminderDate(dueDate: CalendarDate, today: CalendarDate, rules: ReminderRules): CalendarDate | null {
  let latest: CalendarDate | null = null;
  for (const offset of rules.offsets) {
    const day = addDays(dueDate, -offset);
    const date = rules.workingDaysOnly ? previousWorkingDay(day, rules.daysOff) : day;
    if (date <= today && (latest === null || date > latest)) latest = date;
  }
  return latest;
}

/** The latest overdue slot date on or before `today`, or null once the cap has been passed. */
function latestOverdueDate(dueDate: CalendarDate, today: CalendarDate, rules: ReminderRules): CalendarDate | null {
  const every = Math.max(1, rules.overdueEveryDays);
  if (!rules.workingDaysOnly) {
    const index = Math.floor(daysBetween(addDays(dueDate, 1), today) / every);
    return index < rules.overdueMaxReminders ? addDays(dueDate, 1 + index * every) : null;
  }
  // Moved slots can land on one day (daily, Saturday's and Sunday's both go to Monday): that day
  // is one reminder, and the cap counts reminders, so the walk goes on past merged slots.
  let latest: CalendarDate | null = null;
  let count = 0;
  for (let i = 0; ; i++) {
    const date = nextWorkingDay(addDays(dueDate, 1 + i * every), rules.daysOff);
    if (date > today) return latest;
    if (date !== latest) {
      latest = date;
      if (++count > rules.overdueMaxReminders) return null;
    }
  }
}

/** The slot each due date is owed at one moment under one program's rules in one time zone. */
export type SlotPlanner = (dueDate: CalendarDate) => ReminderSlot | null;

/**
 * `currentSlot` for many steps under one program's rules, one time zone and one `now`: the
 * local date, the quiet-hours check and the opening hour are worked out once, and each due
 * date once, so a pass over every open step stays cheap. The returned slots are shared
 * between steps with the same due date; treat them as read-only.
 */
export function slotPlanner(rules: ReminderRules, timezone: string, now: Date): SlotPlanner {
  if (isQuietHour(now, timezone, rules)) return () => null;
  const today = localDate(now, timezone);
  const hour = openingHour(rules);
  // Slot dates are never after today, so only today's slot can still be waiting for its hour.
  const openedToday = zonedInstant(today, hour, timezone).getTime() <= now.getTime();
  // Time-zone conversion is the costly part; many steps share a slot date.
  const openings = new Map<CalendarDate, Date>();
  const openingOf = (date: CalendarDate) => {
    let at = openings.get(date);
    if (!at) openings.set(date, (at = zonedInstant(date, hour, timezone)));
    return at;
  };
  const plan = (dueDate: CalendarDate): ReminderSlot | null => {
    const daysLeft = daysBetween(today, dueDate);
    const kind = daysLeft >= 0 ? "reminder" : "overdue";
    const date = kind === "reminder" ? latestReminderDate(dueDate, today, rules) : latestOverdueDate(dueDate, today, rules);
    if (date === null || (date === today && !openedToday)) return null;
    return { kind, date, at: openingOf(date), key: `${kind}:${date}`, daysLeft };
  };
  const slots = new Map<CalendarDate, ReminderSlot | null>();
  return (dueDate) => {
    let slot = slots.get(dueDate);
    if (slot === undefined) slots.set(dueDate, (slot = plan(dueDate)));
    return slot;
  };
}

// A pass asks about every open step at one `now`. Planners are kept for that `now` only, so
// memory stays bounded; they are found by zone and the rules object itself when the caller
// reuses it, and else by the rules' content, so a caller rebuilding the rules per row shares them.
let plannersAt = Number.NaN;
const plannersByZone = new Map<string, Map<ReminderRules, SlotPlanner>>();
const plannersByContent = new Map<string, SlotPlanner>();

function plannerFor(rules: ReminderRules, timezone: string, now: Date): SlotPlanner {
  if (now.getTime() !== plannersAt) {
    plannersAt = now.getTime();
    plannersByZone.clear();
    plannersByContent.clear();
  }
  let byRules = plannersByZone.get(timezone);
  if (!byRules) plannersByZone.set(timezone, (byRules = new Map()));
  let planner = byRules.get(rules);
  if (!planner) {
    const { offsets, overdueEveryDays, overdueMaxReminders, sendHour, workingDaysOnly, quietStartHour, quietEndHour, daysOff } = rules;
    const days = workingDaysOnly && daysOff ? [...daysOff].sort().join(",") : "";
    const id = `${timezone}|${offsets.join(",")}|${overdueEveryDays}|${overdueMaxReminders}|${sendHour}|${workingDaysOnly}|${quietStartHour}|${quietEndHour}|${days}`;
    planner = plannersByContent.get(id);
    if (!planner) plannersByContent.set(id, (planner = slotPlanner(rules, timezone, now)));
    byRules.set(rules, planner);
  }
  return planner;
}

/**
 * The slot a step not yet done is owed at `now`: the latest slot whose local date has come,
 * once its send hour has passed in the step's time zone. Before the due date's end those are
 * the H-n slots; once the step is late, only the overdue slots count (the first the day after
 * the due date, then every `overdueEveryDays`, at most `overdueMaxReminders`), so a pass after
 * downtime sends one current reminder, never a burst of stale ones. On a slot's day before its
 * hour nothing is owed (the earlier slot is superseded, so nobody gets it minutes before the
 * new one). Null when nothing is owed.
 *
 * With `workingDaysOnly`, an H-n slot on a weekend, a national day off (libur nasional, cuti
 * bersama) or one of the program's `daysOff` moves back to the working day before (still ahead
 * of the deadline) and an overdue slot moves on to the working day after; slots that land on
 * one day are one slot, and the overdue cap counts those slots.
 * The slot's date, key and `at` are those of the day it moved to.
 *
 * During quiet hours nothing is owed; the slot waits and is owed again when they end, unless
 * a newer slot's day has come meanwhile. A send hour that itself falls in quiet hours opens
 * the slot at the end of quiet hours on the slot's own date instead (e.g. 05:00 with quiet
 * hours 21 to 6 opens at 06:00, 22:00 at 06:00 that morning), so every slot has waking hours
 * on its own day and none is superseded before it could go out.
 *
 * Results are memoised per `now` (a pass costs one planner per program and zone, see
 * `slotPlanner`): treat the rules as fixed and the returned slot as read-only.
 */
export function currentSlot(dueDate: CalendarDate, rules: ReminderRules, timezone: string, now: Date): ReminderSlot | null {
  return plannerFor(rules, timezone, now)(dueDate);
}

/**
 * Whether a reminder goes without a notification sound: an H-n reminder with n at least the
 * program's `silentFromDays` (0: none goes silently). Overdue reminders and nudges always sound.
 */
export function remindsSilently(kind: string, daysLeft: number, silentFromDays: number): boolean {
  return kind === "reminder" && silentFromDays > 0 && daysLeft >= silentFromDays;
}
