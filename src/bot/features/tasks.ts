import { Composer } from "telegraf";
import { daysBetween, formatLongDate } from "../../domain/dates.js";
import { openMilestones } from "../../services/milestones.js";
import type { PantauContext } from "../context.js";
import { escapeHtml, splitMessages } from "../format.js";
import { requireRole } from "../guards.js";
import { language } from "../language.js";

/** /tugas (/tasks): the focal point's open steps, soonest first, overdue marked. */
export const tasks = new Composer<PantauContext>();

tasks.command(["tugas", "tasks"], async (ctx) => {
  const person = await requireRole(ctx, "pic");
  if (!person) return;
  const steps = await openMilestones(ctx.deps.db, person, ctx.now);
  if (steps.length === 0) {
    await ctx.reply(ctx.t.tasks.none);
    return;
  }
  const lang = language(ctx);
  const blocks = steps.map((m) =>
    ctx.t.tasks.line(
      escapeHtml(m.title),
      escapeHtml(m.initiative.name),
      formatLongDate(m.dueDate, lang),
      m.progress,
      m.daysLate,
      daysBetween(m.today, m.dueDate),
    ),
  );
  for (const text of splitMessages([ctx.t.tasks.header, ...blocks, ctx.t.tasks.footer])) {
    await ctx.reply(text, { parse_mode: "HTML" });
  }
});
