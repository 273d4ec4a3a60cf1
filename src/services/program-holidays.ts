import type { Prisma } from "../db/connection.js";
import { localDate, parseDueDate, type CalendarDate } from "../domain/dates.js";
import { checkLine, normalize } from "../domain/text.js";
import { isWeekend, nationalDays, type DaysOff, type NationalDay } from "../domain/working-days.js";
import { audit, type AuditActor } from "./audit.js";
import type { Person } from "./people.js";
import { coordinatedPrograms } from "./scope.js";

// A program's own days off (/libur): a regional holiday, an office closure. With working days
// only, the reminder pass skips them like the national days off (`programDaysOff`); a region's
// day applies to that region's units alone. Coordinators add and remove them within their reach:
// a region's coordinator for that region, the whole program's for it or any of its regions.
// Returns data; the bot words it.

/** The longest name of a day off. */
export const maxHolidayName = 100;

/** Where a day off applies: the whole program, or one region of it. */
export interface HolidayPlace {
  programId: number;
  program: string;
  regionId: number | null;
  region: string | null;
  /** The time zones of the regions it covers (a day may be changed only before it begins in any of them). */
  timezones: string[];
}

/** A program's day off as lists show it. */
export interface ProgramHolidayView {
  id: number;
  programId: number;
  program: string;
  regionId: number | null;
  region: string | null;
  date: CalendarDate;
  name: string;
}

/** A program a coordinator sees, with its days off to come and where they may add some. */
export interface ProgramHolidays {
  id: number;
  name: string;
  /** Days off move reminders only when the program keeps to working days. */
  workingDaysOnly: boolean;
  /** Whether they may add days for the whole program (else only for their regions). */
  wholeProgram: boolean;
  /** The regions they may add days for, by name. */
  regions: string[];
  /** From `from` on, by date: the whole program's and those of the regions they reach. */
  days: ProgramHolidayView[];
}

/** The places a coordinator may add days off to, program by program (the whole program first, then its regions by name). */
export async function holidayPlaces(db: Prisma, person: Person): Promise<HolidayPlace[]> {
  const places: HolidayPlace[] = [];
  for (const program of await coordinatedPrograms(db, person)) {
    const regions = await db.region.findMany({
      where: program.regionIds ? { id: { in: program.regionIds } } : { units: { some: { initiatives: { some: { programId: program.id } } } } },
      orderBy: { name: "asc" },
    });
    const base = { programId: program.id, program: program.name };
    if (program.regionIds === null) places.push({ ...base, regionId: null, region: null, timezones: [...new Set(regions.map((r) => r.timezone))] });
    for (const r of regions) places.push({ ...base, regionId: r.id, region: r.name, timezones: [r.timezone] });
  }
  return places;
}

export type PlaceChoice = { kind: "found"; place: HolidayPlace } | { kind: "ambiguous" } | { kind: "unknown" };

/**
 * The place a command is about. Without words: the only program as a whole for its coordinator,
 * the only region for a coordinator of one. With words (case and spacing ignored): a region's
 * name (with its program's, when the person has several), or a program's; failing an exact
 * match, the only region, else the only program, whose name contains them.
 */
export function pickPlace(places: HolidayPlace[], query: string): PlaceChoice {
  const one = (matches: HolidayPlace[]): PlaceChoice | null =>
    matches.length === 1 ? { kind: "found", place: matches[0]! } : matches.length > 1 ? { kind: "ambiguous" } : null;
  const wanted = normalize(query);
  if (!wanted) {
    if (new Set(places.map((p) => p.programId)).size !== 1) return { kind: "ambiguous" };
    return one(places.filter((p) => p.regionId === null)) ?? one(places) ?? { kind: "unknown" };
  }
  const program = (p: HolidayPlace) => normalize(p.program);
  const region = (p: HolidayPlace) => normalize(p.region ?? "");
  const regions = places.filter((p) => p.regionId !== null);
  const wholes = places.filter((p) => p.regionId === null);
  const exact = [
    ...wholes.filter((p) => program(p) === wanted),
    ...regions.filter((p) => [region(p), `${program(p)} ${region(p)}`, `${region(p)} ${program(p)}`].includes(wanted)),
  ];
  // Program names often hold a region's ("… Kabupaten Bangka Barat"): a part of a name is read as the region first.
  return one(exact) ?? one(regions.filter((p) => region(p).includes(wanted))) ?? one(wholes.filter((p) => program(p).includes(wanted))) ?? { kind: "unknown" };
}

