import { sqlList, type Prisma } from "../db/connection.js";
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
 * Puts a new broadcast's messages to these people into the outbox (`broadcast:<id>:<person>`,
 * due when the broadcast was created), inside the transaction that creates it. One statement
 * in the database: Prisma's createMany of hundreds of rows compiles a plan holding every row,
 * and keeps the last plans it made (megabytes each) for its error reports.
 */
export async function enqueueBroadcast(db: Pick<Prisma, "$executeRaw">, broadcastId: number, personIds: number[]): Promise<number> {
  if (personIds.length === 0) return 0;
  // The dates are the broadcast row's own, so they are stored exactly as Prisma stores dates.
  return db.$executeRaw`
    INSERT INTO "Delivery" ("key", "kind", "personId", "broadcastId", "dueAt", "createdAt", "updatedAt")
    SELECT 'broadcast:' || CAST(b."id" AS TEXT) || ':' || CAST(p."id" AS TEXT), 'broadcast', p."id", b."id", b."createdAt", b."createdAt", b."createdAt"
    FROM "Broadcast" b, "Person" p
    WHERE b."id" = ${broadcastId} AND p."id" IN (${sqlList(personIds)})`;
}

/** A write refused because a row with its unique key (a delivery's) is already there. */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === "P2002";
}
