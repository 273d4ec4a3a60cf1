import { Composer, Markup } from "telegraf";
import { z } from "zod";
import { formatShortDate, localDate } from "../../domain/dates.js";
import type { Manager } from "../../services/authority.js";
import { endFlow } from "../../services/flows.js";
import { membersOf, removableSeat, removeMember, replaceMember, type SeatHolder } from "../../services/members.js";
import type { PantauContext } from "../context.js";
import { defineFlow, FlowKind, idOf, show, type Press } from "../flows/flow.js";
import { echo, escapeHtml, maxName, pageOf, shorten } from "../format.js";
import { isAdmin, requireManager } from "../guards.js";
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

const membersState = z.discriminatedUnion("step", [
  z.object({ step: z.literal("list"), query: z.string(), page: z.number().int() }),
  z.object({ step: z.literal("confirm"), membershipId: z.number().int(), replace: z.boolean() }),
]);
type State = z.infer<typeof membersState>;

/** Callback data: "mb:<token>:<action>[:<membership id or page>]". */
const flow = new FlowKind("members", "mb", membersState);
/** People on one page: ten lines and twenty-two buttons, well inside Telegram's limits. */
const perPage = 10;

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
  const button = flow.buttons(await flow.save(ctx, manager.personId, { step: "list", query, page: shown.page }));
  const header = view.kind === "unit" ? t.header(escapeHtml(shorten(view.unit.name, maxName)), escapeHtml(view.unit.code)) : t.coordinatorsHeader;
  const timezone = view.kind === "unit" ? view.unit.timezone : ctx.deps.defaultTimezone;
  const lines = shown.items.map((m, i) => describe(ctx, m, shown.start + i + 1, timezone, view.kind === "coordinators"));
  const paging = shown.pages > 1 ? [ctx.t.paging.page(shown.page + 1, shown.pages)] : [];
  const rows = shown.items.map((m, i) => [
    button(t.removeButton(shown.start + i + 1), "r", m.membershipId),
    button(t.replaceButton(shown.start + i + 1), "g", m.membershipId),
  ]);
  const nav = [
    ...(shown.page > 0 ? [button(ctx.t.paging.previous, "p", shown.page - 1)] : []),
    ...(shown.page < shown.pages - 1 ? [button(ctx.t.paging.next, "p", shown.page + 1)] : []),
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

/** What a press asks for: the confirmation of a removal or replacement (after its check), another page, the removal itself. */
export type MembersPress = { check: number; replace: boolean } | { page: number } | { remove: number; replace: boolean } | "stale";

export function membersPress(state: State, press: Press): MembersPress {
  const id = idOf(press.arg);
  if (state.step === "list" && id !== null && (press.action === "r" || press.action === "g")) return { check: id, replace: press.action === "g" };
  if (state.step === "list" && id !== null && press.action === "p") return { page: id };
  if (state.step === "confirm" && press.action === "ok" && id === state.membershipId) return { remove: id, replace: state.replace };
  return "stale";
}

export const membersFlow = defineFlow(flow, {
  actor: requireManager,
  cancel: { place: "in-place", text: (t) => t.members.kept },
  press: async (ctx, manager, state, press) => {
    const t = ctx.t.members;
    const outcome = membersPress(state, press);
    if (outcome === "stale") return "stale";
    if ("remove" in outcome) return remove(ctx, manager, outcome.remove, outcome.replace);
    if ("page" in outcome && state.step === "list") {
      await ctx.answerCbQuery();
      // Read again: the list may have changed since it was shown.
      const view = await membersOf(ctx.deps.db, manager, state.query);
      if (view.kind !== "unit" && view.kind !== "coordinators") return show(ctx, "in-place", t.gone);
      const page = await membersPage(ctx, manager, state.query, view, outcome.page);
      return show(ctx, "in-place", page.text, { parse_mode: "HTML", ...page.keyboard });
    }
    if (!("check" in outcome)) return "stale";
    const check = await removableSeat(ctx.deps.db, manager, outcome.check);
    if (!check.ok) return { refuse: check.reason === "gone" ? t.gone : t.notAllowed };
    await ctx.answerCbQuery();
    const { seat } = check;
    const { replace } = outcome;
    const button = flow.buttons(await flow.save(ctx, manager.personId, { step: "confirm", membershipId: seat.membershipId, replace }));
    const args = [escapeHtml(seat.name), ctx.t.roles[seat.role] ?? seat.role, escapeHtml(seat.where)] as const;
    await ctx.reply(replace ? t.confirmReplace(...args) : t.confirmRemove(...args), {
      parse_mode: "HTML",
      ...Markup.inlineKeyboard([[button(replace ? t.yesReplace : t.yesRemove, "ok", seat.membershipId), button(t.no, "x")]]),
    });
  },
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
  await show(ctx, "in-place", text, { parse_mode: "HTML" });
  await tellRemoved(ctx.telegram, ctx.deps.db, removal, ctx.deps.adminIds, ctx.log);
  if (!result.invite) return;
  const who = removal.unitCode ? ctx.t.inviteCommand.unitTarget(removal.where, removal.unitCode) : removal.where;
  const message = await inviteMessage(ctx, result.invite, who, removal.timezone ?? ctx.deps.defaultTimezone);
  await ctx.reply(message.text, { parse_mode: "HTML" });
  await ctx.replyWithPhoto(message.qr, { caption: message.caption });
}
