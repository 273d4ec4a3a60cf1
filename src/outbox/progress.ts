import type { Prisma } from "../db/connection.js";

/** A broadcast's deliveries by status: what its delivery report counts. */
export interface DeliveryCounts {
  total: number;
  sent: number;
  failed: number;
  blocked: number;
  pending: number;
  cancelled: number;
}

/** Counts a broadcast's rows by status, in the database. */
export async function deliveryCounts(db: Pick<Prisma, "delivery">, broadcastId: number): Promise<DeliveryCounts> {
  const counts = new Map<string, number>();
  for (const row of await db.delivery.groupBy({ by: ["status"], where: { broadcastId }, _count: { _all: true } })) counts.set(row.status, row._count._all);
  return {
    total: [...counts.values()].reduce((s, n) => s + n, 0),
    sent: counts.get("sent") ?? 0,
    failed: counts.get("failed") ?? 0,
    blocked: counts.get("blocked") ?? 0,
    pending: counts.get("pending") ?? 0,
    cancelled: counts.get("cancelled") ?? 0,
  };
}

/** A broadcast with nothing left pending is done. */
export async function finishBroadcasts(db: Prisma, ids: number[], now: Date): Promise<void> {
  for (const id of ids) {
    const pending = await db.delivery.count({ where: { broadcastId: id, status: "pending" } });
    if (pending === 0) await db.broadcast.updateMany({ where: { id, status: "sending" }, data: { status: "done", finishedAt: now } });
  }
}

/** What waits in the outbox: messages due by `now` and not yet sent, and when the oldest fell due. */
export interface Backlog {
  due: number;
  oldestDueAt: Date | null;
}

/**
 * The outbox's backlog at `now`: one read on the (status, dueAt) index, cheap at any size, so the
 * count and the oldest come from one snapshot (two reads could see a row sent in between).
 */
export async function outboxBacklog(db: Pick<Prisma, "delivery">, now: Date): Promise<Backlog> {
  const backlog = await db.delivery.aggregate({ where: { status: "pending", dueAt: { lte: now } }, _count: { _all: true }, _min: { dueAt: true } });
  return { due: backlog._count._all, oldestDueAt: backlog._min.dueAt };
}
