import { Composer, Markup } from "telegraf";
import { endFlow, saveFlow } from "../../services/flows.js";
import { leaveSeat, ownSeats, type SeatHolder } from "../../services/members.js";
import type { PantauContext } from "../context.js";
import { escapeHtml } from "../format.js";
import { claimButton, requirePerson } from "../guards.js";
import { refreshMenu } from "./help.js";

/**
 * /keluar (/leave): a person leaves one of their own seats, after a confirmation (with several
 * seats, they pick which first). Buttons carry the flow's token (flows.ts).
 */
export const leave = new Composer<PantauContext>();

type State = { step: "choose" } | { step: "confirm"; membershipId: number };
const kind = "leave";

/** Callback data: "kl:<token>:<action>[:<membership id>]". */
const button = (text: string, token: string, action: string, id?: number) =>
  Markup.button.callback(text, ["kl", token, action, ...(id === undefined ? [] : [String(id)])].join(":"));

leave.command(["keluar", "leave"], async (ctx) => {
  const person = await requirePerson(ctx);
  if (!person) return;
  const seats = await ownSeats(ctx.deps.db, person);
  if (seats.length === 1) return confirm(ctx, person.id, seats[0]!);
  const token = await saveFlow<State>(ctx.deps.db, person.id, kind, { step: "choose" }, ctx.now);
  const rows = seats.map((s) => [button(ctx.t.leave.option(ctx.t.roles[s.role] ?? s.role, s.where), token, "m", s.membershipId)]);
  await ctx.reply(ctx.t.leave.choose, Markup.inlineKeyboard([...rows, [button(ctx.t.leave.no, token, "x")]]));
});

async function confirm(ctx: PantauContext, personId: number, seat: SeatHolder): Promise<void> {
  const token = await saveFlow<State>(ctx.deps.db, personId, kind, { step: "confirm", membershipId: seat.membershipId }, ctx.now);
  await ctx.reply(ctx.t.leave.confirm(ctx.t.roles[seat.role] ?? seat.role, escapeHtml(seat.where)), {
    parse_mode: "HTML",
    ...Markup.inlineKeyboard([[button(ctx.t.leave.yes, token, "ok", seat.membershipId), button(ctx.t.leave.no, token, "x")]]),
  });
}

leave.action(/^kl:([\w-]+):(m|ok|x)(?::(\d+))?$/, async (ctx) => {
  const person = await requirePerson(ctx);
  if (!person) return;
  const [, token, action, arg] = ctx.match;
  const flow = await claimButton<State>(ctx, person.id, kind, token!);
  if (!flow) return;
  const t = ctx.t.leave;
  const seat = (await ownSeats(ctx.deps.db, person)).find((s) => s.membershipId === Number(arg));

  if (action === "m" && flow.state.step === "choose" && seat) {
    await ctx.answerCbQuery();
    return confirm(ctx, person.id, seat);
  }
  if (action === "ok" && flow.state.step === "confirm" && seat && seat.membershipId === flow.state.membershipId) {
    const result = await leaveSeat(ctx.deps.db, person, seat.membershipId, ctx.now);
    if (!result.ok) return void (await ctx.answerCbQuery(ctx.t.access.staleButton, { show_alert: true }));
    await ctx.answerCbQuery();
    ctx.log.info({ membership: seat.membershipId, role: seat.role }, "person left a seat");
    const text = t.done(ctx.t.roles[seat.role] ?? seat.role, escapeHtml(seat.where));
    await ctx.editMessageText(text, { parse_mode: "HTML" }).catch(() => ctx.reply(text, { parse_mode: "HTML" }));
    await refreshMenu(ctx);
    return;
  }
  if (action === "x") {
    await ctx.answerCbQuery();
    await endFlow(ctx.deps.db, person.id);
    await ctx.editMessageText(t.kept).catch(() => ctx.reply(t.kept));
    return;
  }
  await ctx.answerCbQuery(ctx.t.access.staleButton, { show_alert: true });
});
