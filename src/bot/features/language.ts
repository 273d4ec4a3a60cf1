import { Composer, Markup } from "telegraf";
import type { Language } from "../../domain/dates.js";
import { normalize } from "../../domain/text.js";
import { catalogue } from "../../i18n/index.js";
import { setLanguage, type Person } from "../../services/people.js";
import type { PantauContext } from "../context.js";
import { escapeHtml } from "../format.js";
import { auditActor, requirePerson } from "../guards.js";
import { language } from "../language.js";
import { refreshMenu } from "./help.js";

/** /bahasa (/language): the language of the bot's messages. */
export const languageChoice = new Composer<PantauContext>();

const languages: Language[] = ["id", "en"];

/** What may follow /bahasa: the codes, and the names people type instead. */
const spellings: Record<string, Language> = {
  id: "id",
  ind: "id",
  indonesia: "id",
  indonesian: "id",
  "bahasa indonesia": "id",
  en: "en",
  eng: "en",
  english: "en",
  inggris: "en",
  "bahasa inggris": "en",
};

/** Callback data: "lang:<code>"; anything after the colon is checked against the languages. */
const button = (lang: Language) => Markup.button.callback(catalogue(lang).languageSetting.names[lang] ?? lang, `lang:${lang}`);

languageChoice.command(["bahasa", "language"], async (ctx) => {
  const person = await requirePerson(ctx);
  if (!person) return;
  const asked = normalize(ctx.payload);
  const chosen = spellings[asked];
  if (chosen) return switchTo(ctx, person, chosen);
  const t = ctx.t.languageSetting;
  const lines = [...(asked ? [t.unknown(escapeHtml(ctx.payload.trim().slice(0, 40)))] : []), t.current(t.names[language(ctx)] ?? language(ctx)), t.choose];
  await ctx.reply(lines.join("\n\n"), { parse_mode: "HTML", ...Markup.inlineKeyboard([languages.map(button)]) });
});

languageChoice.action(/^lang:(.*)$/, async (ctx) => {
  const person = await requirePerson(ctx);
  if (!person) return;
  const chosen = languages.find((lang) => lang === ctx.match[1]);
  if (!chosen) {
    ctx.log.info({ data: ctx.match[0].slice(0, 64) }, "forged language button");
    await ctx.answerCbQuery(ctx.t.access.staleButton, { show_alert: true });
    return;
  }
  await ctx.answerCbQuery();
  // The choice is made: the buttons go, so a second press cannot flip it back by accident.
  await ctx.editMessageReplyMarkup(undefined).catch(() => undefined);
  await switchTo(ctx, person, chosen);
});

/** Stores the language, answers in it, and re-sets the person's menu in it. */
async function switchTo(ctx: PantauContext, person: Person, chosen: Language): Promise<void> {
  const before = language(ctx);
  if (chosen !== before) {
    await setLanguage(ctx.deps.db, person, chosen, ctx.now, auditActor(ctx, person));
    person.language = chosen;
    ctx.t = catalogue(chosen);
    ctx.log.info({ from: before, to: chosen }, "language changed");
  }
  const t = ctx.t.languageSetting;
  const name = t.names[chosen] ?? chosen;
  await ctx.reply(chosen === before ? t.already(name) : t.changed(name), { parse_mode: "HTML" });
  // Also when nothing changed: asking again repairs a menu an earlier failure left behind.
  await refreshMenu(ctx, person);
}
