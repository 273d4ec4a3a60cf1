import { Markup } from "telegraf";
import type { InlineKeyboardButton } from "telegraf/types";
import { silentAfterDays } from "../domain/progress.js";
import { formatDayMonth, type Language } from "../domain/dates.js";
import type { Catalogue } from "../i18n/index.js";
import { byUrgency, type ProgramRecap, type RegionRecap, type UnitRecap } from "../services/recap.js";
import { escapeHtml, maxName, messageBudget, progressBar, shorten } from "./format.js";
import { listPage } from "./pager.js";

// /rekap's screens, answer first: the summary (progress, units per state, the units to call
// today, the rest in one line each when they fit), then on request a list of units by state, the
// regions, or one region, a page at a time. Each button carries what it shows and whom it was
// shown to ("rk:<owner>:<program>:<view>:<page>", see `ownerTag`), and the press handler
// recomputes it within the presser's scope.

/** A list of units by where they stand, or all of them. */
export type RecapList = "late" | "blocked" | "silent" | "all";

/** What a recap message shows. */
export type RecapView = { kind: "summary" } | { kind: "list"; list: RecapList } | { kind: "regions" } | { kind: "region"; regionId: number };

/** What a recap button asks for: a view at a page, the chart, or the export file. */
export type RecapPress = { kind: "view"; view: RecapView; page: number } | { kind: "chart" } | { kind: "export" };

/** Units to call today shown in the summary; the rest are one press away. */
const attentionLimit = 10;
/** Units on a page of a list. */
const unitsPerPage = 15;
/** Regions on a page of the region list. */
const regionsPerPage = 12;
/** Up to this many regions get a button each under the summary; more get a paged list of their own. */
const regionButtonLimit = 21;
/** Initiative lines under a unit with several. */
const initiativeLines = 5;

const listCodes = { late: "l", blocked: "b", silent: "q", all: "a" } as const satisfies Record<RecapList, string>;
const listOfCode = new Map(Object.entries(listCodes).map(([list, code]) => [code as string, list as RecapList]));

/** The callback data of a recap button shown to `owner` (see `ownerTag`). */
export function recapData(owner: string, programId: number, press: RecapPress): string {
  if (press.kind !== "view") return `rk:${owner}:${programId}:${press.kind === "chart" ? "c" : "e"}:0`;
  const v = press.view;
  const code = v.kind === "summary" ? "s" : v.kind === "regions" ? "g" : v.kind === "region" ? `r${v.regionId}` : listCodes[v.list];
  return `rk:${owner}:${programId}:${code}:${press.page}`;
}

/** A recap button's callback data read back; null for anything else (forged, or of another version). */
export function parseRecapData(data: string): { owner: string; programId: number; press: RecapPress } | null {
  const match = /^rk:([0-9a-z]{1,12}):(\d{1,9}):([sgceblqa]|r\d{1,9}):(\d{1,4})$/.exec(data);
  if (!match) return null;
  const [, owner = "", program = "", code = "", page = ""] = match;
  const at = (view: RecapView): RecapPress => ({ kind: "view", view, page: Number(page) });
  const list = listOfCode.get(code);
  const press: RecapPress =
    code === "c"
      ? { kind: "chart" }
      : code === "e"
        ? { kind: "export" }
        : code === "s"
          ? at({ kind: "summary" })
          : code === "g"
            ? at({ kind: "regions" })
            : list
              ? at({ kind: "list", list })
              : at({ kind: "region", regionId: Number(code.slice(1)) });
  return { owner, programId: Number(program), press };
}

/** A recap message: its text and its buttons. */
export interface RecapScreen {
  text: string;
  keyboard: InlineKeyboardButton[][];
}

/**
 * What a screen is drawn with: the reader's catalogue and language, today's date in their words,
 * whether the chat is private (the export is), and whom it is shown to (their buttons carry it).
 */
export interface RecapContext {
  t: Catalogue;
  lang: Language;
  date: string;
  privateChat: boolean;
  owner: string;
}

const name = (text: string, max = maxName) => escapeHtml(shorten(text, max));

/** "Kab. Agam" for a button: the region's name shortened to fit three buttons a row. */
function regionButtonLabel(region: string): string {
  return shorten(region.replace(/^Kabupaten\s+/i, "Kab. ").replace(/^Provinsi\s+/i, "Prov. "), 24);
}

