import type { Language } from "../domain/dates.js";
import { languageFromTelegram, languageOf } from "../i18n/index.js";
import type { PantauContext } from "./context.js";

/**
 * The language of the person behind the update, the one `ctx.t` speaks: their own, or for
 * someone Pantau does not store (a stranger, an admin without a seat) their Telegram app's.
 */
export function language(ctx: PantauContext): Language {
  return ctx.person ? languageOf(ctx.person.language) : languageFromTelegram(ctx.from?.language_code);
}
