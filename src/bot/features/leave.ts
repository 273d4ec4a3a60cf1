import { Composer, Markup } from "telegraf";
import { z } from "zod";
import { leaveSeat, ownSeats, type SeatHolder } from "../../services/members.js";
import type { PantauContext } from "../context.js";
import { defineFlow, FlowKind, idOf, personActor, show, type Press } from "../flows/flow.js";
import { escapeHtml } from "../format.js";
import { auditActor, requirePerson } from "../guards.js";
import { refreshMenu } from "./help.js";

/**
 * /keluar (/leave): a person leaves one of their own seats, after a confirmation (with several
 * seats, they pick which first). Buttons carry the flow's token (flows.ts).
 */
export const leave = new Composer<PantauContext>();

const leaveState = z.discriminatedUnion("step", [
  z.object({ step: z.literal("choose") }),
  z.object({ step: z.literal("confirm"), membershipId: z.number().int() }),
]);
type State = z.infer<typeof leaveState>;

/** Callback data: "kl:<token>:<action>[:<membership id>]". */
const flow = new FlowKind("leave", "kl", leaveState);

leave.command(["keluar", "leave"], async (ctx) => {
  const person = await requirePerson(ctx);
  if (!person) return;
  const seats = await ownSeats(ctx.deps.db, person);
  if (seats.length === 1) return confirm(ctx, person.id, seats[0]!);
  const button = flow.buttons(await flow.save(ctx, person.id, { step: "choose" }));
  const rows = seats.map((s) => [button(ctx.t.leave.option(ctx.t.roles[s.role] ?? s.role, s.where), "m", s.membershipId)]);
  await ctx.reply(ctx.t.leave.choose, Markup.inlineKeyboard([...rows, [button(ctx.t.leave.no, "x")]]));
});

async function confirm(ctx: PantauContext, personId: number, seat: SeatHolder): Promise<void> {
  const button = flow.buttons(await flow.save(ctx, personId, { step: "confirm", membershipId: seat.membershipId }));
  await ctx.reply(ctx.t.leave.confirm(ctx.t.roles[seat.role] ?? seat.role, escapeHtml(seat.where)), {
    parse_mode: "HTML",
    ...Markup.inlineKeyboard([[button(ctx.t.leave.yes, "ok", seat.membershipId), button(ctx.t.leave.no, "x")]]),
  });
}

/** What a press asks for: the confirmation of a seat chosen, or leaving the seat confirmed. */
export type LeavePress = { confirm: number } | { leave: number } | "stale";

/** `seatId`: the seat the press names, when it is still one of the person's own. */
export function leavePress(state: State, press: Press, seatId: number | null): LeavePress {
  if (seatId === null) return "stale";
  if (press.action === "m" && state.step === "choose") return { confirm: seatId };
  if (press.action === "ok" && state.step === "confirm" && seatId === state.membershipId) return { leave: seatId };
  return "stale";
}

export const leaveFlow = defineFlow(flow, {
  actor: personActor(requirePerson),
  cancel: { place: "in-place", text: (t) => t.leave.kept },
  press: async (ctx, { person }, state, press) => {
    const id = idOf(press.arg);
    const seat = (await ownSeats(ctx.deps.db, person)).find((s) => s.membershipId === id);
    const outcome = leavePress(state, press, seat?.membershipId ?? null);
    if (outcome === "stale" || !seat) return "stale";
    if ("confirm" in outcome) {
      await ctx.answerCbQuery();
      return confirm(ctx, person.id, seat);
    }
    const result = await leaveSeat(ctx.deps.db, person, seat.membershipId, ctx.now, auditActor(ctx, person));
    if (!result.ok) return "stale";
    await ctx.answerCbQuery();
    ctx.log.info({ membership: seat.membershipId, role: seat.role }, "person left a seat");
    await show(ctx, "in-place", ctx.t.leave.done(ctx.t.roles[seat.role] ?? seat.role, escapeHtml(seat.where)), { parse_mode: "HTML" });
    await refreshMenu(ctx);
  },
});
