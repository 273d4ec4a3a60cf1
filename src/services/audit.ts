import type { Prisma } from "../db/connection.js";

type Tx = Pick<Prisma, "auditLog">;

/** Records who changed what; `at` from the caller's clock, else the database's. */
export async function audit(
  db: Tx,
  actor: string,
  action: string,
  entity: string,
  entityId: string | number | null,
  detail?: unknown,
  at?: Date,
): Promise<void> {
  await db.auditLog.create({
    data: {
      ...(at ? { createdAt: at } : {}),
      actor,
      action,
      entity,
      entityId: entityId === null ? null : String(entityId),
      detail: detail === undefined ? null : JSON.stringify(detail),
    },
  });
}
