import { Composer, Markup } from "telegraf";
import { z } from "zod";
import { localDate } from "../../domain/dates.js";
import { personName } from "../../domain/text.js";
import { endFlow } from "../../services/flows.js";
import { erasePerson, erasureTarget, personalDataOf, setOwnName, type ErasureResult } from "../../services/personal-data.js";
import type { Catalogue } from "../../i18n/index.js";
import type { PantauContext } from "../context.js";
import { escapeHtml } from "../format.js";
import { defineFlow, FlowKind, show } from "../flows/flow.js";
import { auditActor, isAdmin, requireAdmin, requireManager } from "../guards.js";

/**
 * Personal data (UU PDP 27/2022): the privacy notice for everyone, a person's own data as a file,
 * correcting one's name, and an admin erasing someone who left. The rules are in
 * services/personal-data.ts; /dataku, /nama and /hapusdata answer in private chats only
 * (private-only.ts).
 */
export const privacy = new Composer<PantauContext>();

/** The privacy notice, with the controller's contact from PRIVACY_CONTACT. */
export function privacyNotice(ctx: PantauContext): string {
  const contact = ctx.deps.privacyContact;
  return ctx.t.privacy.notice(contact ? escapeHtml(contact) : null);
}

privacy.command(["privasi", "privacy"], async (ctx) => {
  await ctx.reply(privacyNotice(ctx), { parse_mode: "HTML", link_preview_options: { is_disabled: true } });
});

privacy.command(["dataku", "mydata"], async (ctx) => {
  const data = await personalDataOf(ctx.deps.db, ctx.from.id, { id: ctx.chat.id, kind: ctx.chat.type === "private" ? "private" : "group" }, ctx.now);
  if (!data) {
    await ctx.reply(ctx.t.privacy.nothingStored);
    return;
  }
  ctx.log.info("personal data file sent");
  const file = Buffer.from(
    `${JSON.stringify({ generatedAt: ctx.now.toISOString(), controller: ctx.deps.privacyContact ?? null, ...data }, null, 2)}\n`,
    "utf8",
  );
  await ctx.replyWithDocument(
    { source: file, filename: `pantau-data-${ctx.from.id}-${localDate(ctx.now, ctx.deps.defaultTimezone)}.json` },
    { caption: ctx.t.privacy.dataCaption },
  );
});

privacy.command(["nama", "name"], async (ctx) => {
  const person = ctx.person;
  if (!person) {
    await ctx.reply(ctx.t.access.notRegistered);
    return;
  }
  const text = ctx.payload;
  if (!text.trim()) {
    const row = await ctx.deps.db.person.findUniqueOrThrow({ where: { id: person.id } });
    await ctx.reply(ctx.t.privacy.nameUsage(escapeHtml(personName(row) ?? "—")), { parse_mode: "HTML" });
    return;
  }
  const result = await setOwnName(ctx.deps.db, person.id, text, ctx.now, auditActor(ctx, person));
  if (!result.ok) {
    await ctx.reply(ctx.t.privacy.nameErrors[result.reason]);
    return;
  }
  await ctx.reply(ctx.t.privacy.nameSet(escapeHtml(result.after)), { parse_mode: "HTML" });
});

const eraseState = z.object({ step: z.literal("confirm"), personId: z.number().int() });

/** Callback data: "pd:<token>:<action>"; the confirmation names no one, its state does. */
const flow = new FlowKind("erase", "pd", eraseState);

privacy.command(["hapusdata", "erase"], async (ctx) => {
  if (!(await requireAdmin(ctx))) return;
  const who = ctx.payload.trim();
  const t = ctx.t.privacy;
  if (!who) return void (await ctx.reply(t.eraseUsage));
  const target = await erasureTarget(ctx.deps.db, who);
  if (target.kind === "none") return void (await ctx.reply(t.eraseNone(who)));
  if (target.kind === "several") return void (await ctx.reply(t.eraseSeveral(who, target.count)));
  if (target.seats > 0) return void (await ctx.reply(t.eraseHasSeats(target.name, target.seats)));
  if (target.erased) return void (await ctx.reply(t.eraseAlready(target.name)));
  const admin = await requireManager(ctx);
  if (!admin) return;
  const button = flow.buttons(await flow.save(ctx, admin.personId, { step: "confirm", personId: target.personId }));
  await ctx.reply(t.eraseConfirm(target.name, target.reports), Markup.inlineKeyboard([[button(t.eraseButton, "ok"), button(t.keepButton, "x")]]));
});

// The press is authorised again (an admin), the token makes an older or ended confirmation stale,
// and the service re-checks that the person holds no seat and was not erased already.
export const eraseFlow = defineFlow(flow, {
  actor: async (ctx) => {
    if (isAdmin(ctx)) return requireManager(ctx);
    await ctx.answerCbQuery(ctx.t.access.notAllowed, { show_alert: true });
    return null;
  },
  cancel: { place: "in-place", text: (t) => t.privacy.eraseKept },
  press: async (ctx, admin, state, press) => {
    if (press.action !== "ok") return "stale";
    await ctx.answerCbQuery();
    await endFlow(ctx.deps.db, admin.personId);
    const result = await erasePerson(ctx.deps.db, state.personId, admin.actor, ctx.now);
    ctx.log.info({ erased: result.ok }, "erasure asked");
    await show(ctx, "in-place", erasureText(ctx.t.privacy, result));
  },
});

/** The answer to an erasure, for the bot and the CLI alike (plain text). */
export function erasureText(t: Catalogue["privacy"], result: ErasureResult): string {
  if (result.ok) return t.erased(result.telegramId, result.reports, result.deliveries);
  return result.reason === "has_seats" ? t.eraseHasSeats(result.name, result.seats) : t.eraseAlready(result.name);
}
