import { Composer, TelegramError } from "telegraf";
import { formatLongDate, localDate } from "../../domain/dates.js";
import type { Role } from "../../domain/statuses.js";
import { createCoordinatorInvite, resolveInviteTarget, revokeInvite, roleWords, type CreatedInvite, type InviteTarget } from "../../services/invites.js";
import type { PantauContext } from "../context.js";
import { echo, escapeHtml } from "../format.js";
import { auditActor, requireRole } from "../guards.js";
import { language } from "../language.js";
import { inviteQrPng } from "../qr.js";
import { showOpenInvites } from "./invite-list.js";

/** /undang (/invite): an invite link and its QR code for a unit; without one, the open invites. */
export const invite = new Composer<PantauContext>();

/** `/undang daftar` (`/invite list`) lists the open invites, as `/undang` alone does. */
const listWords = new Set(["daftar", "list"]);

/** "BABAR-DISPARBUD kepala" → the unit query and the role (a focal point when none is named). */
function parseArgs(payload: string): { query: string; role: Role } {
  const words = payload.trim().split(/\s+/).filter(Boolean);
  const role = roleWords[words.at(-1)?.toLowerCase() ?? ""];
  return role ? { query: words.slice(0, -1).join(" "), role } : { query: words.join(" "), role: "pic" };
}

/** Says why an invite could not be made yet (unknown, ambiguous, which program or region). */
async function explain(ctx: PantauContext, target: Exclude<InviteTarget, { kind: "unit" | "program" }>, query: string): Promise<void> {
  const t = ctx.t.inviteCommand;
  const q = echo(query);
  const units = (list: { code: string; name: string; region: string }[]) =>
    list.map((u) => t.unitLine(escapeHtml(u.code), escapeHtml(u.name), escapeHtml(u.region)));
  const text = (() => {
    switch (target.kind) {
      case "no_program":
        return t.noProgram;
      case "ambiguous":
        return [t.ambiguous(q), ...units(target.units)].join("\n");
      case "not_found":
        return [t.notFound(q), ...(target.suggestions.length ? ["", t.suggestions, ...units(target.suggestions)] : []), "", t.askCode].join("\n");
      case "choose_program":
        return t.chooseProgram(target.programs.map(escapeHtml));
      case "choose_region":
        return t.chooseRegion(target.regions.map(escapeHtml));
      case "choose_unit_program":
        return t.chooseUnitProgram(escapeHtml(target.unit.code), target.programs.map(escapeHtml));
    }
  })();
  await ctx.reply(text, { parse_mode: "HTML" });
}

/** The message of a new invite (its link, who, how many, until when) and its QR code. */
export async function inviteMessage(ctx: PantauContext, created: CreatedInvite, who: string, timezone: string) {
  const link = `https://t.me/${ctx.botInfo.username}?start=${created.code}`;
  const roleName = ctx.t.roles[created.role] ?? created.role;
  const expires = formatLongDate(localDate(created.expiresAt, timezone), language(ctx));
  return {
    roleName,
    text: ctx.t.inviteCommand.created(roleName, escapeHtml(who), created.maxUses, expires, link),
    qr: { source: await inviteQrPng(link), filename: "undangan-pantau.png" },
    caption: ctx.t.inviteCommand.qrCaption(roleName, who),
  };
}

/** Telegram refuses to let the bot write first to someone who never opened it (403, or 400 "chat not found"). */
const cannotWritePrivately = (err: unknown) => err instanceof TelegramError && (err.code === 403 || err.code === 400);

invite.command(["undang", "invite"], async (ctx) => {
  const { query, role } = parseArgs(ctx.payload);
  if ((!query && role !== "koordinator") || listWords.has(query.toLowerCase())) return showOpenInvites(ctx);
  const person = await requireRole(ctx, "koordinator");
  if (!person) return;
  const t = ctx.t.inviteCommand;

  const target = await resolveInviteTarget(ctx.deps.db, person, query, role);
  if (target.kind !== "unit" && target.kind !== "program") return explain(ctx, target, query);

  const created = await createCoordinatorInvite(ctx.deps.db, person, target, role, ctx.now, auditActor(ctx, person));
  const timezone = target.kind === "unit" ? target.unit.timezone : target.timezone;
  const who = target.kind === "unit" ? t.unitTarget(target.unit.name, target.unit.code) : created.target;
  const { text, qr, caption, roleName } = await inviteMessage(ctx, created, who, timezone);
  ctx.log.info({ invite: created.id, role: created.role }, "invite created in Telegram");

  if (ctx.chat.type === "private") {
    await ctx.reply(text, { parse_mode: "HTML" });
    await ctx.replyWithPhoto(qr, { caption });
    return;
  }
  // An invite is a secret: in a group only the news that it was sent goes out.
  try {
    await ctx.telegram.sendMessage(ctx.from.id, text, { parse_mode: "HTML" });
  } catch (err) {
    if (!cannotWritePrivately(err)) throw err;
    // Nobody got the link: it must not stay valid, unseen, in the reach report.
    await revokeInvite(ctx.deps.db, { admin: false, actor: auditActor(ctx, person), person }, created.id, ctx.now);
    await ctx.reply(t.openPrivateFirst(ctx.botInfo.username));
    return;
  }
  await ctx.telegram.sendPhoto(ctx.from.id, qr, { caption });
  await ctx.reply(t.sentPrivately(roleName, who, ctx.from.first_name));
});
