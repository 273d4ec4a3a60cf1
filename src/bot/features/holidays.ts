import { Composer } from "telegraf";
import { addDays, formatLongDate, localDate, type CalendarDate } from "../../domain/dates.js";
import { nationalDays, nextWorkingDay, officialDecrees } from "../../domain/working-days.js";
import type { Catalogue } from "../../i18n/index.js";
import {
  addProgramHoliday,
  maxHolidayName,
  programHolidays,
  removeProgramHoliday,
  type AddHolidayResult,
  type HolidayPlace,
  type ProgramHolidayView,
  type RemoveHolidayResult,
} from "../../services/program-holidays.js";
import type { PantauContext } from "../context.js";
import { echo, escapeHtml, splitMessages } from "../format.js";
import { auditActor, requireRole } from "../guards.js";
import { language } from "../language.js";

/** /libur (/holidays): the days reminders skip; coordinators add and remove their program's own. */
export const holidays = new Composer<PantauContext>();

/** How far ahead the list shows the national days off (a program's own are shown however far). */
const listAheadDays = 90;

const addWords = new Set(["tambah", "add"]);
const removeWords = new Set(["hapus", "remove", "delete"]);

/** A place as the person types it: a region's name (with its program's when they have several), or a program's. */
function placeName(place: Pick<HolidayPlace, "program" | "region">, severalPrograms: boolean): string {
  if (place.region === null) return place.program;
  return severalPrograms ? `${place.program} ${place.region}` : place.region;
}

/** Where a day off applies, in a sentence. */
function whereOf(t: Catalogue, day: Pick<ProgramHolidayView, "program" | "region">): string {
  return escapeHtml(day.region === null ? t.holidays.wholeProgram(day.program) : t.holidays.region(day.region, day.program));
}

async function reply(ctx: PantauContext, text: string) {
  for (const part of splitMessages([text])) await ctx.reply(part, { parse_mode: "HTML" });
}

/** The list of a coordinator's programs: national days off of the coming weeks and the programs' own, by date. */
async function overview(ctx: PantauContext, t: Catalogue, today: CalendarDate, programs: Awaited<ReturnType<typeof programHolidays>>) {
  const lang = language(ctx);
  const until = addDays(today, listAheadDays);
  const national = nationalDays(today, until, lang);
  const date = (d: CalendarDate) => formatLongDate(d, lang);
  const blocks = programs.map((p) => {
    const lines = [
      ...national.map((d) => ({
        date: d.date,
        line: t.holidays.line(date(d.date), escapeHtml(d.name), d.official ? t.holidays.kinds[d.kind]! : t.holidays.estimated),
      })),
      ...p.days.map((d) => ({
        date: d.date,
        line: t.holidays.line(date(d.date), escapeHtml(d.name), d.region === null ? t.holidays.programDay : t.holidays.regionDay(escapeHtml(d.region))),
      })),
    ].sort((a, b) => a.date.localeCompare(b.date));
    return [
      t.holidays.header(escapeHtml(p.name)),
      t.holidays.until(date(until)),
      ...(lines.length ? lines.map((l) => l.line) : [t.holidays.none]),
      ...(p.workingDaysOnly ? [] : ["", t.holidays.notWorkingDaysOnly]),
    ].join("\n");
  });
  const years = [...new Set([today, until].map((d) => Number(d.slice(0, 4))))];
  const sources = years.map((year) => {
    const decrees = officialDecrees(year);
    return decrees ? t.holidays.source(year, escapeHtml(decrees.join("; "))) : t.holidays.noSource(year);
  });
  const several = programs.length > 1;
  // A region is named only where the day would otherwise go elsewhere: to the whole program, or to one of several regions.
  const region = programs.flatMap((p) =>
    p.wholeProgram || p.regions.length > 1 ? p.regions.map((r) => placeName({ program: p.name, region: r }, several)) : [],
  )[0];
  const [y, m, d] = nextWorkingDay(addDays(today, 30)).split("-");
  const howTo = t.holidays.howTo(`${d}/${m}/${y}`, region === undefined ? null : escapeHtml(region), several);
  for (const text of splitMessages([...blocks, sources.join("\n"), howTo])) await ctx.reply(text, { parse_mode: "HTML" });
}