/** The words of a command split around its date: the place before it, the name after it. */
export type DatedWords = { kind: "dated"; place: string; date: CalendarDate; rest: string } | { kind: "no_date" };

/**
 * Finds the date in what follows a keyword ("[place] <date> [name]"), written as the plan
 * import takes it: "14 Maret 2026", "14/03/2026" or "2026-03-14" (see `parseDueDate`).
 */
export function splitAtDate(text: string): DatedWords {
  const words = [...text.matchAll(/\S+/g)];
  for (let i = 0; i < words.length; i++) {
    for (const length of [3, 1]) {
      const span = words.slice(i, i + length);
      if (span.length < length) continue;
      const date = parseDueDate(span.map((w) => w[0]).join(" "));
      if (!date) continue;
      const end = span.at(-1)!.index! + span.at(-1)![0].length;
      return {
        kind: "dated",
        place: words
          .slice(0, i)
          .map((w) => w[0])
          .join(" "),
        date,
        rest: text.slice(end).trim(),
      };
    }
  }
  return { kind: "no_date" };
}

/** The latest calendar date among the place's zones: a day counts as begun once it has begun in any of them. */
function todayAt(place: HolidayPlace, now: Date): CalendarDate {
  // A program without units yet has no zone: Indonesia's easternmost, where a day begins first.
  const zones = place.timezones.length ? place.timezones : ["Asia/Jayapura"];
  return zones
    .map((tz) => localDate(now, tz))
    .sort()
    .at(-1)!;
}

const placeOf = (p: HolidayPlace) => ({ programId: p.programId, program: p.program, regionId: p.regionId, region: p.region });

export type AddHolidayResult =
  | { kind: "added"; day: ProgramHolidayView }
  | { kind: "no_date" }
  | { kind: "bad_name"; reason: "empty" | "too_long" | "control" }
  | { kind: "place"; choice: "ambiguous" | "unknown"; query: string; places: HolidayPlace[] }
  /** Today or earlier: reminders already planned by it would be planned again. */
  | { kind: "past"; date: CalendarDate }
  /** A weekend or a national day off already. */
  | { kind: "day_off"; date: CalendarDate; national: NationalDay | null }
  /** That place (or the whole program) has this day off already. */
  | { kind: "duplicate"; day: ProgramHolidayView };

/**
 * Adds a day off from what follows `/libur tambah`: "[place] <date> <name>". A date that has
 * begun (past days change slots already sent), a weekend or national day off, or a day the
 * place (or its whole program) already has off is refused; then nothing is stored. The row
 * and its audit entry are written in one transaction.
 */
