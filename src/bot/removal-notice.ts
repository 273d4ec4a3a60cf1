import type { Telegram } from "telegraf";
import type { Prisma } from "../db/connection.js";
import { catalogue } from "../i18n/index.js";
import type { Logger } from "../logger.js";
import type { Removal } from "../services/members.js";
import { findPerson } from "../services/people.js";
import { setPersonMenu } from "./features/help.js";
import { escapeHtml } from "./format.js";

/**
 * Tells a person removed from a seat, in their private chat and language, what they lost, who
 * removed them and that their reports stay; and narrows their command menu to what is left.
 * Told directly rather than through the outbox: it is news of now, and the removal stands
 * whether or not it arrives (false: it did not, e.g. they blocked the bot).
 */
export async function tellRemoved(telegram: Telegram, db: Prisma, removal: Removal, adminIds: number[], logger: Logger): Promise<boolean> {
  const t = catalogue(removal.person.language);
  const person = await findPerson(db, removal.person.telegramId);
  if (person)
    await setPersonMenu(telegram, person, adminIds.includes(person.telegramId)).catch((err: unknown) =>
      logger.warn({ err }, "could not narrow a removed person's menu"),
    );
  try {
    const role = t.roles[removal.role] ?? removal.role;
    await telegram.sendMessage(
      removal.person.telegramId,
      t.members.removedNotice(role, escapeHtml(removal.where), removal.by === null ? null : escapeHtml(removal.by)),
      {
        parse_mode: "HTML",
      },
    );
    return true;
  } catch (err) {
    logger.warn({ err, person: removal.person.id }, "could not tell a removed person");
    return false;
  }
}
