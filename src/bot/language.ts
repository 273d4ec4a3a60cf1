import type { Language } from "../domain/dates.js";
import type { PantauContext } from "./context.js";

/** The language of the person behind the update. */
export function language(ctx: PantauContext): Language {
  return ctx.person?.language === "en" ? "en" : "id";
}