export async function addProgramHoliday(db: Prisma, person: Person, text: string, now: Date, actor: AuditActor): Promise<AddHolidayResult> {
  const words = splitAtDate(text);
  if (words.kind === "no_date") return words;
  const name = checkLine(words.rest, maxHolidayName);
  if (!name.ok) return { kind: "bad_name", reason: name.reason };
  const places = await holidayPlaces(db, person);
  const choice = pickPlace(places, words.place);
  if (choice.kind !== "found") return { kind: "place", choice: choice.kind, query: words.place, places };
  const { place } = choice;
  const { date } = words;
  if (date <= todayAt(place, now)) return { kind: "past", date };
  const national = nationalDays(date, date, "id")[0] ?? null;
  if (national || isWeekend(date)) return { kind: "day_off", date, national };

  // The place's own day, or the whole program's (which covers the place already).
  const sameDay = (client: Pick<Prisma, "programHoliday">) =>
    client.programHoliday.findFirst({
      where: { programId: place.programId, date, OR: [{ regionId: null }, { regionId: place.regionId }] },
      include: { region: true },
      orderBy: { id: "asc" },
    });
  const viewOf = (row: { id: number; regionId: number | null; region: { name: string } | null; date: string; name: string }): ProgramHolidayView => ({
    ...placeOf(place),
    id: row.id,
    regionId: row.regionId,
    region: row.region?.name ?? null,
    date: row.date,
    name: row.name,
  });
  try {
    return await db.$transaction(async (tx): Promise<AddHolidayResult> => {
      // Adds to one program wait for each other (PostgreSQL holds the program's row until commit;
      // SQLite runs one writer anyway): the unique index cannot see a whole-program day twice
      // (its region is null) nor one beside a region's day of the same date.
      await tx.$executeRaw`UPDATE "Program" SET "id" = "id" WHERE "id" = ${place.programId}`;
      const same = await sameDay(tx);
      if (same) return { kind: "duplicate", day: viewOf(same) };
      const row = await tx.programHoliday.create({
        data: { programId: place.programId, regionId: place.regionId, date, name: name.name, createdById: person.id, createdAt: now },
        include: { region: true },
      });
      await audit(tx, {
        actor,
        action: "holiday.add",
        entity: "programHoliday",
        entityId: row.id,
        targetName: row.name,
        programId: place.programId,
        regionId: place.regionId,
        after: { date, name: row.name, region: place.region },
        at: now,
      });
      return { kind: "added", day: viewOf(row) };
    });
  } catch (err) {
    // The same day added at the same moment by someone else: theirs stands.
    const same = (err as { code?: string }).code === "P2002" ? await sameDay(db) : null;
    if (same) return { kind: "duplicate", day: viewOf(same) };
    throw err;
  }
}

export type RemoveHolidayResult =
  | { kind: "removed"; day: ProgramHolidayView }
  | { kind: "no_date" }
  | { kind: "place"; choice: "ambiguous" | "unknown"; query: string; places: HolidayPlace[] }
  | { kind: "past"; date: CalendarDate }
  /** No day off on that date within their reach. */
  | { kind: "not_found"; date: CalendarDate }
  /** Only the whole program's day, which a coordinator of one region may not remove. */
  | { kind: "whole_program"; day: ProgramHolidayView }
  /** Several of their places have that day off: the place must be named. */
  | { kind: "several"; days: ProgramHolidayView[] };

/**
 * Removes a day off from what follows `/libur hapus`: "[place] <date>". Without a place, the
 * one day on that date within their reach; with one, that place's. A day that has begun stays
 * (as when adding). The row goes and its audit entry is written in one transaction.
 */
