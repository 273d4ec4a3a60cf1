import type { Context } from "telegraf";
import type { Clock } from "../clock.js";
import type { DatabaseKind, Prisma } from "../db/connection.js";
import type { Catalogue } from "../i18n/index.js";
import type { Logger } from "../logger.js";
import type { Vitals } from "../monitoring/vitals.js";
import type { Person } from "../services/people.js";
import type { DetachedWork } from "./detached-work.js";

/** What the bot's features need from the rest of Pantau. */
export interface BotDeps {
  db: Prisma;
  logger: Logger;
  /** The current time; tests pass a fixed clock. */
  clock: Clock;
  /** Time zone of a region an action plan creates without one (DEFAULT_TIMEZONE). */
  defaultTimezone: string;
  /** Telegram user ids of admins (ADMIN_TELEGRAM_IDS): they manage invites and people of every program. */
  adminIds: number[];
  /** Asks the outbox to send what is due now (after a broadcast or a nudge was queued). */
  outbox: { wake(): void };
  /** Work handlers leave running (plan files), which a stop waits for. */
  detached: DetachedWork;
  /** Whom the privacy notice names as the controller's contact (PRIVACY_CONTACT); null: the coordinator. */
  privacyContact?: string | null;
  /** Whether daily backups are made (BACKUP_DIR set), for the line admins read in /bantuan. */
  dailyBackups?: boolean;
  /** The dashboard's public https address (MINIAPP_URL); null: no dashboard buttons. */
  miniAppUrl?: string | null;
  /** What the admins' /sistem tells about the running process. */
  system: { databaseKind: DatabaseKind; vitals: Vitals };
}

/** telegraf's context with the person behind the update, their catalogue and the time. */
export interface PantauContext extends Context {
  deps: BotDeps;
  /** The registered person, or null for a stranger. */
  person: Person | null;
  t: Catalogue;
  now: Date;
  log: Logger;
}
