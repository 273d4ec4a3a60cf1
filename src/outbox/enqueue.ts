import type { Prisma } from "../db/connection.js";
import type { NewDelivery } from "./messages.js";

const keyChunk = 500;

/**
 * Puts messages into the outbox; rows whose key is already there (planned by an earlier pass,
 * another process or another instance) are left alone. Returns how many were new.
 */
export async function enqueue(db: Prisma, rows: NewDelivery[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += keyChunk) {
    const chunk = rows.slice(i, i + keyChunk);
    const existing = await db.delivery.findMany({ where: { key: { in: chunk.map((r) => r.key) } }, select: { key: true } });
    const known = new Set(existing.map((r) => r.key));
    const fresh = chunk.filter((r) => !known.has(r.key));
    if (fresh.length === 0) continue;
    try {
      inserted += (await db.delivery.createMany({ data: fresh })).count;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // Someone else planned some of them meanwhile: insert one by one, skipping theirs.
      for (const row of fresh) {
        try {
          await db.delivery.create({ data: row });
          inserted += 1;
        } catch (rowErr) {
          if (!isUniqueViolation(rowErr)) throw rowErr;
        }
      }
    }
  }
  return inserted;
}

/**
 * Puts rows whose keys cannot be there yet (those of a broadcast being created, inside its
 * transaction) into the outbox without looking for them first.
 */
export async function enqueueNew(db: Pick<Prisma, "delivery">, rows: NewDelivery[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += keyChunk) inserted += (await db.delivery.createMany({ data: rows.slice(i, i + keyChunk) })).count;
  return inserted;
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === "P2002";
}
