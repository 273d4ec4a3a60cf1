import type { Prisma } from "../db/connection.js";
import type { DigestRules } from "../domain/digest-plan.js";
import { AppError } from "../domain/errors.js";
import { hourIsQuiet, parseOffsets, type ReminderRules } from "../domain/reminder-plan.js";
import { normalize } from "../domain/text.js";
import { audit, type AuditActor } from "./audit.js";
import type { Person } from "./people.js";
import { coordinatesWholeProgram, programGrants, scopeOf } from "./scope.js";

/** A program's reminder, escalation and digest rules, as a coordinator reads and changes them and a pass plans by them. */
export interface ProgramRules extends ReminderRules, DigestRules {
  escalationEnabled: boolean;
  escalateHeadAfterDays: number;
  escalateCoordAfterDays: number;
  /** Reminders at H-n with n at least this go without sound; 0: all with sound (see `remindsSilently`). */
  silentFromDays: number;
}

/** One program a coordinator sees, with its rules and whether this person may change them. */
export interface ProgramRulesView {
  id: number;
  name: string;
  rules: ProgramRules;
  /** Only a coordinator of the whole program may: the rules apply to every region in it. */
  canChange: boolean;
  /** The send hour lies in the quiet hours: reminders then open when the quiet hours end. */
  sendHourInQuietHours: boolean;
}

/** The rules a coordinator can change, one per command. */
export type RuleName = "offsets" | "sendHour" | "overdue" | "workingDaysOnly" | "quietHours" | "escalation" | "silent" | "digest";

export type RuleChange =
  | { rule: "offsets"; offsets: number[] }
  | { rule: "sendHour"; sendHour: number }
  | { rule: "overdue"; everyDays: number; maxReminders: number }
  | { rule: "workingDaysOnly"; workingDaysOnly: boolean }
  /** Equal hours turn quiet hours off. */
  | { rule: "quietHours"; startHour: number; endHour: number }
  /** Without days: only switches escalation on or off, keeping its delays. */
  | { rule: "escalation"; enabled: boolean; headAfterDays?: number; coordAfterDays?: number }
  /** 0: every reminder with sound. */
  | { rule: "silent"; fromDays: number }
  /** Without a weekday: only switches digests on or off; with one, its hour (null: the send hour). */
  | { rule: "digest"; enabled: boolean; weekday?: number; hour?: number | null };

/** What each rule accepts; the catalogue's messages say the same. */
export const ruleLimits = {
  offset: { min: 0, max: 60 },
  maxOffsets: 8,
  hour: { min: 0, max: 23 },
  overdueEveryDays: { min: 1, max: 30 },
  overdueMaxReminders: { min: 0, max: 60 },
  escalationDays: { min: 0, max: 30 },
  silentFromDays: { min: 0, max: 60 },
  weekday: { min: 1, max: 7 },
} as const;

type ProgramRow = Awaited<ReturnType<Prisma["program"]["findMany"]>>[number];

/** The one reading of a program row's rules (the reminder pass and `/aturan` alike). */
export function rulesOf(row: ProgramRow): ProgramRules {
  return {
    offsets: parseOffsets(row.reminderOffsets),
    sendHour: row.sendHour,
    overdueEveryDays: row.overdueEveryDays,
    overdueMaxReminders: row.overdueMaxReminders,
    workingDaysOnly: row.workingDaysOnly,
    quietStartHour: row.quietStartHour,
    quietEndHour: row.quietEndHour,
    escalationEnabled: row.escalationEnabled,
    escalateHeadAfterDays: row.escalateHeadAfterDays,
    escalateCoordAfterDays: row.escalateCoordAfterDays,
    silentFromDays: row.silentFromDays,
    digestEnabled: row.digestEnabled,
    digestWeekday: row.digestWeekday,
    digestHour: row.digestHour,
  };
}

function viewOf(row: ProgramRow, canChange: boolean): ProgramRulesView {
  const rules = rulesOf(row);
  return { id: row.id, name: row.name, rules, canChange, sendHourInQuietHours: hourIsQuiet(rules.sendHour, rules) };
}

/** The rules of the programs a coordinator sees (whole or one region of), by name; only a coordinator of a whole program may change them. */
export async function coordinatedProgramRules(db: Prisma, person: Person): Promise<ProgramRulesView[]> {
  const ids = [...new Set(programGrants(scopeOf(person, "koordinator")).map((g) => g.programId))];
  if (ids.length === 0) return [];
  const rows = await db.program.findMany({ where: { id: { in: ids } }, orderBy: { name: "asc" } });
  return rows.map((row) => viewOf(row, coordinatesWholeProgram(person, row.id)));
}

export type ProgramChoice =
  | { kind: "found"; program: ProgramRulesView }
  /** Several programs and no name, or a name matching several. */
  | { kind: "ambiguous" }
  | { kind: "unknown" };

/**
 * The program a command is about: the only one when the person has one and names none;
 * otherwise the one whose name is `query` (case and spacing ignored), or the only one
 * containing it.
 */