export async function removeProgramHoliday(db: Prisma, person: Person, text: string, now: Date, actor: AuditActor): Promise<RemoveHolidayResult> {
  const words = splitAtDate(text);
  if (words.kind === "no_date") return words;
  const places = await holidayPlaces(db, person);
  let candidates = places;
  if (words.place) {
    const choice = pickPlace(places, words.place);
    if (choice.kind !== "found") return { kind: "place", choice: choice.kind, query: words.place, places };
    candidates = [choice.place];
  }
  const { date } = words;
  const key = (programId: number, regionId: number | null) => `${programId}:${regionId}`;
  const byKey = new Map(candidates.map((p) => [key(p.programId, p.regionId), p]));
  const programIds = [...new Set(places.map((p) => p.programId))];
  const rows = await db.programHoliday.findMany({
    where: { programId: { in: programIds }, date },
    include: { region: true, program: true },
    orderBy: { id: "asc" },
  });
  const view = (row: (typeof rows)[number]): ProgramHolidayView => ({
    id: row.id,
    programId: row.programId,
    program: row.program.name,
    regionId: row.regionId,
    region: row.region?.name ?? null,
    date: row.date,
    name: row.name,
  });
  const mine = rows.filter((r) => byKey.has(key(r.programId, r.regionId)));
  if (mine.length > 1) return { kind: "several", days: mine.map(view) };
  const row = mine[0];
  if (!row) {
    // A region's coordinator sees the whole program's days (they apply to their region) but may not remove them.
    const coordinatesWhole = (programId: number) => places.some((p) => p.programId === programId && p.regionId === null);
    const whole = rows.find((r) => r.regionId === null && candidates.some((p) => p.programId === r.programId) && !coordinatesWhole(r.programId));
    return whole ? { kind: "whole_program", day: view(whole) } : { kind: "not_found", date };
  }
  if (date <= todayAt(byKey.get(key(row.programId, row.regionId))!, now)) return { kind: "past", date };
  return db.$transaction(async (tx): Promise<RemoveHolidayResult> => {
    // Gone meanwhile (removed by someone else at the same moment): nothing left to do.
    const { count } = await tx.programHoliday.deleteMany({ where: { id: row.id } });
    if (count === 0) return { kind: "not_found", date };
    await audit(tx, {
      actor,
      action: "holiday.remove",
      entity: "programHoliday",
      entityId: row.id,
      targetName: row.name,
      programId: row.programId,
      regionId: row.regionId,
      before: { date, name: row.name, region: row.region?.name ?? null },
      at: now,
    });
    return { kind: "removed", day: view(row) };
  });
}

/**
 * The programs a coordinator sees, by name, each with its days off from `from` on: the whole
 * program's and those of the regions they reach (every region's for a coordinator of the whole
 * program).
 */
export async function programHolidays(db: Prisma, person: Person, from: CalendarDate): Promise<ProgramHolidays[]> {
  const places = await holidayPlaces(db, person);
  const programs = [...new Map(places.map((p) => [p.programId, p.program])).entries()].map(([id, name]) => ({
    id,
    name,
    whole: places.some((p) => p.programId === id && p.regionId === null),
    regions: places.filter((p) => p.programId === id && p.regionId !== null),
  }));
  if (programs.length === 0) return [];
  const [rows, settings] = await Promise.all([
    db.programHoliday.findMany({
      where: {
        date: { gte: from },
        OR: programs.map((p) => ({
          programId: p.id,
          ...(p.whole ? {} : { OR: [{ regionId: null }, { regionId: { in: p.regions.map((r) => r.regionId!) } }] }),
        })),
      },
      include: { region: true },
      orderBy: [{ date: "asc" }, { id: "asc" }],
    }),
    db.program.findMany({ where: { id: { in: programs.map((p) => p.id) } }, select: { id: true, workingDaysOnly: true } }),
  ]);
  return programs.map((p) => ({
    id: p.id,
    name: p.name,
    workingDaysOnly: settings.find((s) => s.id === p.id)?.workingDaysOnly ?? false,
    wholeProgram: p.whole,
    regions: p.regions.map((r) => r.region!),
    days: rows
      .filter((r) => r.programId === p.id)
      .map((r) => ({ id: r.id, programId: p.id, program: p.name, regionId: r.regionId, region: r.region?.name ?? null, date: r.date, name: r.name })),
  }));
}

/**
 * Every program's own days off, read once per reminder pass: `of(program, region)` gives the
 * whole program's days with the region's (region null: the whole program's alone), in constant
 * time after the first ask. The table holds
 * a few days per program and year, so it is read whole.
 */
export async function programDaysOff(db: Prisma): Promise<(programId: number, regionId: number | null) => DaysOff> {
  const rows = await db.programHoliday.findMany({ select: { programId: true, regionId: true, date: true } });
  const none: DaysOff = new Set();
  const sets = new Map<string, DaysOff>();
  return (programId, regionId) => {
    const key = `${programId}:${regionId}`;
    let days = sets.get(key);
    if (!days) {
      const dates = rows.filter((r) => r.programId === programId && (r.regionId === null || r.regionId === regionId)).map((r) => r.date);
      sets.set(key, (days = dates.length ? new Set(dates) : none));
    }
    return days;
  };
}
