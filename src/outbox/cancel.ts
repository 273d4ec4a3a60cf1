import type { Prisma } from "../db/connection.js";
import { chunks } from "./claim.js";

// Cancelling is a status: a cancelled row is never claimed, and a row cancelled while its
// message waits at the sender is checked right before it goes (see dispatch.ts). What Telegram
// took before the cancel is recorded as sent.

/** Cancels the pending rows `where` names (claimed ones too); returns how many. */
export async function cancelPending(db: Pick<Prisma, "delivery">, where: object, reason?: string): Promise<number> {
  return (await db.delivery.updateMany({ where: { ...where, status: "pending" }, data: { status: "cancelled", ...(reason ? { error: reason } : {}) } })).count;
}

/** The rows of a claim that are still to be sent (not cancelled since they were claimed). */
export async function stillPending(db: Prisma, ids: number[], token: string): Promise<Set<number>> {
  const live = new Set<number>();
  for (const chunk of chunks(ids)) {
    for (const row of await db.delivery.findMany({ where: { id: { in: chunk }, claimToken: token, status: "pending" }, select: { id: true } }))
      live.add(row.id);
  }
  return live;
}
