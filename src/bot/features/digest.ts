import { Composer } from "telegraf";
import { formatWeekday } from "../../domain/dates.js";
import { digestSettings, setWeeklyDigest } from "../../services/digests.js";
import type { Person } from "../../services/people.js";
import { yesNo } from "../../services/program-rules.js";
import type { PantauContext } from "../context.js";
import { echo, escapeHtml } from "../format.js";
import { auditActor, requirePerson, requireRole } from "../guards.js";
import { language } from "../language.js";
import { digestOffData } from "../outbox-sender.js";

/**
 * /ringkasan (/digest): whether the person gets the weekly digests of their seats, and when; with
 * on or off, switches them (one switch for every program). The button under a digest switches off.
 */
export const digest = new Composer<PantauContext>();

digest.command(["ringkasan", "digest"], async (ctx) => {
  const person = await requireRole(ctx, "kepala", "koordinator");
  if (!person) return;
  const word = ctx.payload.trim();
  if (word) {
    const on = yesNo(word);
    if (on === null) return void (await ctx.reply(ctx.t.digest.unknown(echo(word))));
    return switchTo(ctx, person, on);
  }
  const t = ctx.t.digest;
  const settings = await digestSettings(ctx.deps.db, person);
  const schedules = settings.programs.map((p) => t.schedule(escapeHtml(p.programName), p.enabled, formatWeekday(p.weekday, language(ctx)), p.hour));
  const lines = [t.status(settings.on), t.about, schedules.length ? schedules.join("\n") : t.noPrograms, t.howTo(settings.on)];
  await ctx.reply(lines.join("\n\n"), { parse_mode: "HTML" });
});

digest.action(digestOffData, async (ctx) => {
  const person = await requirePerson(ctx);
  if (!person) return;
  await ctx.answerCbQuery();
  // Done: the button goes, so the digest reads as it was without inviting a second press.
  await ctx.editMessageReplyMarkup(undefined).catch(() => undefined);
  await switchTo(ctx, person, false);
});

async function switchTo(ctx: PantauContext, person: Person, on: boolean): Promise<void> {
  const changed = await setWeeklyDigest(ctx.deps.db, person, on, ctx.now, auditActor(ctx, person));
  if (changed) ctx.log.info({ on }, "weekly digest switched");
  await ctx.reply(changed ? (on ? ctx.t.digest.turnedOn : ctx.t.digest.turnedOff) : ctx.t.digest.already(on));
}
