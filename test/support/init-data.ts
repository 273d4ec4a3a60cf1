import { initDataHash } from "../../src/miniapp/init-data.js";

/** Init data as Telegram hands it to a Mini App: the fields and their hash, signed with a bot's token. */
export function signInitData(fields: Record<string, string>, botToken: string): string {
  const params = new URLSearchParams(fields);
  params.set("hash", initDataHash(params, botToken));
  return params.toString();
}

/** Init data for a Telegram user at `authDate`, signed with the bot's token. */
export function initDataFor(user: { id: number; first_name: string; language_code?: string }, authDate: Date, botToken: string): string {
  return signInitData({ auth_date: String(Math.floor(authDate.getTime() / 1000)), query_id: "AAH-test", user: JSON.stringify(user) }, botToken);
}
