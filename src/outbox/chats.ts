import type { Prisma } from "../db/connection.js";

/** A group became a supergroup: messages stored under its old id now live under the new one. */
export async function moveChat(db: Prisma, from: number, to: number): Promise<void> {
  await db.$transaction([
    db.delivery.updateMany({ where: { chatId: BigInt(from) }, data: { chatId: BigInt(to) } }),
    db.broadcast.updateMany({ where: { reportChatId: BigInt(from) }, data: { reportChatId: BigInt(to) } }),
    db.evidence.updateMany({ where: { chatId: BigInt(from) }, data: { chatId: BigInt(to) } }),
  ]);
}
