import { Composer, Markup } from "telegraf";
import { formatShortDate, localDate } from "../../domain/dates.js";
import type { Manager } from "../../services/authority.js";
import { endFlow, saveFlow } from "../../services/flows.js";
import { membersOf, removableSeat, removeMember, replaceMember, type SeatHolder } from "../../services/members.js";
import type { PantauContext } from "../context.js";
import { echo, escapeHtml, maxName, pageOf, shorten } from "../format.js";
import { claimButton, isAdmin, requireManager } from "../guards.js";
import { language } from "../language.js";
import { tellRemoved } from "../removal-notice.js";
import { inviteMessage } from "./invite.js";

/**
 * /anggota (/members) <unit>: a unit's focal points and head, each with a remove and a replace
 * button, then a confirmation; an admin's `/anggota koordinator` lists coordinators. Buttons carry
 * the flow's token and the service checks the unit again, so a stale or forged press changes
 * nothing. The person removed is told in their private chat.
 */
export const members = new Composer<PantauContext>();

type State = { step: "list"; query: string; page: number } | { step: "confirm"; membershipId: number; replace: boolean };
const kind = "members";
/** People on one page: ten lines and twenty-two buttons, well inside Telegram's limits. */
const perPage = 10;

/** Callback data: "mb:<token>:<action>[:<membership id or page>]". */
const button = (text: string, token: string, action: string, id?: number) =>
  Markup.button.callback(text, ["mb", token, action, ...(id === undefined ? [] : [String(id)])].join(":"));

members.command(["anggota", "members"], async (ctx) => {
  const manager = await requireManager(ctx);
  if (!manager) return;
  const t = ctx.t.members;
  const query = ctx.payload.trim();
  const usage = [t.usage, ...(isAdmin(ctx) ? [t.adminUsage] : [])].join("\n");
  if (!query) return void (await ctx.reply(usage));
  const view = await membersOf(ctx.deps.db, manager, query);
  switch (view.kind) {
    case "admin_only":
      return void (await ctx.reply(t.adminOnly));
    case "not_found":
    case "ambiguous": {
      const units = view.kind === "ambiguous" ? view.units : view.suggestions;
      const head = view.kind === "ambiguous" ? ctx.t.inviteCommand.ambiguous(echo(query)) : ctx.t.inviteCommand.notFound(echo(query));
      const lines = units.map((u) => ctx.t.inviteCommand.unitLine(escapeHtml(u.code), escapeHtml(shorten(u.name, maxName)), escapeHtml(u.region)));
      return void (await ctx.reply([head, ...lines, "", escapeHtml(usage)].join("\n"), { parse_mode: "HTML" }));
    }
  }
  if (view.members.length === 0) {
    await endFlow(ctx.deps.db, manager.personId);
    const header = view.kind === "unit" ? t.header(escapeHtml(shorten(view.unit.name, maxName)), escapeHtml(view.unit.code)) : t.coordinatorsHeader;
    return void (await ctx.reply([header, "", view.kind === "unit" ? t.none(escapeHtml(view.unit.code)) : t.noCoordinators].join("\n"), {
      parse_mode: "HTML",
    }));
  }
  const page = await membersPage(ctx, manager, query, view, 0);
  await ctx.reply(page.text, { parse_mode: "HTML", ...page.keyboard });
});

type ListView = Extract<Awaited<ReturnType<typeof membersOf>>, { kind: "unit" | "coordinators" }>;

/** One page of the people listed, with their buttons under a fresh flow token. */
async function membersPage(ctx: PantauContext, manager: Manager & { personId: number }, query: string, view: ListView, page: number) {
  const t = ctx.t.members;
  const shown = pageOf(view.members, page, perPage);
  const token = await saveFlow<State>(ctx.deps.db, manager.personId, kind, { step: "list", query, page: shown.page }, ctx.now);
  const header = view.kind === "unit" ? t.header(escapeHtml(shorten(view.unit.name, maxName)), escapeHtml(view.unit.code)) : t.coordinatorsHeader;
  const timezone = view.kind === "unit" ? view.unit.timezone : ctx.deps.defaultTimezone;
  const lines = shown.items.map((m, i) => describe(ctx, m, shown.start + i + 1, timezone, view.kind === "coordinators"));
  const paging = shown.pages > 1 ? [ctx.t.paging.page(shown.page + 1, shown.pages)] : [];
  const rows = shown.items.map((m, i) => [
    button(t.removeButton(shown.start + i + 1), token, "r", m.membershipId),
    button(t.replaceButton(shown.start + i + 1), token, "g", m.membershipId),
  ]);
  const nav = [
    ...(shown.page > 0 ? [button(ctx.t.paging.previous, token, "p", shown.page - 1)] : []),
    ...(shown.page < shown.pages - 1 ? [button(ctx.t.paging.next, token, "p", shown.page + 1)] : []),
  ];
  if (nav.length) rows.push(nav);
  return { text: [header, "", ...lines, "", ...paging, t.hint].join("\n"), keyboard: Markup.inlineKeyboard(rows) };
}

