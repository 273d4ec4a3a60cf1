import { Composer } from "telegraf";
import { formatWeekday, type Language } from "../../domain/dates.js";
import { digestOpeningHour } from "../../domain/digest-plan.js";
import { AppError } from "../../domain/errors.js";
import type { Catalogue } from "../../i18n/index.js";
import {
  changeProgramRule,
  coordinatedProgramRules,
  parseRuleChange,
  pickProgram,
  type ProgramRulesView,
  type RuleName,
} from "../../services/program-rules.js";
import type { PantauContext } from "../context.js";
import { echo, escapeHtml, splitMessages } from "../format.js";
import { auditActor, requireRole } from "../guards.js";
import { language } from "../language.js";

/** /aturan (/rules): a program's reminder rules; coordinators of the whole program change them. */
export const rules = new Composer<PantauContext>();

/** The rule each keyword names, Indonesian and English alike (hyphens and underscores ignored). */
const keywords: Record<string, RuleName> = {
  pengingat: "offsets",
  reminders: "offsets",
  reminder: "offsets",
  jam: "sendHour",
  hour: "sendHour",
  terlambat: "overdue",
  overdue: "overdue",
  harikerja: "workingDaysOnly",
  workingdays: "workingDaysOnly",
  tenang: "quietHours",
  jamtenang: "quietHours",
  quiet: "quietHours",
  eskalasi: "escalation",
  escalation: "escalation",
  senyap: "silent",
  silent: "silent",
  ringkasan: "digest",
  digest: "digest",
};

/** The line of the overview that shows one rule. */
function ruleLine(t: Catalogue, lang: Language, rule: RuleName, { rules: r }: ProgramRulesView): string {
  switch (rule) {
    case "offsets":
    case "sendHour":
      return t.rules.reminders(r.offsets, r.sendHour);
    case "overdue":
      return t.rules.overdue(r.overdueEveryDays, r.overdueMaxReminders);
    case "workingDaysOnly":
      return t.rules.workingDays(r.workingDaysOnly);
    case "quietHours":
      return t.rules.quietHours(r.quietStartHour, r.quietEndHour);
    case "escalation":
      return t.rules.escalation(r.escalationEnabled, r.escalateHeadAfterDays, r.escalateCoordAfterDays);
    case "silent":
      return t.rules.silent(r.offsets, r.silentFromDays);
    case "digest":
      return t.rules.digest(r.digestEnabled, formatWeekday(r.digestWeekday, lang), digestOpeningHour(r), r.digestHour === null);
  }
}

const allRules: RuleName[] = ["offsets", "overdue", "workingDaysOnly", "quietHours", "escalation", "silent", "digest"];

function quietNote(t: Catalogue, program: ProgramRulesView): string[] {
  return program.sendHourInQuietHours ? [t.rules.sendHourInQuiet(program.rules.sendHour, program.rules.quietEndHour)] : [];
}

async function reply(ctx: PantauContext, text: string) {
  await ctx.reply(text, { parse_mode: "HTML" });
}

rules.command(["aturan", "rules"], async (ctx) => {
  const person = await requireRole(ctx, "koordinator");
  if (!person) return;
  const t = ctx.t;
  const lang = language(ctx);
  const programs = await coordinatedProgramRules(ctx.deps.db, person);
  if (programs.length === 0) return void (await ctx.reply(t.rules.none));
  const [keyword, ...words] = ctx.payload.trim().split(/\s+/).filter(Boolean);

  if (!keyword) {
    const blocks = programs.map((p) =>
      [t.rules.header(escapeHtml(p.name), p.canChange), ...allRules.map((rule) => ruleLine(t, lang, rule, p)), ...quietNote(t, p)].join("\n"),
    );
    const footer = programs.some((p) => p.canChange) ? [t.rules.howTo, ...(programs.length > 1 ? [t.rules.namePrograms] : [])] : [t.rules.readOnly];
    for (const text of splitMessages([...blocks, footer.join("\n\n")])) await reply(ctx, text);
    return;
  }

  const rule = keywords[keyword.toLowerCase().replace(/[-_]/g, "")];
  if (!rule) return void (await reply(ctx, `${t.rules.unknownRule(escapeHtml(keyword))}\n\n${t.rules.howTo}`));
  const isInvalid = (err: unknown) => err instanceof AppError && err.code === "rules.invalid";

  let parsed: ReturnType<typeof parseRuleChange>;
  try {
    parsed = parseRuleChange(rule, words);
  } catch (err) {
    if (isInvalid(err)) return void (await ctx.reply(t.rules.invalid[rule]));
    throw err;
  }

  // Words after the value name the program; with one program they can only be a wrong value.
  const query = parsed.rest.join(" ");
  const choice = pickProgram(programs, query);
  const names = programs.map((p) => escapeHtml(p.name));
  if (choice.kind === "unknown") {
    return void (await (programs.length === 1 ? ctx.reply(t.rules.invalid[rule]) : reply(ctx, t.rules.unknownProgram(echo(query), names))));
  }
  if (choice.kind === "ambiguous") return void (await reply(ctx, t.rules.chooseProgram(names)));
  const name = escapeHtml(choice.program.name);
  if (!choice.program.canChange) return void (await reply(ctx, t.rules.notAllowed(name)));

  try {
    const result = await changeProgramRule(ctx.deps.db, person, choice.program.id, parsed.change, ctx.now, auditActor(ctx, person));
    const line = [ruleLine(t, lang, rule, result.program), ...(rule === "sendHour" || rule === "quietHours" ? quietNote(t, result.program) : [])].join("\n");
    await reply(ctx, result.changed ? t.rules.changed(name, line, escapeHtml(person.firstName ?? `#${person.telegramId}`)) : t.rules.unchanged(name, line));
    if (result.changed) ctx.log.info({ program: choice.program.id, rule }, "program rules changed");
  } catch (err) {
    if (isInvalid(err)) return void (await ctx.reply(t.rules.invalid[rule]));
    if (err instanceof AppError && err.code === "rules.not_allowed") return void (await reply(ctx, t.rules.notAllowed(name)));
    throw err;
  }
});
