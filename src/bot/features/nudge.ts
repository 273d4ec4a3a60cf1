import { Composer } from "telegraf";
import { formatLongDate, type Language } from "../../domain/dates.js";
import type { Catalogue } from "../../i18n/index.js";
import { nudge as nudgeNow, type NudgeResult, type NudgeStep, type NudgeUnit } from "../../services/nudges.js";
import type { PantauContext } from "../context.js";
import { echo, escapeHtml, splitMessages } from "../format.js";
import { auditActor, requireRole } from "../guards.js";
import { language } from "../language.js";

/** /ingatkan (/nudge): remind a unit's focal points, or one step's, right now. */
export const nudge = new Composer<PantauContext>();

const unitLabel = (u: NudgeUnit) => escapeHtml(`${u.name} (${u.region})`);

function nudgeText(t: Catalogue, lang: Language, result: NudgeResult, query: string): string {
  const n = t.nudge;
  const unitLine = (u: NudgeUnit) => n.unitLine(escapeHtml(u.code), escapeHtml(u.name), escapeHtml(u.region));
  const stepLine = (s: NudgeStep) => n.stepLine(escapeHtml(s.title), escapeHtml(s.unit.name), escapeHtml(s.unit.code));
  switch (result.kind) {
    case "empty":
      return n.usage;
    case "not_found":
      return [
        n.notFound(echo(query)),
        ...(result.suggestions.length ? ["", n.suggestions, ...result.suggestions.map((s) => ("title" in s ? stepLine(s) : unitLine(s)))] : []),
      ].join("\n");
    case "ambiguous":
      return [n.ambiguous(echo(query)), ...result.units.map(unitLine), ...result.steps.map(stepLine), ...(result.steps.length ? ["", n.stepHint] : [])].join(
        "\n",
      );
    case "no_focal_point":
      return n.noFocalPoint(unitLabel(result.unit), escapeHtml(result.unit.code), result.invited);
    case "all_blocked":
      return n.allBlocked(unitLabel(result.unit));
    case "all_away":
      return t.away.nudgeAllAway(unitLabel(result.unit), formatLongDate(result.until, lang));
    case "nothing_due":
      return n.nothingDue(unitLabel(result.unit));
    case "step_done":
      return n.stepDone(escapeHtml(result.step.title), unitLabel(result.step.unit));
    case "queued": {
      const target = result.target;
      if (result.people === 0)
        return n.already(target.type === "unit" ? unitLabel(target.unit) : `<b>${escapeHtml(target.step.title)}</b> (${unitLabel(target.step.unit)})`);
      const queued =
        target.type === "unit"
          ? n.queuedUnit(result.people, result.steps, unitLabel(target.unit))
          : n.queuedStep(result.people, escapeHtml(target.step.title), unitLabel(target.step.unit));
      return result.toHeads ? `${queued}\n${t.away.nudgeHeads}` : queued;
    }
  }
}

nudge.command(["ingatkan", "nudge"], async (ctx) => {
  const person = await requireRole(ctx, "koordinator");
  if (!person) return;
  const query = ctx.payload.trim();
  const result = await nudgeNow(ctx.deps.db, person, query, ctx.now, auditActor(ctx, person));
  ctx.log.info({ result: result.kind, ...(result.kind === "queued" ? { people: result.people, steps: result.steps } : {}) }, "nudge");
  for (const text of splitMessages([nudgeText(ctx.t, language(ctx), result, query)])) await ctx.reply(text, { parse_mode: "HTML" });
  if (result.kind === "queued" && result.people > 0) ctx.deps.outbox.wake();
});
