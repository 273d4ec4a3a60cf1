import type { Prisma } from "../db/connection.js";

/** Records that an update is being handled; false when some instance already did. */
export async function claimUpdate(db: Prisma, updateId: number): Promise<boolean> {
  try {
    await db.processedUpdate.create({ data: { updateId: BigInt(updateId) } });
    return true;
  } catch (err) {
    if ((err as { code?: unknown }).code === "P2002") return false; // unique violation
    throw err;
  }
}

/** Forgets claims older than `before` (Telegram redelivers within hours, not days). */
export async function pruneUpdateClaims(db: Prisma, before: Date): Promise<number> {
  return (await db.processedUpdate.deleteMany({ where: { createdAt: { lt: before } } })).count;
}

/** Resolves when the database answers a trivial query (for the health endpoint). */
export async function databaseAnswers(db: Prisma): Promise<void> {
  await db.$queryRaw`SELECT 1`;
}
