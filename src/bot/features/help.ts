import path from "node:path";
import { Composer, type Telegram } from "telegraf";
import { lastBackup } from "../../backup/backup.js";
import type { BotCommand } from "telegraf/types";
import { formatLongDate, localDate, localHour, localMinute, type Language } from "../../domain/dates.js";
import type { Role } from "../../domain/statuses.js";
import { catalogue, languageOf, type Catalogue } from "../../i18n/index.js";
import { findPerson, hasRole, type Person } from "../../services/people.js";
import type { PantauContext } from "../context.js";
import { isAdmin } from "../guards.js";
import { language } from "../language.js";

export interface MenuEntry {
  command: keyof Catalogue["commands"];
  alias?: string;
  /** Who may use it: everyone, anyone holding a seat, or holders of these roles (admin: ADMIN_TELEGRAM_IDS). */
  for: "everyone" | "registered" | (Role | "admin")[];
}

/** Every command, Indonesian name first with its English alias, in menu order. */
export const menu: MenuEntry[] = [
  { command: "bantuan", alias: "help", for: "everyone" },
  { command: "tugas", alias: "tasks", for: ["pic"] },
  { command: "lapor", alias: "report", for: ["pic"] },
  { command: "status", for: "registered" },
  { command: "rekap", alias: "summary", for: ["koordinator"] },
  { command: "terlambat", alias: "overdue", for: ["koordinator"] },
  { command: "siaran", alias: "broadcast", for: ["koordinator"] },
  { command: "ingatkan", alias: "nudge", for: ["koordinator"] },
  { command: "aturan", alias: "rules", for: ["koordinator"] },
  { command: "libur", alias: "holidays", for: ["koordinator"] },
  { command: "ringkasan", alias: "digest", for: ["kepala", "koordinator"] },
  { command: "cuti", alias: "away", for: ["pic", "kepala"] },
  { command: "undang", alias: "invite", for: ["koordinator", "admin"] },
  { command: "anggota", alias: "members", for: ["koordinator", "admin"] },
  { command: "jangkauan", alias: "reach", for: ["koordinator"] },
  { command: "riwayat", alias: "history", for: ["koordinator", "kepala"] },
  { command: "ekspor", alias: "export", for: ["koordinator"] },
  { command: "impor", alias: "import", for: ["koordinator"] },
  { command: "bahasa", alias: "language", for: "registered" },
  { command: "keluar", alias: "leave", for: "registered" },
  { command: "privasi", alias: "privacy", for: "everyone" },
  { command: "dataku", alias: "mydata", for: "everyone" },
  { command: "nama", alias: "name", for: "registered" },
  { command: "jejak", alias: "audit", for: ["koordinator", "admin"] },
  { command: "hapusdata", alias: "erase", for: ["admin"] },
  { command: "sistem", alias: "system", for: ["admin"] },
  { command: "batal", alias: "cancel", for: "everyone" },
];

/** The commands a person (or a stranger, null) may use; a person without a seat is a stranger. */
export function commandsFor(person: Person | null, admin = false): MenuEntry[] {
  const seated = person !== null && person.memberships.length > 0;
  const allowed = (roles: (Role | "admin")[]) =>
    (admin && roles.includes("admin")) || (seated && hasRole(person, ...(roles.filter((r) => r !== "admin") as Role[])));
  return menu.filter((e) => e.for === "everyone" || (e.for === "registered" ? seated : allowed(e.for)));
}

/** /bantuan (/help): the commands this user may use. */
export const help = new Composer<PantauContext>();

help.command(["bantuan", "help"], async (ctx) => {
  const lang = language(ctx);
  const lines = commandsFor(ctx.person, isAdmin(ctx)).map((entry) => ctx.t.help.line(commandName(entry, lang), ctx.t.commands[entry.command]));
  const hint = ctx.person?.memberships.length || isAdmin(ctx) ? [] : ["", ctx.t.help.strangerHint];
  const backup = isAdmin(ctx) ? ["", ...(await backupLines(ctx))] : [];
  await ctx.reply([ctx.t.help.header, ...lines, ...hint, ...backup].join("\n"));
  // The menu is set at join and language change; asking for help also brings it up to date
  // (after an upgrade added commands, or when setting it failed then).
  if (ctx.person && ctx.chat?.type === "private") await refreshMenu(ctx, ctx.person);
});

/** An instant as admins read it, in DEFAULT_TIMEZONE: the long date, the hour and the minute. */
export function adminMoment(ctx: PantauContext, at: Date): [date: string, hour: number, minute: number] {
  const tz = ctx.deps.defaultTimezone;
  return [formatLongDate(localDate(at, tz), language(ctx)), localHour(at, tz), localMinute(at, tz)];
}

/** For admins: when the last backup was made and its file, and whether daily backups are off. */
export async function backupLines(ctx: PantauContext): Promise<string[]> {
  const last = await lastBackup(ctx.deps.db);
  return [
    last ? ctx.t.help.lastBackup(...adminMoment(ctx, last.at), path.basename(last.file)) : ctx.t.help.noBackup,
    ...(ctx.deps.dailyBackups ? [] : [ctx.t.help.dailyBackupsOff]),
  ];
}

/** The name of a command in a language: its English alias for English users, when it has one. */
export function commandName(entry: Pick<MenuEntry, "command" | "alias">, lang: Language): string {
  return lang === "en" && entry.alias ? entry.alias : entry.command;
}

/** A menu as setMyCommands takes it: named and described in one language. */
export function botCommands(entries: MenuEntry[], lang: Language): BotCommand[] {
  const t = catalogue(lang);
  return entries.map((entry) => ({ command: commandName(entry, lang), description: t.commands[entry.command] }));
}

/** Telegram's default menu: what a stranger may use, and /start to join with an invite code. */
export function strangerMenu(): MenuEntry[] {
  return [{ command: "start", for: "everyone" }, ...commandsFor(null)];
}

/**
 * The menu in group chats: what reads well in front of a group (help, progress, recap, overdue).
 * Flows that ask questions (/lapor, /siaran, /impor…) and invites belong in a private chat.
 */
export const groupCommands: ReadonlyArray<MenuEntry["command"]> = ["bantuan", "status", "rekap", "terlambat"];

export function groupMenu(): MenuEntry[] {
  return menu.filter((entry) => groupCommands.includes(entry.command));
}

/**
 * Sets a person's own menu in their private chat: exactly the commands of their roles, in their
 * language. Without a person, the one behind the update is loaded again (after a join). A menu
 * is a convenience: a failure is logged and never breaks what the person did.
 */
export async function refreshMenu(ctx: PantauContext, person?: Person): Promise<boolean> {
  try {
    const who = person ?? (ctx.from ? await findPerson(ctx.deps.db, ctx.from.id) : null);
    if (!who) return false;
    await setPersonMenu(ctx.telegram, who, ctx.deps.adminIds.includes(who.telegramId));
    return true;
  } catch (err) {
    ctx.log.warn({ err }, "could not set the person's command menu");
    return false;
  }
}

/** Sets a person's own menu in their private chat (also after they lost a seat, from the CLI). */
export async function setPersonMenu(telegram: Telegram, person: Person, admin: boolean): Promise<void> {
  const lang = languageOf(person.language);
  await telegram.setMyCommands(botCommands(commandsFor(person, admin), lang), { scope: { type: "chat", chat_id: person.telegramId } });
}
