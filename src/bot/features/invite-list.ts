import { Composer, Markup } from "telegraf";
import { formatLongDate, localDate } from "../../domain/dates.js";
import type { Manager } from "../../services/authority.js";
import { endFlow, saveFlow } from "../../services/flows.js";
import { listOpenInvites, openInvite, revokeInvite, type OpenInvite } from "../../services/invites.js";
import type { PantauContext } from "../context.js";
import { escapeHtml } from "../format.js";
import { claimButton, requireManager } from "../guards.js";
import { language } from "../language.js";
import { privateChatLink } from "./private-only.js";

/**
 * /undang (/invite) without a unit: the open invites a coordinator (or an admin) may revoke, each
 * with a button, then a confirmation. Buttons carry the flow's token (flows.ts), and the service
 * checks the invite's program again, so a stale or forged press changes nothing.
 */
export const inviteList = new Composer<PantauContext>();

type State = { step: "list" } | { step: "confirm"; inviteId: number };
const kind = "invites";
/** Invites listed with a button; the rest are counted (the CLI lists them all). */
const maxListed = 30;

/** Callback data: "iv:<token>:<action>[:<invite id>]". */
const button = (text: string, token: string, action: string, id?: number) =>
  Markup.button.callback(text, ["iv", token, action, ...(id === undefined ? [] : [String(id)])].join(":"));

/** The open invites in the manager's reach, each with its revoke button (private chats only). */
export async function showOpenInvites(ctx: PantauContext): Promise<void> {
  const manager = await requireManager(ctx);
  if (!manager) return;
  if (ctx.chat?.type !== "private") {
    await ctx.reply(ctx.t.inviteList.privateOnly, Markup.inlineKeyboard([[Markup.button.url(ctx.t.groupChat.openPrivate, privateChatLink(ctx.me, "undang"))]]));
    return;
  }
  const t = ctx.t.inviteList;
  const invites = await listOpenInvites(ctx.deps.db, manager, ctx.now);
  if (invites.length === 0) {
    await endFlow(ctx.deps.db, manager.personId);
    await ctx.reply([t.none, "", ctx.t.inviteCommand.usage].join("\n"));
    return;
  }
  const token = await saveFlow<State>(ctx.deps.db, manager.personId, kind, { step: "list" }, ctx.now);
  const shown = invites.slice(0, maxListed);
  const lines = shown.map((invite, i) => describe(ctx, invite, i + 1));
  const text = [t.header(invites.length), "", ...lines, ...(invites.length > maxListed ? [t.more(invites.length - maxListed)] : []), "", t.hint, "", escapeHtml(ctx.t.inviteCommand.usage)];
  const rows = shown.map((invite, i) => button(t.revokeButton(i + 1), token, "r", invite.id));
  // Four to a row: a phone shows them without scrolling sideways.
  const keyboard = Array.from({ length: Math.ceil(rows.length / 4) }, (_, i) => rows.slice(i * 4, i * 4 + 4));
  await ctx.reply(text.join("\n"), { parse_mode: "HTML", ...Markup.inlineKeyboard(keyboard) });
}

function describe(ctx: PantauContext, invite: OpenInvite, n: number): string {
  const expires = formatLongDate(localDate(invite.expiresAt, invite.timezone ?? ctx.deps.defaultTimezone), language(ctx));
  const target = invite.unitCode ? ctx.t.inviteCommand.unitTarget(invite.target, invite.unitCode) : invite.target;
  const by = invite.createdBy ?? ctx.t.inviteList.byAdmin;
  return ctx.t.inviteList.line(n, escapeHtml(target), ctx.t.roles[invite.role] ?? invite.role, invite.uses, invite.maxUses, expires, escapeHtml(by));
}

inviteList.action(/^iv:([\w-]+):(r|ok|x)(?::(\d+))?$/, async (ctx) => {
  const manager = await requireManager(ctx);
  if (!manager) return;
  const [, token, action, arg] = ctx.match;
  const flow = await claimButton<State>(ctx, manager.personId, kind, token!);
  if (!flow) return;
  const t = ctx.t.inviteList;
  const refuse = (reason: "gone" | "not_allowed") => ctx.answerCbQuery(reason === "gone" ? t.gone : t.notAllowed, { show_alert: true });

  if (action === "r" && flow.state.step === "list") {
    const check = await openInvite(ctx.deps.db, manager, Number(arg), ctx.now);
    if (!check.ok) return void (await refuse(check.reason));
    await ctx.answerCbQuery();
    const next = await saveFlow<State>(ctx.deps.db, manager.personId, kind, { step: "confirm", inviteId: check.invite.id }, ctx.now);
    const target = check.invite.unitCode ? ctx.t.inviteCommand.unitTarget(check.invite.target, check.invite.unitCode) : check.invite.target;
    await ctx.reply(t.confirm(ctx.t.roles[check.invite.role] ?? check.invite.role, escapeHtml(target)), {
      parse_mode: "HTML",
      ...Markup.inlineKeyboard([[button(t.yes, next, "ok", check.invite.id), button(t.no, next, "x")]]),
    });
    return;
  }
  if (action === "ok" && flow.state.step === "confirm" && Number(arg) === flow.state.inviteId) return revoke(ctx, manager, flow.state.inviteId);
  if (action === "x") {
    await ctx.answerCbQuery();
    await endFlow(ctx.deps.db, manager.personId);
    await ctx.editMessageText(t.kept).catch(() => ctx.reply(t.kept));
    return;
  }
  await ctx.answerCbQuery(ctx.t.access.staleButton, { show_alert: true });
});

/** Revokes the confirmed invite, says so in place of the confirmation, then lists what is still open. */
async function revoke(ctx: PantauContext, manager: Manager & { personId: number }, inviteId: number): Promise<void> {
  const result = await revokeInvite(ctx.deps.db, manager, inviteId, ctx.now);
  await endFlow(ctx.deps.db, manager.personId);
  if (!result.ok) {
    await ctx.answerCbQuery(result.reason === "gone" ? ctx.t.inviteList.gone : ctx.t.inviteList.notAllowed, { show_alert: true });
    return;
  }
  await ctx.answerCbQuery();
  ctx.log.info({ invite: inviteId }, "invite revoked in Telegram");
  const { invite } = result;
  const target = invite.unitCode ? ctx.t.inviteCommand.unitTarget(invite.target, invite.unitCode) : invite.target;
  const text = ctx.t.inviteList.revoked(ctx.t.roles[invite.role] ?? invite.role, escapeHtml(target));
  await ctx.editMessageText(text, { parse_mode: "HTML" }).catch(() => ctx.reply(text, { parse_mode: "HTML" }));
  await showOpenInvites(ctx);
}
