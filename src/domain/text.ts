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
