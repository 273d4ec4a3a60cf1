import { Composer } from "telegraf";
import { formatLongDate, formatShortDate } from "../../domain/dates.js";
import { overdueMilestones, overdueUnits, recap } from "../../services/recap.js";
import { scopeOf } from "../../services/scope.js";
import type { PantauContext } from "../context.js";
import { echo, escapeHtml, progressBar, splitMessages } from "../format.js";
import { recapChart } from "../recap-chart.js";
import { requirePerson, requireRole } from "../guards.js";
import { language } from "../language.js";

/** /status, /rekap (/summary) and /terlambat (/overdue): where things stand. */
export const progressViews = new Composer<PantauContext>();

async function send(ctx: PantauContext, blocks: string[]) {
  for (const text of splitMessages(blocks)) await ctx.reply(text, { parse_mode: "HTML" });
}

progressViews.command("status", async (ctx) => {
  const person = await requirePerson(ctx);
  if (!person) return;
  const query = ctx.payload.trim().toLowerCase();
  const programs = await recap(ctx.deps.db, scopeOf(person), ctx.now);
  const initiatives = programs.flatMap((p) => p.units.flatMap((u) => u.initiatives));
  const chosen = query ? initiatives.filter((i) => i.name.toLowerCase().includes(query)) : initiatives;
  if (initiatives.length === 0) return void (await ctx.reply(ctx.t.status.none));
  if (chosen.length === 0) {
    return void (await ctx.reply(ctx.t.status.notFound(echo(ctx.payload.trim())), { parse_mode: "HTML" }));
  }
  const lang = language(ctx);
  // One initiative (or a query): its steps too; many: one line each.
  const detailed = chosen.length === 1 || !!query;
  await send(ctx, [
    ctx.t.status.header,
    ...chosen.map((i) =>
      [
        ctx.t.status.initiative(escapeHtml(i.name), escapeHtml(i.unit), progressBar(i.progress), i.progress, i.overdue),
        ...(detailed
          ? i.milestones.map((m) =>
              ctx.t.status.milestone(escapeHtml(m.title), formatShortDate(m.dueDate, lang), ctx.t.progressText(m.progress, m.status), m.daysLate),
            )
          : []),
      ].join("\n"),
    ),
  ]);
});

progressViews.command(["rekap", "summary"], async (ctx) => {
  const person = await requireRole(ctx, "koordinator");
  if (!person) return;
  const programs = await recap(ctx.deps.db, scopeOf(person, "koordinator"), ctx.now);
  if (programs.length === 0) return void (await ctx.reply(ctx.t.recap.none));
  for (const program of programs) {
    // Units are sorted by region; a program over several regions gets a heading per region.
    const regions = new Set(program.units.map((u) => u.region));
    await send(ctx, [
      ctx.t.recap.header(escapeHtml(program.name)),
      ...program.units.map((u, i) =>
        [
          // The heading sits in its unit's block, so a split message never ends on a lone heading.
          ...(regions.size > 1 && u.region !== program.units[i - 1]?.region ? [ctx.t.recap.region(escapeHtml(u.region))] : []),
          ctx.t.recap.unit(escapeHtml(u.name), progressBar(u.progress), u.progress, u.overdue),
          ...u.initiatives.map((ini) => ctx.t.recap.initiative(escapeHtml(ini.name), ini.progress, ini.overdue)),
        ].join("\n"),
      ),
      ctx.t.recap.total(program.progress, program.overdue),
    ]);
    // Then the same recap as a picture to forward to the leadership.
    const date = formatLongDate(program.today, language(ctx));
    const png = await recapChart(program, ctx.t, date);
    await ctx.replyWithPhoto({ source: png, filename: "rekap.png" }, { caption: ctx.t.chart.caption(program.name) });
  }
});

progressViews.command(["terlambat", "overdue"], async (ctx) => {
  const person = await requireRole(ctx, "koordinator");
  if (!person) return;
  // A group sees units and counts; focal points' names and the steps stay in the private chat.
  if (ctx.chat.type !== "private") {
    const units = await overdueUnits(ctx.deps.db, scopeOf(person, "koordinator"), ctx.now);
    if (units.length === 0) return void (await ctx.reply(ctx.t.overdue.none));
    return send(ctx, [
      ctx.t.overdue.header,
      ...units.map((u) => ctx.t.overdue.unitLine(escapeHtml(u.name), escapeHtml(u.region), u.steps, u.mostDaysLate)),
      ctx.t.overdue.groupHint,
    ]);
  }
  const items = await overdueMilestones(ctx.deps.db, scopeOf(person, "koordinator"), ctx.now);
  if (items.length === 0) return void (await ctx.reply(ctx.t.overdue.none));
  const lang = language(ctx);
  await send(ctx, [
    ctx.t.overdue.header,
    ...items.map(({ milestone: m, focalPoints }) =>
      ctx.t.overdue.line(
        escapeHtml(m.unit.name),
        escapeHtml(m.initiative.name),
        escapeHtml(m.title),
        formatLongDate(m.dueDate, lang),
        m.daysLate,
        ctx.t.progressText(m.progress, m.status),
        focalPoints.length ? escapeHtml(focalPoints.join(", ")) : ctx.t.overdue.noPic,
      ),
    ),
  ]);
});
