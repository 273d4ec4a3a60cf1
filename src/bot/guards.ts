import type { Role } from "../domain/statuses.js";
import { languageFromTelegram } from "../i18n/index.js";
import { personActor, type AuditActor } from "../services/audit.js";
import type { Manager } from "../services/authority.js";
import { ensurePerson, hasRole, type Person } from "../services/people.js";
import type { PantauContext } from "./context.js";

/** The registered person behind the update; tells a stranger how to join and returns null. */
export async function requirePerson(ctx: PantauContext): Promise<Person | null> {
  if (ctx.person && ctx.person.memberships.length > 0) return ctx.person;
  // Someone removed from (or who left) every seat is told so, not treated as a stranger; an
  // admin holding no seat is simply not in that role.
  const text = isAdmin(ctx) ? ctx.t.access.notAllowed : ctx.person ? ctx.t.access.noSeat : ctx.t.access.notRegistered;
  if (ctx.callbackQuery) await ctx.answerCbQuery(text, { show_alert: true });
  else await ctx.reply(text);
  return null;
}

/** The person, when they hold one of the roles; otherwise says so and returns null. */
export async function requireRole(ctx: PantauContext, ...roles: Role[]): Promise<Person | null> {
  const person = await requirePerson(ctx);
  if (!person) return null;
  if (hasRole(person, ...roles)) return person;
  if (ctx.callbackQuery) await ctx.answerCbQuery(ctx.t.access.notAllowed, { show_alert: true });
  else await ctx.reply(ctx.t.access.notAllowed);
  return null;
}

/** True when the user behind the update is an admin (ADMIN_TELEGRAM_IDS). */
export const isAdmin = (ctx: PantauContext) => ctx.from !== undefined && ctx.deps.adminIds.includes(ctx.from.id);

/**
 * True for an admin; anyone else gets the answer of any command not theirs (a stranger learns
 * only that they are not registered) and false.
 */
export async function requireAdmin(ctx: PantauContext): Promise<boolean> {
  if (isAdmin(ctx)) return true;
  await ctx.reply(ctx.person?.memberships.length ? ctx.t.access.notAllowed : ctx.t.access.notRegistered);
  return false;
}

/**
 * Someone who manages invites and people: an admin (every program), or a coordinator (their
 * own); otherwise says so and returns null.
 */
export async function requireManager(ctx: PantauContext): Promise<(Manager & { personId: number }) | null> {
  if (isAdmin(ctx)) {
    const from = ctx.from!;
    const personId =
      ctx.person?.id ??
      (await ensurePerson(
        ctx.deps.db,
        { id: from.id, firstName: from.first_name, username: from.username, language: languageFromTelegram(from.language_code) },
        ctx.now,
      ));
    const actor = ctx.person ? auditActor(ctx, ctx.person) : personActor({ id: personId, telegramId: from.id, memberships: [] }, chatOf(ctx));
    return { admin: true, actor, personId };
  }
  const person = await requireRole(ctx, "koordinator");
  return person && { admin: false, actor: auditActor(ctx, person), person, personId: person.id };
}

/** The chat of the update as the audit trail records it. */
function chatOf(ctx: PantauContext) {
  return ctx.chat ? { id: ctx.chat.id, kind: ctx.chat.type === "private" ? ("private" as const) : ("group" as const) } : null;
}

/** The person behind the update as the audit trail records them: name, seats, and the chat they wrote in. */
export function auditActor(ctx: PantauContext, person: Person): AuditActor {
  return personActor(person, chatOf(ctx));
}
