import { Composer } from "telegraf";
import { formatLongDate, formatShortDate, localDate } from "../../domain/dates.js";
import { reachReport, type IdleInvite, type RegionReach } from "../../services/reach.js";
import type { PantauContext } from "../context.js";
import { escapeHtml, splitMessages } from "../format.js";
import { requireRole } from "../guards.js";
import { language } from "../language.js";

/** /jangkauan (/reach): who the bot cannot reach yet. */
export const reach = new Composer<PantauContext>();

/** The blocks of one region (or of the whole program): one per list, the heading in the first. */
function regionBlocks(ctx: PantauContext, r: RegionReach, heading: string | null): string[] {
  const t = ctx.t.reachReport;
  const lang = language(ctx);
  const day = (instant: Date, tz: string) => formatShortDate(localDate(instant, tz), lang);
  const role = (name: string) => ctx.t.roles[name] ?? name;
  const target = (i: IdleInvite) => escapeHtml(i.unitCode ? ctx.t.inviteCommand.unitTarget(i.target, i.unitCode) : i.target);
  const lists = [
    r.unitsWithoutFocalPoint.length
      ? [
          t.withoutPic(r.unitsWithoutFocalPoint.length),
          ...r.unitsWithoutFocalPoint.map((u) => t.unitLine(escapeHtml(u.name), escapeHtml(u.code))),
          t.withoutPicHint,
        ]
      : [],
    r.pendingInvites.length
      ? [
          t.pending(r.pendingInvites.length),
          ...r.pendingInvites.map((i) => t.pendingLine(target(i), role(i.role), day(i.createdAt, i.timezone), day(i.expiresAt, i.timezone))),
        ]
      : [],
    r.expiredInvites.length
      ? [
          t.expired(r.expiredInvites.length),
          ...r.expiredInvites.map((i) => t.expiredLine(target(i), role(i.role), day(i.createdAt, i.timezone), day(i.expiresAt, i.timezone))),
          t.expiredHint,
        ]
      : [],
    r.blocked.length
      ? [
          t.blocked(r.blocked.length),
          ...r.blocked.map((b) => t.blockedLine(escapeHtml(b.name), role(b.role), escapeHtml(b.where), day(b.since, b.timezone))),
          t.blockedHint,
        ]
      : [],
    r.away.length
      ? [
          ctx.t.away.reachHeader(r.away.length),
          ...r.away.map((a) => ctx.t.away.reachLine(escapeHtml(a.name), role(a.role), escapeHtml(a.where), formatLongDate(a.lastDay, lang))),
          ctx.t.away.reachHint,
        ]
      : [],
  ].filter((lines) => lines.length > 0);
  // The heading sits in its first list's block, so a split message never ends on a lone heading.
  return lists.map((lines, i) => (i === 0 && heading ? [heading, ...lines] : lines).join("\n"));
}

reach.command(["jangkauan", "reach"], async (ctx) => {
  const person = await requireRole(ctx, "koordinator");
  if (!person) return;
  const t = ctx.t.reachReport;
  const programs = await reachReport(ctx.deps.db, person, ctx.now);
  if (programs.length === 0) return void (await ctx.reply(t.none));
  for (const program of programs) {
    const blocks = program.regions.flatMap((r) =>
      regionBlocks(ctx, r, program.multiRegion ? (r.region === null ? t.wholeProgram : t.region(escapeHtml(r.region))) : null),
    );
    const header = t.header(escapeHtml(program.name));
    for (const text of splitMessages(blocks.length ? [header, ...blocks] : [header, t.allReached])) await ctx.reply(text, { parse_mode: "HTML" });
  }
});