export function pickProgram(programs: ProgramRulesView[], query: string): ProgramChoice {
  const wanted = normalize(query);
  if (!wanted) return programs.length === 1 ? { kind: "found", program: programs[0]! } : { kind: "ambiguous" };
  const name = (p: ProgramRulesView) => normalize(p.name);
  const exact = programs.filter((p) => name(p) === wanted);
  const matches = exact.length ? exact : programs.filter((p) => name(p).includes(wanted));
  if (matches.length === 1) return { kind: "found", program: matches[0]! };
  return matches.length ? { kind: "ambiguous" } : { kind: "unknown" };
}

const invalid = (rule: RuleName) => new AppError("rules.invalid", { rule });

const yesWords = new Set(["ya", "yes", "y", "nyala", "hidup", "aktif", "on"]);
const noWords = new Set(["tidak", "tak", "no", "n", "mati", "nonaktif", "off"]);

/** A yes or a no in Indonesian or English (`ya`, `nyala`, `on` … `tidak`, `mati`, `off`); null for anything else. */
export function yesNo(word: string | undefined): boolean | null {
  const w = word?.toLowerCase();
  if (w === undefined) return null;
  return yesWords.has(w) ? true : noWords.has(w) ? false : null;
}

const wholeNumber = (text: string | undefined) => (text !== undefined && /^\d{1,3}$/.test(text) ? Number(text) : null);
/** Weekday names, Indonesian and English, as ISO weekdays (1 Monday … 7 Sunday). */
const weekdays: Record<string, number> = {
  senin: 1,
  selasa: 2,
  rabu: 3,
  kamis: 4,
  jumat: 5,
  "jum'at": 5,
  sabtu: 6,
  minggu: 7,
  ahad: 7,
  monday: 1,
  tuesday: 2,
  wednesday: 3,
  thursday: 4,
  friday: 5,
  saturday: 6,
  sunday: 7,
  mon: 1,
  tue: 2,
  wed: 3,
  thu: 4,
  fri: 5,
  sat: 6,
  sun: 7,
};

/** "8", "08", "8.00", "08:00". */
const hourOf = (text: string | undefined) => {
  const m = text === undefined ? null : /^(\d{1,2})(?:[.:]00)?$/.exec(text);
  return m ? Number(m[1]) : null;
};

/**
 * Reads the value of one rule from the words after its keyword, in Indonesian or English
 * (`ya`/`yes`, `mati`/`off`, …). Returns the change and the words left over (a program name,
 * when the person coordinates several). Throws `rules.invalid` with the rule when the value
 * is missing, malformed or out of range (see `ruleLimits`).
 */
export function parseRuleChange(rule: RuleName, words: string[]): { change: RuleChange; rest: string[] } {
  let used = 0;
  let change: RuleChange | null = null;
  switch (rule) {
    case "offsets": {
      // "14,7,3,1,0", also typed with spaces after the commas.
      while (used < words.length && /^[\d,]+$/.test(words[used]!)) used++;
      const parts = words
        .slice(0, used)
        .join(",")
        .split(",")
        .filter((s) => s !== "");
      const values = parts.map(wholeNumber);
      if (values.length && values.every((v) => v !== null)) change = { rule, offsets: [...new Set(values as number[])].sort((a, b) => b - a) };
      break;
    }
    case "sendHour": {
      const hour = hourOf(words[0]);
      used = 1;
      if (hour !== null) change = { rule, sendHour: hour };
      break;
    }
    case "overdue": {
      const [everyDays, maxReminders] = [wholeNumber(words[0]), wholeNumber(words[1])];
      used = 2;
      if (everyDays !== null && maxReminders !== null) change = { rule, everyDays, maxReminders };
      break;
    }
    case "workingDaysOnly": {
      const value = yesNo(words[0]);
      used = 1;
      if (value !== null) change = { rule, workingDaysOnly: value };
      break;
    }
    case "quietHours": {
      used = 1;
      if (yesNo(words[0]) === false) change = { rule, startHour: 0, endHour: 0 };
      const m = /^(\d{1,2})(?:[.:]00)?[-–—](\d{1,2})(?:[.:]00)?$/.exec(words[0] ?? "");
      if (m) change = { rule, startHour: Number(m[1]), endHour: Number(m[2]) };
      break;
    }
    case "escalation": {
      const onOff = yesNo(words[0]);
      if (onOff !== null) {
        used = 1;
        change = { rule, enabled: onOff };
        break;
      }
      const [headAfterDays, coordAfterDays] = [wholeNumber(words[0]), wholeNumber(words[1])];
      used = 2;
      if (headAfterDays !== null && coordAfterDays !== null) change = { rule, enabled: true, headAfterDays, coordAfterDays };
      break;
    }
    case "silent": {
      used = 1;
      const fromDays = yesNo(words[0]) === false ? 0 : wholeNumber(words[0]);
      if (fromDays !== null) change = { rule, fromDays };
      break;
    }
    case "digest": {
      const onOff = yesNo(words[0]);
      const weekday = weekdays[words[0]?.toLowerCase() ?? ""];
      // A number after the day is its hour; without one the digest follows the send hour.
      const withHour = weekday !== undefined && /^\d/.test(words[1] ?? "");
      const hour = withHour ? hourOf(words[1]) : null;
      used = withHour ? 2 : 1;
      if (onOff !== null) change = { rule, enabled: onOff };
      else if (weekday !== undefined && (!withHour || hour !== null)) change = { rule, enabled: true, weekday, hour };
      break;
    }
  }
  if (!change) throw invalid(rule);
  validateRuleChange(change);
  return { change, rest: words.slice(used) };
}

