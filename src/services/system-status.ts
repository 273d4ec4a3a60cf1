import type { Prisma } from "../db/connection.js";
import { outboxBacklog, type Backlog } from "../outbox/index.js";

/** What the database says for the admins' /sistem: the outbox's backlog, people and units. */
export interface SystemCounts {
  outbox: Backlog;
  /** People holding at least one seat, and everyone the bot knows (strangers, people who left). */
  people: { registered: number; known: number };
  units: number;
}

export async function systemCounts(db: Prisma, now: Date): Promise<SystemCounts> {
  const [outbox, registered, known, units] = await Promise.all([
    outboxBacklog(db, now),
    db.person.count({ where: { memberships: { some: {} } } }),
    db.person.count(),
    db.unit.count(),
  ]);
  return { outbox, people: { registered, known }, units };
}
