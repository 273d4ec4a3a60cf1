/**
 * Text rules shared by every room: how a typed name is compared with a stored one, and how a
 * person is named. Pure functions; the bot layer escapes and shortens for Telegram
 * (`bot/format.ts`), and `i18n/index.ts` normalises languages.
 */

/** Lower case, runs of whitespace as one space, trimmed: what a typed name is compared by. */
export function normalize(text: string): string {
  return text.toLowerCase().replace(/\s+/g, " ").trim();
}

/** Accents dropped (é → e), for codes and file names of ASCII letters. */
export function withoutAccents(text: string): string {
  return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
}

/** The name fields Pantau keeps of a person (from Telegram). */
export interface NamedPerson {
  firstName: string | null;
  lastName: string | null;
  username: string | null;
}

/** First and last name, else "@username"; null when neither is known. */
export function personName(p: NamedPerson): string | null {
  return fullName(p) || (p.username ? `@${p.username}` : null);
}

/** A person's name as lists show it: "name (@username)", else whichever is known, else "#telegram id". */
export function displayName(p: NamedPerson & { telegramId: bigint }): string {
  const name = fullName(p);
  if (name && p.username) return `${name} (@${p.username})`;
  return personName(p) ?? `#${p.telegramId}`;
}

function fullName(p: NamedPerson): string {
  return [p.firstName, p.lastName].filter(Boolean).join(" ").trim();
}

/**
 * How a report names its reporter: their name, else (a person whose data an admin erased, see
 * services/personal-data.ts) the seat they reported from, "PIC <unit>" in every language.
 */
export function reporterName(p: NamedPerson, unitName: string): string {
  return personName(p) ?? `PIC ${unitName}`;
}

/** The longest name a person may give themselves (Telegram's own first-name limit). */
export const maxOwnNameLength = 64;

export type LineCheck = { ok: true; name: string } | { ok: false; reason: "empty" | "too_long" | "control" };

/** A name typed for a list (a person's, a holiday's): whitespace runs as one space; refused when empty, over `max` characters, or with control characters. */
export function checkLine(text: string, max: number): LineCheck {
  // Control characters (line breaks included) and bidirectional overrides would let a name
  // break or reorder the lines of the lists it appears in.
  if (/[\p{Cc}\u202a-\u202e\u2066-\u2069]/u.test(text.trim())) return { ok: false, reason: "control" };
  const name = text.replace(/\s+/g, " ").trim();
  if (!name) return { ok: false, reason: "empty" };
  if ([...name].length > max) return { ok: false, reason: "too_long" };
  return { ok: true, name };
}

/** A name a person gives themselves (/nama). */
export function checkOwnName(text: string): LineCheck {
  return checkLine(text, maxOwnNameLength);
}

/**
 * Whether two words are at most one typing slip apart: one letter added, dropped or changed, or
 * two neighbours swapped ("selsai", "sosialsiasi"). Enough for replies typed on a phone; a
 * library for edit distances would bring more than this needs.
 */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