const within = (value: number, range: { min: number; max: number }) => Number.isInteger(value) && value >= range.min && value <= range.max;

/** Throws `rules.invalid` with the rule unless every value of the change is allowed. */
export function validateRuleChange(change: RuleChange): void {
  const ok = (() => {
    switch (change.rule) {
      case "offsets":
        return change.offsets.length >= 1 && new Set(change.offsets).size <= ruleLimits.maxOffsets && change.offsets.every((o) => within(o, ruleLimits.offset));
      case "sendHour":
        return within(change.sendHour, ruleLimits.hour);
      case "overdue":
        return within(change.everyDays, ruleLimits.overdueEveryDays) && within(change.maxReminders, ruleLimits.overdueMaxReminders);
      case "workingDaysOnly":
        return typeof change.workingDaysOnly === "boolean";
      case "quietHours":
        return within(change.startHour, ruleLimits.hour) && within(change.endHour, ruleLimits.hour);
      case "escalation":
        return (
          typeof change.enabled === "boolean" &&
          (change.headAfterDays === undefined) === (change.coordAfterDays === undefined) &&
          (change.headAfterDays === undefined || within(change.headAfterDays, ruleLimits.escalationDays)) &&
          (change.coordAfterDays === undefined || within(change.coordAfterDays, ruleLimits.escalationDays))
        );
      case "silent":
        return within(change.fromDays, ruleLimits.silentFromDays);
      case "digest":
        return (
          typeof change.enabled === "boolean" &&
          (change.weekday === undefined ? change.hour === undefined : within(change.weekday, ruleLimits.weekday)) &&
          (change.hour === undefined || change.hour === null || within(change.hour, ruleLimits.hour))
        );
    }
  })();
  if (!ok) throw invalid(change.rule);
}

/** The Program columns a change writes. */
function columnsOf(change: RuleChange) {
  switch (change.rule) {
    case "offsets":
      return { reminderOffsets: [...new Set(change.offsets)].sort((a, b) => b - a).join(",") };
    case "sendHour":
      return { sendHour: change.sendHour };
    case "overdue":
      return { overdueEveryDays: change.everyDays, overdueMaxReminders: change.maxReminders };
    case "workingDaysOnly":
      return { workingDaysOnly: change.workingDaysOnly };
    case "quietHours":
      // Off is stored as equal hours; 0 keeps it recognisable.
      return change.startHour === change.endHour ? { quietStartHour: 0, quietEndHour: 0 } : { quietStartHour: change.startHour, quietEndHour: change.endHour };
    case "escalation":
      return {
        escalationEnabled: change.enabled,
        ...(change.headAfterDays !== undefined ? { escalateHeadAfterDays: change.headAfterDays } : {}),
        ...(change.coordAfterDays !== undefined ? { escalateCoordAfterDays: change.coordAfterDays } : {}),
      };
    case "silent":
      return { silentFromDays: change.fromDays };
    case "digest":
      return { digestEnabled: change.enabled, ...(change.weekday !== undefined ? { digestWeekday: change.weekday, digestHour: change.hour ?? null } : {}) };
  }
}

export interface RuleChangeResult {
  /** False when the program already had these values: nothing was written or logged. */
  changed: boolean;
  before: ProgramRules;
  program: ProgramRulesView;
}

/**
 * Changes one rule of a program for a coordinator of the whole program, and records who
 * changed what in the audit log in the same transaction. Throws `rules.not_allowed` for
 * anyone else (a region-limited coordinator included: the rules apply to every region) and
 * `rules.invalid` for a value out of range; then nothing changes.
 */
export async function changeProgramRule(
  db: Prisma,
  person: Person,
  programId: number,
  change: RuleChange,
  now: Date,
  actor: AuditActor,
): Promise<RuleChangeResult> {
  if (!coordinatesWholeProgram(person, programId)) throw new AppError("rules.not_allowed", { programId });
  validateRuleChange(change);
  const columns = columnsOf(change);
  return db.$transaction(async (tx) => {
    const row = await tx.program.findUniqueOrThrow({ where: { id: programId } });
    const from = Object.fromEntries(Object.keys(columns).map((k) => [k, row[k as keyof typeof columns]]));
    const before = rulesOf(row);
    if (Object.entries(columns).every(([k, v]) => from[k] === v)) return { changed: false, before, program: viewOf(row, true) };
    const updated = await tx.program.update({ where: { id: programId }, data: columns });
    await audit(tx, {
      actor,
      action: "program.rules",
      entity: "program",
      entityId: programId,
      targetName: row.name,
      programId,
      before: from,
      after: columns,
      detail: { rule: change.rule },
      at: now,
    });
    return { changed: true, before, program: viewOf(updated, true) };
  });
}
