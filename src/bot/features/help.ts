import { Composer } from "telegraf";
import type { Role } from "../../domain/statuses.js";
import type { Catalogue } from "../../i18n/index.js";
import { hasRole, type Person } from "../../services/people.js";
import type { PantauContext } from "../context.js";
import { language } from "../language.js";

export interface MenuEntry {
  command: keyof Catalogue["commands"];
  alias?: string;
  /** Who may use it: everyone, any registered person, or holders of these roles. */
  for: "everyone" | "registered" | Role[];
}

/** Every command, Indonesian name first with its English alias, in menu order. */
export const menu: MenuEntry[] = [
  { command: "bantuan", alias: "help", for: "everyone" },
  { command: "tugas", alias: "tasks", for: ["pic"] },
  { command: "lapor", alias: "report", for: ["pic"] },
  { command: "status", for: "registered" },
  { command: "rekap", alias: "summary", for: ["koordinator"] },
  { command: "terlambat", alias: "overdue", for: ["koordinator"] },
  { command: "batal", alias: "cancel", for: "everyone" },
];

/** The commands a person (or a stranger, null) may use. */
export function commandsFor(person: Person | null): MenuEntry[] {
  return menu.filter((e) => e.for === "everyone" || (person !== null && (e.for === "registered" || hasRole(person, ...e.for))));
}

/** /bantuan (/help): the commands this user may use. */
export const help = new Composer<PantauContext>();

help.command(["bantuan", "help"], async (ctx) => {
  const english = language(ctx) === "en";
  const lines = commandsFor(ctx.person).map(({ command, alias }) => ctx.t.help.line(english && alias ? alias : command, ctx.t.commands[command]));
  const hint = ctx.person ? [] : ["", ctx.t.help.strangerHint];
  await ctx.reply([ctx.t.help.header, ...lines, ...hint].join("\n"));
});
