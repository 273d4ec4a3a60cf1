import { Composer, Markup } from "telegraf";
import type { InlineKeyboardButton } from "telegraf/types";
import { formatLongDate, formatShortDate } from "../../domain/dates.js";
import type { Person } from "../../services/people.js";
import { overdueMilestones, overdueUnits, recap, type InitiativeRecap, type ProgramRecap } from "../../services/recap.js";
import { scopeOf } from "../../services/scope.js";
import type { PantauContext } from "../context.js";
import { show } from "../flows/flow.js";
import { echo, escapeHtml, progressBar, splitMessages } from "../format.js";
import { listPage } from "../pager.js";
import { recapChart } from "../recap-chart.js";
import { parseRecapData, recapScreen, type RecapContext } from "../recap-view.js";
import { requirePerson, requireRole } from "../guards.js";
import { language } from "../language.js";
import { dashboardButton } from "../mini-app.js";
import { sendExport } from "./export.js";

/**
 * /status, /rekap (/summary) and /terlambat (/overdue): where things stand, the answer first and
 * long lists a page at a time. Read-only, so their buttons carry what they show ("rk:…", "st:…",
 * "tl:…") rather than a flow: each press checks the role and the scope again, and leaves an open
 * flow (a /lapor draft) alone. They also carry whom the message was shown to: in a group, another
 * coordinator's press gets their own answer as a new message, and the one shown stays as it was.
 */
export const progressViews = new Composer<PantauContext>();

/** A message to send or to put in place of the pressed one. */
interface Answer {
  text: string;
  keyboard?: InlineKeyboardButton[][];
}

/** HTML text, and the buttons when there are any (an empty keyboard removes those of a replaced message). */
const html = (answer: Answer) => ({ parse_mode: "HTML" as const, ...Markup.inlineKeyboard((answer.keyboard ?? []).filter((row) => row.length > 0)) });

/** Whom a message is shown to, as its buttons carry it: the Telegram id, in base 36. */
const ownerTag = (ctx: PantauContext) => (ctx.from?.id ?? 0).toString(36);

/**
 * A press's answer: the callback answered first (Telegram gives up on a slow one), then the
 * message replaced, when it was shown to the presser; someone else's gets a message of its own.
 */
async function replace(ctx: PantauContext, owner: string, answer: Answer): Promise<void> {
  await ctx.answerCbQuery();
  if (owner === ownerTag(ctx)) await show(ctx, "in-place", answer.text, html(answer));
  else await ctx.reply(answer.text, html(answer));
}

async function refuseStale(ctx: PantauContext): Promise<void> {
  ctx.log.info({ data: ctx.callbackQuery && "data" in ctx.callbackQuery ? ctx.callbackQuery.data : undefined }, "stale or forged button");
  await ctx.answerCbQuery(ctx.t.access.staleButton, { show_alert: true });
}

// ---------------------------------------------------------------------------------- /status

/** Initiatives on a page of /status. */
const initiativesPerPage = 10;
/** Telegram's limit on a button's data: a search longer than fits gets no page buttons. */
const callbackDataLimit = 64;

/**
 * /status [initiative] as messages: one initiative with its steps; several, a page at a time (with
 * their steps when searched for), the search carried in the page buttons ("st:<page>:<search>").
 */
async function statusAnswer(ctx: PantauContext, person: Person, query: string, page: number): Promise<Answer[]> {
  const t = ctx.t.status;
  const programs = await recap(ctx.deps.db, scopeOf(person), ctx.now);
  const initiatives = programs.flatMap((p) => p.units.flatMap((u) => u.initiatives));
  const search = query.trim().toLowerCase();
  const chosen = search ? initiatives.filter((i) => i.name.toLowerCase().includes(search)) : initiatives;
  if (initiatives.length === 0) return [{ text: t.none }];
  if (chosen.length === 0) return [{ text: t.notFound(echo(query.trim())) }];
  const lang = language(ctx);
  const block = (i: InitiativeRecap, detailed: boolean) =>
    [
      t.initiative(escapeHtml(i.name), escapeHtml(i.unit), progressBar(i.progress), i.progress, i.overdue),
      ...(detailed
        ? i.milestones.map((m) => t.milestone(escapeHtml(m.title), formatShortDate(m.dueDate, lang), ctx.t.progressText(m.progress, m.status), m.daysLate))
        : []),
    ].join("\n");
  // One initiative: all of its steps, in as many messages as they take.
  if (chosen.length === 1) return splitMessages([t.header, block(chosen[0]!, true)]).map((text) => ({ text }));
  const data = (p: number) => `st:${ownerTag(ctx)}:${p}:${search}`;
  const paged = Buffer.byteLength(data(9999)) <= callbackDataLimit;
  const overdue = chosen.reduce((sum, i) => sum + i.overdue, 0);
  const shown = listPage(
    ctx.t,
    {
      header: `${t.header}\n${t.summary(chosen.length, overdue)}`,
      items: chosen.map((i) => block(i, !!search)),
      empty: t.none,
      ...(paged ? {} : { footer: t.narrow }),
    },
    page,
    initiativesPerPage,
    paged ? data : null,
  );
  return [{ text: shown.text, keyboard: [shown.nav] }];
}

progressViews.command("status", async (ctx) => {
  const person = await requirePerson(ctx);
  if (!person) return;
  for (const answer of await statusAnswer(ctx, person, ctx.payload, 0)) await ctx.reply(answer.text, html(answer));
});

progressViews.action(/^st:([0-9a-z]{1,12}):(\d{1,4}):([^]*)$/, async (ctx) => {
  const person = await requirePerson(ctx);
  if (!person) return;
  const [answer] = await statusAnswer(ctx, person, ctx.match[3]!, Number(ctx.match[2]));
  await replace(ctx, ctx.match[1]!, answer!);
});

