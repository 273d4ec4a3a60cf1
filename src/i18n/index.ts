import type { Language } from "../domain/dates.js";
import { en } from "./en.js";
import { id, type Catalogue } from "./id.js";

export type { Catalogue };
const catalogues: Record<Language, Catalogue> = { id, en };

/** A stored language as one Pantau speaks: English when it says so, else Indonesian. */
export function languageOf(language: string | null | undefined): Language {
  return language === "en" ? "en" : "id";
}

/** The catalogue of a language; Indonesian for anything unknown. */
export function catalogue(language: string | null | undefined): Catalogue {
  return catalogues[languageOf(language)];
}

/** The language to start a new person in, from Telegram's language_code. */
export function languageFromTelegram(code: string | undefined): Language {
  return code?.toLowerCase().startsWith("en") ? "en" : "id";
}

/** The message of a known error in a catalogue, its {placeholders} filled; null when unknown. */
export function errorMessage(t: Catalogue, err: { code: string; params: Record<string, string | number> }): string | null {
  const template = t.errors.codes[err.code];
  return template ? template.replace(/\{(\w+)\}/g, (_, key: string) => String(err.params[key] ?? "")) : null;
}

/** Whole megabytes of a byte count, for a limit in a message. */
const megabytes = (bytes: string | number | undefined) => Math.round(Number(bytes) / 1024 / 1024);

/** Why a plan file could not be read at all (a broken CSV names its row; a workbook cannot). */
export function unreadablePlanMessage(t: Catalogue, error: { code: string; params: Record<string, string | number> }): string {
  const messages = t.importErrors;
  switch (error.code) {
    case "import.xlsx_encrypted":
      return messages.xlsxEncrypted;
    case "import.xlsx_format":
      return messages.xlsxFormat;
    case "import.xlsx_too_large":
      return messages.xlsxTooLarge(megabytes(error.params.max));
    case "import.file_too_large":
      return messages.fileTooLarge(megabytes(error.params.max));
    case "import.too_many_rows":
      return messages.tooManyRows(Number(error.params.max));
    case "import.out_of_memory":
      return messages.outOfMemory;
    case "import.read_timeout":
      return messages.readTimeout(Number(error.params.seconds));
    case "import.xlsx_unreadable":
      return messages.xlsxUnreadable;
    default:
      return messages.row(Number(error.params.row ?? 1), "", messages.unreadable);
  }
}