function describe(ctx: PantauContext, m: SeatHolder, n: number, timezone: string, withPlace: boolean): string {
  const since = formatShortDate(localDate(m.since, timezone), language(ctx));
  return ctx.t.members.line(
    n,
    escapeHtml(shorten(m.name, maxName)),
    ctx.t.roles[m.role] ?? m.role,
    withPlace ? escapeHtml(shorten(m.where, maxName)) : null,
    since,
  );
}

members.action(/^mb:([\w-]+):(r|g|p|ok|x)(?::(\d+))?$/, async (ctx) => {
  const manager = await requireManager(ctx);
  if (!manager) return;
  const [, token, action, arg] = ctx.match;
  const flow = await claimButton<State>(ctx, manager.personId, kind, token!);
  if (!flow) return;
  const t = ctx.t.members;
  const refuse = (reason: "gone" | "not_allowed") => ctx.answerCbQuery(reason === "gone" ? t.gone : t.notAllowed, { show_alert: true });

  if ((action === "r" || action === "g") && flow.state.step === "list") {
    const check = await removableSeat(ctx.deps.db, manager, Number(arg));
    if (!check.ok) return void (await refuse(check.reason));
    await ctx.answerCbQuery();
    const { seat } = check;
    const replace = action === "g";
    const next = await saveFlow<State>(ctx.deps.db, manager.personId, kind, { step: "confirm", membershipId: seat.membershipId, replace }, ctx.now);
    const args = [escapeHtml(seat.name), ctx.t.roles[seat.role] ?? seat.role, escapeHtml(seat.where)] as const;
    await ctx.reply(replace ? t.confirmReplace(...args) : t.confirmRemove(...args), {
      parse_mode: "HTML",
      ...Markup.inlineKeyboard([[button(replace ? t.yesReplace : t.yesRemove, next, "ok", seat.membershipId), button(t.no, next, "x")]]),
    });
    return;
  }
  if (action === "p" && flow.state.step === "list") {
    await ctx.answerCbQuery();
    // Read again: the list may have changed since it was shown.
    const view = await membersOf(ctx.deps.db, manager, flow.state.query);
    if (view.kind !== "unit" && view.kind !== "coordinators") return void (await ctx.editMessageText(t.gone).catch(() => ctx.reply(t.gone)));
    const page = await membersPage(ctx, manager, flow.state.query, view, Number(arg));
    await ctx.editMessageText(page.text, { parse_mode: "HTML", ...page.keyboard }).catch(() => ctx.reply(page.text, { parse_mode: "HTML", ...page.keyboard }));
    return;
  }
  if (action === "ok" && flow.state.step === "confirm" && Number(arg) === flow.state.membershipId) {
    return remove(ctx, manager, flow.state.membershipId, flow.state.replace);
  }
  if (action === "x") {
    await ctx.answerCbQuery();
    await endFlow(ctx.deps.db, manager.personId);
    await ctx.editMessageText(t.kept).catch(() => ctx.reply(t.kept));
    return;
  }
  await ctx.answerCbQuery(ctx.t.access.staleButton, { show_alert: true });
});

/** Removes (or replaces) the confirmed seat, tells the person, and gives a replacement's invite link. */
async function remove(ctx: PantauContext, manager: Manager & { personId: number }, membershipId: number, replace: boolean): Promise<void> {
  const t = ctx.t.members;
  const result = replace
    ? await replaceMember(ctx.deps.db, manager, membershipId, ctx.now)
    : { ...(await removeMember(ctx.deps.db, manager, membershipId, ctx.now)), invite: null };
  await endFlow(ctx.deps.db, manager.personId);
  if (!result.ok) return void (await ctx.answerCbQuery(result.reason === "gone" ? t.gone : t.notAllowed, { show_alert: true }));
  await ctx.answerCbQuery();
  const { removal } = result;
  ctx.log.info({ membership: membershipId, role: removal.role, replace }, "member removed in Telegram");
  const text = t.removed(escapeHtml(removal.person.name), ctx.t.roles[removal.role] ?? removal.role, escapeHtml(removal.where), removal.cancelled);
  await ctx.editMessageText(text, { parse_mode: "HTML" }).catch(() => ctx.reply(text, { parse_mode: "HTML" }));
  await tellRemoved(ctx.telegram, ctx.deps.db, removal, ctx.deps.adminIds, ctx.log);
  if (!result.invite) return;
  const who = removal.unitCode ? ctx.t.inviteCommand.unitTarget(removal.where, removal.unitCode) : removal.where;
  const message = await inviteMessage(ctx, result.invite, who, removal.timezone ?? ctx.deps.defaultTimezone);
  await ctx.reply(message.text, { parse_mode: "HTML" });
  await ctx.replyWithPhoto(message.qr, { caption: message.caption });
}
