import type { Language } from "../domain/dates.js";
import { languageOf } from "../i18n/index.js";
import type { PantauContext } from "./context.js";

/** The language of the person behind the update. */
export function language(ctx: PantauContext): Language {
  return languageOf(ctx.person?.language);
}
