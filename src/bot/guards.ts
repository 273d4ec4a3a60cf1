import type { Role } from "../domain/statuses.js";
import { hasRole, type Person } from "../services/people.js";
import type { PantauContext } from "./context.js";

/** The registered person behind the update; tells a stranger how to join and returns null. */
export async function requirePerson(ctx: PantauContext): Promise<Person | null> {
  if (ctx.person) return ctx.person;
  if (ctx.callbackQuery) await ctx.answerCbQuery(ctx.t.access.notRegistered, { show_alert: true });
  else await ctx.reply(ctx.t.access.notRegistered);
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
