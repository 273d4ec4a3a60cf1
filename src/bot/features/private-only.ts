import { Composer, Markup } from "telegraf";
import type { PantauContext } from "../context.js";
import { menu } from "./help.js";

/**
 * Group chats. Commands that are personal flows (a report, one's own steps, one's language, a
 * plan import) would show one person's answers, and buttons anyone can press, to the whole
 * group: there they answer with a button that opens the private chat at that very command
 * (`https://t.me/<bot>?start=lapor`; /start hands it on). A command addressed to this bot by
 * name that it does not know gets the pointer to /bantuan; everything else in a group (other
 * bots' commands, chatter) is left alone. Mounted before the features so they never see these.
 */
export const privateOnly = new Composer<PantauContext>();

/**
 * Personal commands, Indonesian and English. /siaran refuses groups itself (broadcast.ts) and
 * /undang sends its link privately (invite.ts); /ingatkan only queues reminders, fine in a group.
 */
export const personalCommands: ReadonlySet<string> = new Set([
  "lapor",
  "report",
  "tugas",
  "tasks",
  "bahasa",
  "language",
  // One's own weekly digest switch, one's own leave.
  "ringkasan",
  "digest",
  "cuti",
  "away",
  "impor",
  "import",
  // Names of people who blocked the bot, and every step's notes: for the coordinator alone.
  "jangkauan",
  "reach",
  "ekspor",
  "export",
  // Who holds a seat, and buttons that remove them; leaving one's own seat.
  "anggota",
  "members",
  "keluar",
  "leave",
  // One's own data file and name; erasing someone's data.
  "dataku",
  "mydata",
  "nama",
  "name",
  "hapusdata",
  "erase",
  // How the system runs (version, queue, backup file names): for the admin alone.
  "sistem",
  "system",
  // Who did what, with people's names: the audit trail.
  "jejak",
  "audit",
]);

/** What `/start <action>` may open in the private chat: the personal commands and the help. */
export const startActions: ReadonlySet<string> = new Set([...personalCommands, "siaran", "broadcast", "bantuan", "help", "undang", "invite", "rekap"]);

/** Every command the bot answers (and /start), lower-case. */
const knownCommands = new Set(["start", ...menu.flatMap((entry) => [entry.command, ...(entry.alias ? [entry.alias] : [])])]);

/** The link that opens the private chat with the bot and runs `action` there. */
export function privateChatLink(botUsername: string, action: string): string {
  return `https://t.me/${botUsername}?start=${action}`;
}

privateOnly.on("text", async (ctx, next) => {
  if (ctx.chat.type === "private") return next();
  const entity = ctx.message.entities?.[0];
  if (entity?.type !== "bot_command" || entity.offset !== 0) return next();
  const [name = "", to] = ctx.message.text.slice(1, entity.length).split("@");
  // Another bot's command: not ours to answer.
  if (to && to.toLowerCase() !== ctx.me.toLowerCase()) return next();
  const command = name.toLowerCase();
  const replyTo = { reply_parameters: { message_id: ctx.message.message_id, allow_sending_without_reply: true } };

  if (personalCommands.has(command)) {
    ctx.log.info({ command }, "personal command in a group: pointed to the private chat");
    await ctx.reply(ctx.t.groupChat.privateOnly(command), {
      ...replyTo,
      ...Markup.inlineKeyboard([[Markup.button.url(ctx.t.groupChat.openPrivate, privateChatLink(ctx.me, command))]]),
    });
    return;
  }
  if (to && !knownCommands.has(command)) {
    await ctx.reply(ctx.t.groupChat.unknownCommand(ctx.me), replyTo);
    return;
  }
  return next();
});
