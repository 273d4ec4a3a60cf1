import { Composer } from "telegraf";
import { message } from "telegraf/filters";
import { claimFlowStep, endFlow, getFlow, releaseFlowStep, type StoredFlow } from "../../services/flows.js";
import type { PantauContext } from "../context.js";
import { acknowledge, parsePress, show, type RegisteredFlow } from "./flow.js";

/**
 * Claims a press of `flow`'s button carrying `token`, once: the person's flow must be of that kind
 * with that token, and the conditional claim (`claimFlowStep`) lets one press of a double tap act.
 * A stale, forged or repeated press is answered as such and gets null; otherwise the stored flow
 * and the claim (to give the step back its token when the press is refused).
 */
export async function claimPress(
  ctx: PantauContext,
  flow: Pick<RegisteredFlow, "kind">,
  personId: number,
  token: string,
  stored: StoredFlow | null,
): Promise<{ stored: StoredFlow; claim: string } | null> {
  const claim = stored && stored.kind === flow.kind && stored.token === token ? await claimFlowStep(ctx.deps.db, personId, token, ctx.now) : null;
  if (stored && claim) return { stored, claim };
  ctx.log.info({ kind: flow.kind }, "stale or forged button");
  await ctx.answerCbQuery(ctx.t.access.staleButton, { show_alert: true });
  return null;
}

/**
 * The one middleware of multi-step flows (the registry: flows/registry.ts). It loads the person's
 * flow once per update, parses its state with the schema of its kind, and hands the update to the
 * flow that owns it: a button by its prefix, a typed text (never a command), photo or document in
 * the private chat by the kind of the open flow. /batal, Batal buttons, stale or forged presses and
 * a state that no longer parses are answered here, the same way for every flow.
 */
export function flowRouter(flows: readonly RegisteredFlow[]): Composer<PantauContext> {
  const byKind = new Map(flows.map((f) => [f.kind, f]));
  const byPrefix = new Map(flows.map((f) => [f.prefix, f]));
  if (byKind.size !== flows.length || byPrefix.size !== flows.length) throw new Error("two flows share a kind or a button prefix");
  const router = new Composer<PantauContext>();

  router.command(["batal", "cancel"], async (ctx) => {
    const ended = ctx.person ? await endFlow(ctx.deps.db, ctx.person.id) : false;
    await ctx.reply(ended ? ctx.t.cancel.done : ctx.t.cancel.nothing);
  });

  router.on("callback_query", async (ctx, next) => {
    const data = "data" in ctx.callbackQuery ? ctx.callbackQuery.data : "";
    const parsed = parsePress(data);
    const flow = parsed && byPrefix.get(parsed.prefix);
    if (!parsed || !flow) return next();
    const presser = await flow.presser(ctx);
    if (!presser) return;
    const claimed = await claimPress(ctx, flow, presser.personId, parsed.token, await getFlow(ctx.deps.db, presser.personId, ctx.now));
    if (!claimed) return;
    const handle = presser.handler(claimed.stored);
    if (!handle) {
      await endUnreadable(ctx, presser.personId, claimed.stored);
      return;
    }
    if (parsed.press.action === "x") {
      await acknowledge(ctx, flow.cancel.place);
      await endFlow(ctx.deps.db, presser.personId);
      await show(ctx, flow.cancel.place, flow.cancel.text(ctx.t), { parse_mode: "HTML" });
      return;
    }
    const result = await handle(parsed.press);
    if (!result) return;
    // Refused: nothing changed, so the step gets its token back and the buttons shown still work.
    await releaseFlowStep(ctx.deps.db, presser.personId, claimed.claim, parsed.token);
    if (result === "stale") ctx.log.info({ kind: flow.kind, action: parsed.press.action }, "button out of place");
    await ctx.answerCbQuery(result === "stale" ? ctx.t.access.staleButton : result.refuse, { show_alert: true });
  });

  router.on([message("text"), message("photo"), message("document")], async (ctx, next) => {
    const person = ctx.person;
    if (!person || ctx.chat.type !== "private" || ("text" in ctx.message && ctx.message.text.startsWith("/"))) return next();
    const stored = await getFlow(ctx.deps.db, person.id, ctx.now);
    if (!stored) return next();
    const handle = byKind.get(stored.kind)?.handler(ctx, person, stored);
    if (!handle) return endUnreadable(ctx, person.id, stored);
    if ((await handle(ctx.message)) === "pass") return next();
  });

  return router;
}

/**
 * A flow whose state does not parse (written by another version of Pantau, or damaged) or of a
 * kind no longer known: ended, and the person told to start again, rather than guessing.
 */
async function endUnreadable(ctx: PantauContext, personId: number, stored: StoredFlow): Promise<void> {
  ctx.log.warn({ kind: stored.kind }, "flow state unreadable: ended");
  await endFlow(ctx.deps.db, personId);
  if (ctx.callbackQuery) await ctx.answerCbQuery(ctx.t.flows.unreadable, { show_alert: true });
  else await ctx.reply(ctx.t.flows.unreadable);
}