/** One line for a unit: where it stands, its progress, and what needs a call. */
function unitLine(c: RecapContext, unit: UnitRecap, withRegion: boolean): string {
  const t = c.t;
  const facts = [
    ...(unit.overdue > 0 ? [t.recap.late(unit.overdue, unit.mostDaysLate)] : []),
    ...(unit.blocked > 0 ? [t.recap.blocked(unit.blocked)] : []),
    ...(unit.silent ? [t.recap.silent(unit.daysSinceReport)] : []),
    ...(unit.awayUntil ? [t.away.recapFact(formatDayMonth(unit.awayUntil, c.lang))] : []),
  ];
  const region = withRegion ? name(unit.region, 40) : null;
  return t.recap.unit(t.recap.icons[unit.state]!, name(unit.name), region, progressBar(unit.progress), unit.progress, facts);
}

/** A unit's line, and a line per initiative when it has several (one initiative is the unit's own line). */
function unitBlock(c: RecapContext, unit: UnitRecap, withRegion: boolean): string {
  const t = c.t;
  const line = unitLine(c, unit, withRegion);
  if (unit.initiatives.length <= 1) return line;
  const more = unit.initiatives.length - initiativeLines;
  return [
    line,
    ...unit.initiatives.slice(0, initiativeLines).map((i) => t.recap.initiative(name(i.name), i.progress, i.overdue, i.blocked)),
    ...(more > 0 ? [t.recap.moreInitiatives(more)] : []),
  ].join("\n");
}

function regionLine(t: Catalogue, region: RegionRecap): string {
  const states = (["late", "blocked", "silent"] as const).filter((s) => region.counts[s] > 0).map((s) => `${t.recap.icons[s]} ${region.counts[s]}`);
  return t.recap.regionLine(name(region.name), progressBar(region.progress), region.progress, region.units, states.join(" · "));
}

/** The progress line and the units per state, of a program or a region. */
function totals(t: Catalogue, of: { progress: number; overdue: number; counts: RegionRecap["counts"] }, units: number, regions: number): string {
  return [t.recap.total(progressBar(of.progress), of.progress, units, regions, of.overdue), t.recap.counts(of.counts, silentAfterDays)].join("\n");
}

/** The screen of a view at a page; null when it names a region the program, as this person sees it, does not have. */
export function recapScreen(c: RecapContext, program: ProgramRecap, view: RecapView, page: number): RecapScreen | null {
  if (view.kind === "summary") return summary(c, program);
  const t = c.t;
  const multiRegion = program.regions.length > 1;
  const data = (v: RecapView) => (p: number) => recapData(c.owner, program.id, { kind: "view", view: v, page: p });
  const back = [Markup.button.callback(t.recap.summaryButton, data({ kind: "summary" })(0))];
  if (view.kind === "regions") {
    const shown = listPage(
      t,
      {
        header: t.recap.regionsHeader(escapeHtml(program.name), program.regions.length),
        items: program.regions.map((r) => regionLine(t, r)),
        empty: t.recap.empty,
      },
      page,
      regionsPerPage,
      data(view),
    );
    const regions = program.regions.slice(shown.start, shown.start + shown.shown);
    return { text: shown.text, keyboard: rows([shown.nav, ...regionButtons(c.owner, program.id, regions), back]) };
  }
  let header: string;
  let units: UnitRecap[];
  if (view.kind === "region") {
    const region = program.regions.find((r) => r.id === view.regionId);
    if (!region) return null;
    header = [t.recap.regionHeader(name(region.name), escapeHtml(program.name)), totals(t, region, region.units, 1)].join("\n");
    units = program.units.filter((u) => u.regionId === region.id);
  } else {
    units = view.list === "all" ? program.units : program.units.filter((u) => u.state === view.list);
    header = t.recap.listHeader(t.recap.icons[view.list]!, t.recap.lists[view.list]!, escapeHtml(program.name), units.length);
  }
  const items = [...units].sort(byUrgency).map((u) => unitBlock(c, u, multiRegion && view.kind !== "region"));
  const shown = listPage(t, { header, items, empty: t.recap.empty }, page, unitsPerPage, data(view));
  return { text: shown.text, keyboard: rows([shown.nav, back]) };
}

