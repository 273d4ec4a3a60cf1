import { Composer } from "telegraf";
import { AppError } from "../../domain/errors.js";
import { languageFromTelegram } from "../../i18n/index.js";
import { acceptInvite } from "../../services/invites.js";
import type { PantauContext } from "../context.js";
import { escapeHtml } from "../format.js";
import { refreshMenu } from "./help.js";
import { privateOnly, startActions } from "./private-only.js";

/**
 * /start with an invite code joins; without one it says what the bot is; with the name of a
 * command (the "Buka chat pribadi" button of a group, `?start=lapor`) it runs that command.
 */
export const start = new Composer<PantauContext>();

// Rides with /start, the first feature mounted, so no later feature sees a personal command in a group.
start.use(privateOnly);

start.start(async (ctx, next) => {
  const code = ctx.payload.trim();
  const action = code.toLowerCase();
  // Invite codes are 22 random characters, never one of these words. The features after this one
  // then see the command itself, so each keeps a single entry point.
  if (ctx.chat.type === "private" && startActions.has(action)) {
    ctx.message.text = `/${action}`;
    ctx.message.entities = [{ type: "bot_command", offset: 0, length: action.length + 1 }];
    return next();
  }
  if (!code) {
    if (ctx.person?.memberships.length) await ctx.reply(ctx.t.start.welcomeBack(escapeHtml(ctx.person.firstName ?? "")), { parse_mode: "HTML" });
    else await ctx.reply(ctx.t.start.anonymous, { parse_mode: "HTML" });
    return;
  }
  // Invite links carry codes; they are for private chats only.
  if (ctx.chat.type !== "private") return;
  try {
    const accepted = await acceptInvite(
      ctx.deps.db,
      code,
      {
        id: ctx.from.id,
        firstName: ctx.from.first_name,
        lastName: ctx.from.last_name,
        username: ctx.from.username,
        language: ctx.person?.language ?? languageFromTelegram(ctx.from.language_code),
      },
      { id: ctx.chat.id, kind: "private" },
      ctx.now,
    );
    const role = ctx.t.roles[accepted.role] ?? accepted.role;
    const where = escapeHtml(accepted.target);
    // A first join carries the short privacy notice (UU PDP: told when the data is collected).
    const text = accepted.alreadyMember ? ctx.t.start.alreadyMember(role, where) : `${ctx.t.start.joined(role, where)}\n\n${ctx.t.privacy.atJoin}`;
    await ctx.reply(text, { parse_mode: "HTML" });
    ctx.log.info({ role: accepted.role, alreadyMember: accepted.alreadyMember }, "invite accepted");
    // Their menu now lists what their roles allow (never throws: the join stands either way).
    await refreshMenu(ctx);
  } catch (err) {
    if (err instanceof AppError && err.code === "invite.refused") {
      ctx.log.info("invite refused");
      await ctx.reply(ctx.t.start.inviteRefused);
      return;
    }
    throw err;
  }
});
