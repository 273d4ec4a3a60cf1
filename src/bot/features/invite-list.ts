import { Composer, Markup } from "telegraf";
import { z } from "zod";
import { formatLongDate, localDate } from "../../domain/dates.js";
import type { Manager } from "../../services/authority.js";
import { endFlow } from "../../services/flows.js";
import { listOpenInvites, openInvite, revokeInvite, type OpenInvite } from "../../services/invites.js";
import type { PantauContext } from "../context.js";
import { defineFlow, FlowKind, idOf, show, type Press } from "../flows/flow.js";
import { escapeHtml, maxName, pageOf, shorten } from "../format.js";
import { requireManager } from "../guards.js";
import { language } from "../language.js";
import { privateChatLink } from "./private-only.js";

/**
 * /undang (/invite) without a unit: the open invites a coordinator (or an admin) may revoke, each
 * with a button, then a confirmation. Buttons carry the flow's token (flows.ts), and the service
 * checks the invite's program again, so a stale or forged press changes nothing.
 */
export const inviteList = new Composer<PantauContext>();

const inviteListState = z.discriminatedUnion("step", [
  z.object({ step: z.literal("list"), page: z.number().int() }),
  z.object({ step: z.literal("confirm"), inviteId: z.number().int() }),
]);
type State = z.infer<typeof inviteListState>;

/** Callback data: "iv:<token>:<action>[:<invite id or page>]". */
const flow = new FlowKind("invites", "iv", inviteListState);
/** Invites on one page: with long unit names shortened, a page stays well inside one message. */
const perPage = 10;

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
  const button = flow.buttons(await flow.save(ctx, manager.personId, { step: "list", page: shown.page }));
  const lines = shown.items.map((invite, i) => describe(ctx, invite, shown.start + i + 1));
  const paging = shown.pages > 1 ? [ctx.t.paging.page(shown.page + 1, shown.pages)] : [];
  const text = [t.header(invites.length), "", ...lines, "", ...paging, t.hint, "", escapeHtml(ctx.t.inviteCommand.usage)];
  const revokes = shown.items.map((invite, i) => button(t.revokeButton(shown.start + i + 1), "r", invite.id));
  // Four to a row: a phone shows them without scrolling sideways.
  const keyboard = Array.from({ length: Math.ceil(revokes.length / 4) }, (_, i) => revokes.slice(i * 4, i * 4 + 4));
  const nav = [
    ...(shown.page > 0 ? [button(ctx.t.paging.previous, "p", shown.page - 1)] : []),
    ...(shown.page < shown.pages - 1 ? [button(ctx.t.paging.next, "p", shown.page + 1)] : []),
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

/** What a press asks for: the confirmation of a revoke (after its check), another page, the revoke itself. */
export type InviteListPress = { check: number } | { page: number } | { revoke: number } | "stale";

export function inviteListPress(state: State, press: Press): InviteListPress {
  const id = idOf(press.arg);
  if (state.step === "list" && id !== null && press.action === "r") return { check: id };
  if (state.step === "list" && id !== null && press.action === "p") return { page: id };
  if (state.step === "confirm" && press.action === "ok" && id === state.inviteId) return { revoke: id };
  return "stale";
}

export const inviteListFlow = defineFlow(flow, {
  actor: requireManager,
  cancel: { place: "in-place", text: (t) => t.inviteList.kept },
  press: async (ctx, manager, state, press) => {
    const t = ctx.t.inviteList;
    const outcome = inviteListPress(state, press);
    if (outcome === "stale") return "stale";
    if ("revoke" in outcome) return revoke(ctx, manager, outcome.revoke);
    if ("page" in outcome) {
      await ctx.answerCbQuery();
      const view = await listPage(ctx, manager, outcome.page);
      return show(ctx, "in-place", view?.text ?? t.none, { parse_mode: "HTML", ...view?.keyboard });
    }
    const check = await openInvite(ctx.deps.db, manager, outcome.check, ctx.now);
    if (!check.ok) return { refuse: check.reason === "gone" ? t.gone : t.notAllowed };
    await ctx.answerCbQuery();
    const button = flow.buttons(await flow.save(ctx, manager.personId, { step: "confirm", inviteId: check.invite.id }));
    const target = check.invite.unitCode ? ctx.t.inviteCommand.unitTarget(check.invite.target, check.invite.unitCode) : check.invite.target;
    await ctx.reply(t.confirm(ctx.t.roles[check.invite.role] ?? check.invite.role, escapeHtml(target)), {
      parse_mode: "HTML",
      ...Markup.inlineKeyboard([[button(t.yes, "ok", check.invite.id), button(t.no, "x")]]),
    });
  },
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
  await show(ctx, "in-place", text, { parse_mode: "HTML" });
  await showOpenInvites(ctx);
}
