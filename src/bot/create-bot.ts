import { Telegraf } from "telegraf";
import { message } from "telegraf/filters";
import { catalogue, languageFromTelegram } from "../i18n/index.js";
import { moveChat } from "../outbox/index.js";
import { findPerson, recordBlocked } from "../services/people.js";
import { recordPrivateChatStatus } from "../services/reach.js";
import { answerError } from "./answer-error.js";
import type { BotDeps, PantauContext } from "./context.js";
import { away } from "./features/away.js";
import { broadcast } from "./features/broadcast.js";
import { digest } from "./features/digest.js";
import { exportRecap } from "./features/export.js";
import { botCommands, groupMenu, help, strangerMenu } from "./features/help.js";
import { invite } from "./features/invite.js";
import { inviteList } from "./features/invite-list.js";
import { leave } from "./features/leave.js";
import { members } from "./features/members.js";
import { nudge } from "./features/nudge.js";
import { languageChoice } from "./features/language.js";
import { history } from "./features/history.js";
import { holidays } from "./features/holidays.js";
import { auditTrail } from "./features/audit-trail.js";
import { planUpload } from "./features/plan-upload.js";
import { privacy } from "./features/privacy.js";
import { progressViews } from "./features/progress-views.js";
import { reach } from "./features/reach.js";
import { reminderButtons } from "./features/reminder-buttons.js";
import { reminderReply } from "./features/reminder-reply.js";
import { report } from "./features/report.js";
import { rules } from "./features/rules.js";
import { start } from "./features/start.js";
import { system } from "./features/system.js";
import { tasks } from "./features/tasks.js";
import { floodLimit, type FloodGuard } from "./flood-limit.js";
import { flows } from "./flows/registry.js";
import { flowRouter } from "./flows/router.js";
import { dashboardMenu } from "./mini-app.js";
import { applyApiPolicy, type ApiObserver } from "./telegram-api.js";

export interface BotOptions {
  token: string;
  /** Bot API server root (an emulator in tests, a self-hosted server in some deployments). */
  apiRoot: string;
  /** Messages per second to all chats together (TELEGRAM_RATE_LIMIT). */
  messagesPerSecond: number;
  /** The flood verdicts (FLOOD_LIMIT_PER_MINUTE), taken as updates arrive (see `UpdateQueue`). */
  flood: FloodGuard;
  /** Told of failed Bot API calls and of Telegram's waits (the metrics). */
  observer?: ApiObserver;
}

/**
 * Builds the Pantau bot: loads the person behind every update, mounts the features, and turns
 * anything thrown into a polite answer in the user's language (never crashing the poller).
 */
export function createBot(options: BotOptions, deps: BotDeps): Telegraf<PantauContext> {
  const bot = new Telegraf<PantauContext>(options.token, {
    telegram: { apiRoot: options.apiRoot, webhookReply: false },
  });
  applyApiPolicy(bot.telegram, {
    messagesPerSecond: options.messagesPerSecond,
    logger: deps.logger,
    onChatMigrated: (from, to) => moveChat(deps.db, from, to),
    observer: options.observer,
  });

  // Before the person is loaded: a flood is dropped without touching the database.
  bot.use(floodLimit(options.flood, deps));

  bot.use(async (ctx, next) => {
    ctx.deps = deps;
    ctx.now = deps.clock();
    ctx.log = deps.logger.child({ update: ctx.update.update_id, chat: ctx.chat?.id });
    ctx.person = ctx.from ? await findPerson(deps.db, ctx.from.id) : null;
    // Someone who blocked the bot and now writes to it has unblocked it: remind them again
    // (Telegram's own notice of the block is not writing).
    if (ctx.person?.blocked && ctx.chat?.type === "private" && !ctx.myChatMember) {
      const { person, chat, now } = ctx;
      await deps.db.$transaction((tx) => recordBlocked(tx, person.id, false, now, { by: "message", chat: { id: chat.id, kind: "private" } }));
      ctx.person.blocked = false;
    }
    ctx.t = catalogue(ctx.person?.language ?? languageFromTelegram(ctx.from?.language_code));
    return next();
  });

  // A group upgraded to a supergroup says so in the old chat once.
  bot.on(message("migrate_to_chat_id"), async (ctx) => {
    await moveChat(deps.db, ctx.chat.id, ctx.message.migrate_to_chat_id);
  });

  // A person blocking ("kicked") or unblocking ("member") the bot in their private chat.
  bot.on("my_chat_member", async (ctx) => {
    const update = ctx.myChatMember;
    if (update.chat.type !== "private") return;
    await recordPrivateChatStatus(deps.db, update.from.id, update.new_chat_member.status, ctx.now);
  });

  // A reply to a reminder is a report whatever flow is open, so it goes before the flows' router;
  // the router takes every other private message, /batal and the flows' buttons.
  bot.use(
    dashboardMenu,
    start,
    help,
    languageChoice,
    privacy,
    tasks,
    reminderReply,
    reminderButtons,
    flowRouter(flows),
    away,
    report,
    progressViews,
    broadcast,
    nudge,
    rules,
    holidays,
    digest,
    system,
    invite,
    inviteList,
    members,
    leave,
    reach,
    exportRecap,
    history,
    auditTrail,
    planUpload,
  );

  // Anything else: a short pointer to /bantuan (in private chats; groups are left in peace).
  bot.on("message", async (ctx) => {
    if (ctx.chat.type === "private") await ctx.reply(ctx.person ? ctx.t.fallback : ctx.t.access.notRegistered);
  });

  // A button no feature knows (forged, or of a version since replaced): answered, or the user's
  // app shows its spinner until Telegram gives up.
  bot.on("callback_query", async (ctx) => {
    await ctx.answerCbQuery(ctx.t.access.staleButton);
  });

  bot.catch((err, ctx) => answerError(ctx, err, deps.logger));

  return bot;
}

/**
 * Registers the command menus everyone starts with: in private chats (Telegram's default scope)
 * what a stranger may use, in group chats what makes sense in front of a group; Indonesian
 * commands by default, the English aliases for English Telegram apps. A person's own menu (their
 * roles, their language) is set in their private chat when they join or change language.
 */
export async function registerCommands(bot: Telegraf<PantauContext>): Promise<void> {
  for (const lang of ["id", "en"] as const) {
    const language = lang === "en" ? { language_code: "en" } : {};
    await bot.telegram.setMyCommands(botCommands(strangerMenu(), lang), { scope: { type: "default" }, ...language });
    await bot.telegram.setMyCommands(botCommands(groupMenu(), lang), { scope: { type: "all_group_chats" }, ...language });
  }
}
