import type { Prisma } from "../db/connection.js";

type Tx = Pick<Prisma, "auditLog">;

/** Records who changed what. */
export async function audit(db: Tx, actor: string, action: string, entity: string, entityId: string | number | null, detail?: unknown): Promise<void> {
  await db.auditLog.create({
    data: {
      actor,
      action,
      entity,
      entityId: entityId === null ? null : String(entityId),
      detail: detail === undefined ? null : JSON.stringify(detail),
    },
  });
}