/** The places a command may name, as the person types them. */
function placeList(places: HolidayPlace[]): string {
  const several = new Set(places.map((p) => p.programId)).size > 1;
  return places.map((p) => `• ${escapeHtml(placeName(p, several))}`).join("\n");
}

function addText(ctx: PantauContext, result: AddHolidayResult, who: string): string {
  const t = ctx.t.holidays;
  const date = (d: CalendarDate) => formatLongDate(d, language(ctx));
  switch (result.kind) {
    case "added":
      return t.added(escapeHtml(result.day.name), date(result.day.date), whereOf(ctx.t, result.day), escapeHtml(who));
    case "no_date":
      return t.noDate.add;
    case "bad_name":
      return t.badName[result.reason](maxHolidayName);
    case "place":
      return result.choice === "unknown" ? t.placeUnknown(echo(result.query), placeList(result.places)) : t.placeAmbiguous(placeList(result.places));
    case "past":
      return t.past(date(result.date));
    case "day_off":
      return result.national
        ? t.national(date(result.date), escapeHtml(result.national.name), result.national.official ? t.kinds[result.national.kind]! : t.estimated)
        : t.weekend(date(result.date));
    case "duplicate":
      return t.duplicate(date(result.day.date), escapeHtml(result.day.name), whereOf(ctx.t, result.day));
  }
}

function removeText(ctx: PantauContext, result: RemoveHolidayResult, who: string): string {
  const t = ctx.t.holidays;
  const date = (d: CalendarDate) => formatLongDate(d, language(ctx));
  switch (result.kind) {
    case "removed":
      return t.removed(escapeHtml(result.day.name), date(result.day.date), whereOf(ctx.t, result.day), escapeHtml(who));
    case "no_date":
      return t.noDate.remove;
    case "place":
      return result.choice === "unknown" ? t.placeUnknown(echo(result.query), placeList(result.places)) : t.placeAmbiguous(placeList(result.places));
    case "past":
      return t.past(date(result.date));
    case "not_found":
      return t.notFound(date(result.date));
    case "whole_program":
      return t.wholeProgramOnly(escapeHtml(result.day.name), date(result.day.date), escapeHtml(result.day.program));
    case "several": {
      const several = new Set(result.days.map((d) => d.programId)).size > 1;
      const [first] = result.days as [ProgramHolidayView];
      const days = result.days.map((d) => `• ${escapeHtml(d.name)} — ${whereOf(ctx.t, d)}`).join("\n");
      return t.several(date(first.date), days, `${escapeHtml(placeName(first, several))} ${first.date}`);
    }
  }
}

holidays.command(["libur", "holidays"], async (ctx) => {
  const person = await requireRole(ctx, "koordinator");
  if (!person) return;
  const t = ctx.t;
  const today = localDate(ctx.now, ctx.deps.defaultTimezone);
  const programs = await programHolidays(ctx.deps.db, person, today);
  if (programs.length === 0) return void (await ctx.reply(t.holidays.noProgram));
  const payload = ctx.payload.trim();
  const [keyword = ""] = payload.split(/\s+/);
  const rest = payload.slice(keyword.length).trim();
  const who = person.name ?? `#${person.telegramId}`;

  if (!keyword) return overview(ctx, t, today, programs);
  if (addWords.has(keyword.toLowerCase())) {
    const result = await addProgramHoliday(ctx.deps.db, person, rest, ctx.now, auditActor(ctx, person));
    if (result.kind === "added") ctx.log.info({ program: result.day.programId, region: result.day.regionId, date: result.day.date }, "program holiday added");
    return reply(ctx, addText(ctx, result, who));
  }
  if (removeWords.has(keyword.toLowerCase())) {
    const result = await removeProgramHoliday(ctx.deps.db, person, rest, ctx.now, auditActor(ctx, person));
    if (result.kind === "removed")
      ctx.log.info({ program: result.day.programId, region: result.day.regionId, date: result.day.date }, "program holiday removed");
    return reply(ctx, removeText(ctx, result, who));
  }
  await reply(ctx, t.holidays.unknownWord(echo(keyword)));
});