// ---------------------------------------------------------------------------------- /rekap

function recapContext(ctx: PantauContext, program: ProgramRecap): RecapContext {
  return { t: ctx.t, lang: language(ctx), date: formatLongDate(program.today, language(ctx)), privateChat: ctx.chat?.type === "private", owner: ownerTag(ctx) };
}

progressViews.command(["rekap", "summary"], async (ctx) => {
  const person = await requireRole(ctx, "koordinator");
  if (!person) return;
  const programs = await recap(ctx.deps.db, scopeOf(person, "koordinator"), ctx.now);
  if (programs.length === 0) return void (await ctx.reply(ctx.t.recap.none));
  // The dashboard's button goes under the last program's summary (see bot/mini-app.ts).
  const dashboard = dashboardButton(ctx);
  for (const [i, program] of programs.entries()) {
    const screen = recapScreen(recapContext(ctx, program), program, { kind: "summary" }, 0)!;
    const withDashboard = dashboard && i === programs.length - 1 ? { ...screen, keyboard: [...screen.keyboard, [dashboard]] } : screen;
    await ctx.reply(...reply(withDashboard));
  }
});

const reply = (answer: Answer) => [answer.text, html(answer)] as const;

// A recap button: recomputed within the presser's own scope narrowed to the button's program, so
// a forged program or region, or a seat since removed, shows nothing.
progressViews.action(/^rk:/, async (ctx) => {
  const parsed = parseRecapData(ctx.callbackQuery && "data" in ctx.callbackQuery ? ctx.callbackQuery.data : "");
  if (!parsed) return refuseStale(ctx);
  const person = await requireRole(ctx, "koordinator");
  if (!person) return;
  const scope = scopeOf(person, "koordinator").filter((g) => g.kind === "program" && g.programId === parsed.programId);
  const [program] = scope.length > 0 ? await recap(ctx.deps.db, scope, ctx.now) : [];
  if (!program) return refuseStale(ctx);
  const { press } = parsed;
  if (press.kind === "chart") {
    await ctx.answerCbQuery();
    const date = formatLongDate(program.today, language(ctx));
    const png = await recapChart(program, ctx.t, date);
    return void (await ctx.replyWithPhoto({ source: png, filename: "rekap.png" }, { caption: ctx.t.chart.caption(program.name) }));
  }
  if (press.kind === "export") {
    // The file names notes and reporters: never into a group.
    if (ctx.chat?.type !== "private") return void (await ctx.answerCbQuery(ctx.t.access.notAllowed, { show_alert: true }));
    await ctx.answerCbQuery();
    return sendExport(ctx, person, scope);
  }
  const screen = recapScreen(recapContext(ctx, program), program, press.view, press.page);
  if (!screen) return refuseStale(ctx);
  await replace(ctx, parsed.owner, screen);
});

// ---------------------------------------------------------------------------------- /terlambat

/** Overdue steps (private chat) or units (group) on a page of /terlambat. */
const stepsPerPage = 10;
const unitsPerPage = 15;

/**
 * /terlambat as one message a page: in the private chat the steps with their focal points, most
 * late first; a group sees units and counts, focal points' names and the steps stay private.
 */
async function overdueAnswer(ctx: PantauContext, person: Person, page: number): Promise<Answer> {
  const t = ctx.t.overdue;
  const scope = scopeOf(person, "koordinator");
  const data = (p: number) => `tl:${ownerTag(ctx)}:${p}`;
  if (ctx.chat?.type !== "private") {
    const units = await overdueUnits(ctx.deps.db, scope, ctx.now);
    if (units.length === 0) return { text: t.none };
    const steps = units.reduce((sum, u) => sum + u.steps, 0);
    const items = units.map((u) => t.unitLine(escapeHtml(u.name), escapeHtml(u.region), u.steps, u.mostDaysLate));
    const shown = listPage(
      ctx.t,
      { header: `${t.header}\n${t.summary(steps, units.length)}`, items, empty: t.none, footer: t.groupHint },
      page,
      unitsPerPage,
      data,
    );
    return { text: shown.text, keyboard: [shown.nav] };
  }
  const late = await overdueMilestones(ctx.deps.db, scope, ctx.now);
  if (late.length === 0) return { text: t.none };
  const lang = language(ctx);
  const items = late.map(({ milestone: m, focalPoints }) =>
    t.line(
      escapeHtml(m.unit.name),
      escapeHtml(m.initiative.name),
      escapeHtml(m.title),
      formatLongDate(m.dueDate, lang),
      m.daysLate,
      ctx.t.progressText(m.progress, m.status),
      focalPoints.length ? escapeHtml(focalPoints.join(", ")) : t.noPic,
    ),
  );
  const units = new Set(late.map((l) => l.milestone.unit.id)).size;
  const shown = listPage(ctx.t, { header: `${t.header}\n${t.summary(late.length, units)}`, items, empty: t.none }, page, stepsPerPage, data);
  return { text: shown.text, keyboard: [shown.nav] };
}

progressViews.command(["terlambat", "overdue"], async (ctx) => {
  const person = await requireRole(ctx, "koordinator");
  if (!person) return;
  await ctx.reply(...reply(await overdueAnswer(ctx, person, 0)));
});

progressViews.action(/^tl:([0-9a-z]{1,12}):(\d{1,4})$/, async (ctx) => {
  const person = await requireRole(ctx, "koordinator");
  if (!person) return;
  await replace(ctx, ctx.match[1]!, await overdueAnswer(ctx, person, Number(ctx.match[2])));
});
