import { Composer } from "telegraf";
import { endFlow } from "../../services/flows.js";
import type { PantauContext } from "../context.js";

/** /batal (/cancel): leaves any multi-step flow. */
export const cancel = new Composer<PantauContext>();

cancel.command(["batal", "cancel"], async (ctx) => {
  const ended = ctx.person ? await endFlow(ctx.deps.db, ctx.person.id) : false;
  await ctx.reply(ended ? ctx.t.cancel.done : ctx.t.cancel.nothing);
});
