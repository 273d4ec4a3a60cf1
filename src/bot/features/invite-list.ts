import { Composer, Markup } from "telegraf";
import { formatLongDate, localDate } from "../../domain/dates.js";
import type { Manager } from "../../services/authority.js";
import { endFlow, saveFlow } from "../../services/flows.js";
import { listOpenInvites, openInvite, revokeInvite, type OpenInvite } from "../../services/invites.js";
import type { PantauContext } from "../context.js";
import { escapeHtml, maxName, pageOf, shorten } from "../format.js";
import { claimButton, requireManager } from "../guards.js";
import { language } from "../language.js";
import { privateChatLink } from "./private-only.js";

/**
 * /undang (/invite) without a unit: the open invites a coordinator (or an admin) may revoke, each
 * with a button, then a confirmation. Buttons carry the flow's token (flows.ts), and the service
 * checks the invite's program again, so a stale or forged press changes nothing.
 */
export const inviteList = new Composer<PantauContext>();

type State = { step: "list"; page: number } | { step: "confirm"; inviteId: number };
const kind = "invites";
/** Invites on one page: with long unit names shortened, a page stays well inside one message. */
const perPage = 10;

/** Callback data: "iv:<token>:<action>[:<invite id or page>]". */
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
  const view = await listPage(ctx, manager, 0);
  if (!view) {
    await endFlow(ctx.deps.db, manager.personId);
    await ctx.reply([ctx.t.inviteList.none, "", ctx.t.inviteCommand.usage].join("\n"));
    return;
  }
  await ctx.reply(view.text, { parse_mode: "HTML", ...view.keyboard });
}

/** One page of the list with its buttons under a fresh flow token; null when nothing is open. */
async function listPage(ctx: PantauContext, manager: Manager & { personId: number }, page: number) {
  const t = ctx.t.inviteList;
  const invites = await listOpenInvites(ctx.deps.db, manager, ctx.now);
  if (invites.length === 0) return null;
  const shown = pageOf(invites, page, perPage);
  const token = await saveFlow<State>(ctx.deps.db, manager.personId, kind, { step: "list", page: shown.page }, ctx.now);
  const lines = shown.items.map((invite, i) => describe(ctx, invite, shown.start + i + 1));
  const paging = shown.pages > 1 ? [ctx.t.paging.page(shown.page + 1, shown.pages)] : [];
  const text = [t.header(invites.length), "", ...lines, "", ...paging, t.hint, "", escapeHtml(ctx.t.inviteCommand.usage)];
  const revokes = shown.items.map((invite, i) => button(t.revokeButton(shown.start + i + 1), token, "r", invite.id));
  // Four to a row: a phone shows them without scrolling sideways.
  const keyboard = Array.from({ length: Math.ceil(revokes.length / 4) }, (_, i) => revokes.slice(i * 4, i * 4 + 4));
  const nav = [
    ...(shown.page > 0 ? [button(ctx.t.paging.previous, token, "p", shown.page - 1)] : []),
    ...(shown.page < shown.pages - 1 ? [button(ctx.t.paging.next, token, "p", shown.page + 1)] : []),
  ];
  if (nav.length) keyboard.push(nav);
  return { text: text.join("\n"), keyboard: Markup.inlineKeyboard(keyboard) };
}

function describe(ctx: PantauContext, invite: OpenInvite, n: number): string {
  const expires = formatLongDate(localDate(invite.expiresAt, invite.timezone ?? ctx.deps.defaultTimezone), language(ctx));
  const name = shorten(invite.target, maxName);
  const target = invite.unitCode ? ctx.t.inviteCommand.unitTarget(name, invite.unitCode) : name;
  const by = shorten(invite.createdBy ?? ctx.t.inviteList.byAdmin, maxName);
  return ctx.t.inviteList.line(n, escapeHtml(target), ctx.t.roles[invite.role] ?? invite.role, invite.uses, invite.maxUses, expires, escapeHtml(by));
}

inviteList.action(/^iv:([\w-]+):(r|p|ok|x)(?::(\d+))?$/, async (ctx) => {
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
  if (action === "p" && flow.state.step === "list") {
    await ctx.answerCbQuery();
    const view = await listPage(ctx, manager, Number(arg));
    const text = view?.text ?? ctx.t.inviteList.none;
    await ctx.editMessageText(text, { parse_mode: "HTML", ...view?.keyboard }).catch(() => ctx.reply(text, { parse_mode: "HTML", ...view?.keyboard }));
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