/**
 * The first answer: the program's progress and units per state, the units to call today (worst
 * first, a line each, capped), then the others a line each when everything fits one message;
 * else the regions a line each, and buttons to the lists, the regions, the chart and the file.
 */
function summary(c: RecapContext, program: ProgramRecap): RecapScreen {
  const t = c.t;
  const multiRegion = program.regions.length > 1;
  const head = [t.recap.header(escapeHtml(program.name), c.date), totals(t, program, program.units.length, program.regions.length)].join("\n");
  const fits = (...sections: string[]) => sections.join("\n\n").length <= messageBudget;

  const urgent = program.units.filter((u) => u.state !== "on_track").sort(byUrgency);
  const attentionOf = (shown: UnitRecap[]) =>
    urgent.length === 0
      ? t.recap.noAttention
      : [
          t.recap.attention(urgent.length),
          ...shown.map((u) => unitLine(c, u, multiRegion)),
          ...(urgent.length > shown.length ? [t.recap.moreAttention(urgent.length - shown.length)] : []),
        ].join("\n");
  let shown = urgent.slice(0, attentionLimit);
  while (shown.length > 1 && !fits(head, attentionOf(shown))) shown = shown.slice(0, -1);
  const attention = attentionOf(shown);

  // The others stay in region order, under a heading per region for a program of several.
  const others = program.units.filter((u) => u.state === "on_track");
  const othersSection = [
    t.recap.others,
    ...others.map((u, i) => {
      const heading = multiRegion && u.region !== others[i - 1]?.region ? `${t.recap.region(name(u.region))}\n` : "";
      return `${heading}${unitBlock(c, u, false)}`;
    }),
  ].join("\n");
  const othersFit = others.length === 0 || fits(head, attention, othersSection);
  const everything = shown.length === urgent.length && othersFit;

  let sections: string[];
  if (everything) sections = [head, attention, ...(others.length ? [othersSection] : [])];
  else if (multiRegion) {
    const regionsSection = [t.recap.byRegion, ...program.regions.map((r) => regionLine(t, r))].join("\n");
    sections = [head, attention, ...(fits(head, attention, regionsSection) ? [regionsSection] : [])];
  } else sections = [head, attention, ...(others.length === 0 ? [] : othersFit ? [othersSection] : [t.recap.othersHidden(others.length)])];

  const view = (v: RecapView) => recapData(c.owner, program.id, { kind: "view", view: v, page: 0 });
  const lists = (["late", "blocked", "silent"] as const)
    .filter((l) => program.counts[l] > 0)
    .map((l) => Markup.button.callback(t.recap.button(t.recap.icons[l]!, t.recap.lists[l]!, program.counts[l]), view({ kind: "list", list: l })));
  const all = Markup.button.callback(t.recap.button(t.recap.icons.all!, t.recap.lists.all!, program.units.length), view({ kind: "list", list: "all" }));
  const regions = !multiRegion
    ? []
    : program.regions.length <= regionButtonLimit
      ? regionButtons(c.owner, program.id, program.regions)
      : [[Markup.button.callback(t.recap.regionsButton(program.regions.length), view({ kind: "regions" }))]];
  const files = [
    Markup.button.callback(t.recap.chartButton, recapData(c.owner, program.id, { kind: "chart" })),
    ...(c.privateChat ? [Markup.button.callback(t.recap.exportButton, recapData(c.owner, program.id, { kind: "export" }))] : []),
  ];
  // Everything already on screen: only the chart and the file are left to ask for.
  const keyboard = everything ? [files] : [...chunk([...lists, all], 2), ...regions, files];
  return { text: sections.join("\n\n"), keyboard };
}

function regionButtons(owner: string, programId: number, regions: RegionRecap[]): InlineKeyboardButton[][] {
  const buttons = regions.map((r) =>
    Markup.button.callback(regionButtonLabel(r.name), recapData(owner, programId, { kind: "view", view: { kind: "region", regionId: r.id }, page: 0 })),
  );
  return chunk(buttons, 3);
}

function chunk<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

const rows = (list: InlineKeyboardButton[][]) => list.filter((row) => row.length > 0);
