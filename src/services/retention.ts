import type { Prisma } from "../db/connection.js";
import { audit } from "./audit.js";
import { pruneUpdateClaims } from "./updates.js";

/**
 * How long Pantau keeps each class of data it needs only for a while (UU PDP: kept no longer than
 * its purpose). Reports, notes and evidence are the units' work record and are not purged here.
 */
export interface Retention {
  /** Records of messages sent (or failed, blocked, cancelled), days after they were due. */
  deliveryDays: number;
  /** Multi-step flows left unfinished, days after they expired. */
  flowDays: number;
  /** Audit rows that record a read of personal data (not a change), days after they were written. */
  readAuditDays: number;
  /**
   * Claims of updates handled (`ProcessedUpdate`, polling and webhook), days after they were
   * made: Telegram stops offering an update again after about a day, a week is plenty.
   */
  claimDays: number;
}

export const defaultRetention: Retention = { deliveryDays: 365, flowDays: 7, readAuditDays: 365, claimDays: 7 };

/**
 * Audit actions that record a read, not a change: the access requests of /dataku, and any action
 * named `<thing>.read` (exports, histories and evidence views read in bulk).
 */
const readActions = ["person.data_access"];

const day = 24 * 60 * 60 * 1000;

export interface Purged {
  deliveries: number;
  flows: number;
  readAudits: number;
  claims: number;
}

/**
 * Deletes what outlived its class's retention as of `now` (business time); update claims, stamped
 * with the database's real time, as of `realNow`, so a test clock set ahead keeps claims still needed. A delivery goes only once finished,
 * when no report points at it (a reply to that reminder) and its step is done or it had none:
 * the reminder pass reads a step's past deliveries to send each message once.
 */
export async function purgeExpired(db: Prisma, now: Date, realNow: Date, retention: Retention = defaultRetention): Promise<Purged> {
  const before = (days: number) => new Date(now.getTime() - days * day);
  const deliveries = await db.delivery.deleteMany({
    where: {
      status: { not: "pending" },
      dueAt: { lt: before(retention.deliveryDays) },
      reports: { none: {} },
      OR: [{ milestoneId: null }, { milestone: { status: "done" } }],
    },
  });
  const flows = await db.chatFlow.deleteMany({ where: { expiresAt: { lt: before(retention.flowDays) } } });
  const readAudits = await db.auditLog.deleteMany({
    where: { createdAt: { lt: before(retention.readAuditDays) }, OR: [{ action: { in: readActions } }, { action: { endsWith: ".read" } }] },
  });
  const claims = await pruneUpdateClaims(db, new Date(realNow.getTime() - retention.claimDays * day));
  const purged = { deliveries: deliveries.count, flows: flows.count, readAudits: readAudits.count, claims };
  if (purged.deliveries + purged.flows + purged.readAudits + purged.claims > 0) {
    await audit(db, { actor: { kind: "scheduler" }, action: "retention.purge", entity: "database", entityId: null, detail: { ...purged, retention }, at: now });
  }
  return purged;
}

/**
 * The purge as the scheduler runs it: at most once a day of business time (at the first tick, then
 * a day later), so a five-minute tick does not scan the tables each time.
 */
export function dailyPurge(db: Prisma, retention: Retention = defaultRetention): (now: Date, realNow: Date) => Promise<Purged | null> {
  let last: number | null = null;
  return async (now, realNow) => {
    if (last !== null && now.getTime() - last < day) return null;
    last = now.getTime();
    return purgeExpired(db, now, realNow, retention);
  };
}
