import type { Prisma } from "../db/connection.js";
import type { Language } from "../domain/dates.js";
import type { Role } from "../domain/statuses.js";

export interface Membership {
  role: Role;
  unitId: number | null;
  programId: number | null;
  regionId: number | null;
  /** Unit name, or program name with its region, for messages. */
  label: string;
}

/** A registered person and what they may see. */
export interface Person {
  id: number;
  telegramId: number;
  firstName: string | null;
  language: string;
  /** Telegram told us the person blocked the bot, and they have not written since. */
  blocked: boolean;
  memberships: Membership[];
}

/** Loads the person behind a Telegram user id, or null for a stranger. */
export async function findPerson(db: Prisma, telegramId: number): Promise<Person | null> {
  const row = await db.person.findUnique({
    where: { telegramId: BigInt(telegramId) },
    include: { memberships: { include: { unit: true, program: true, region: true } } },
  });
  if (!row) return null;
  return {
    id: row.id,
    telegramId: Number(row.telegramId),
    firstName: row.firstName,
    language: row.language,
    blocked: row.blockedAt !== null,
    memberships: row.memberships.map((m) => ({
      role: m.role as Role,
      unitId: m.unitId,
      programId: m.programId,
      regionId: m.regionId,
      label: m.unit?.name ?? [m.program?.name, m.region?.name].filter(Boolean).join(" — "),
    })),
  };
}

/** True when a person holds a role (any unit or program). */
export function hasRole(person: Person, ...roles: Role[]): boolean {
  return person.memberships.some((m) => roles.includes(m.role));
}

/**
 * The person behind a Telegram user, created when unknown (an admin acting in Telegram before
 * holding any seat: their open flows are kept under a person like everyone's).
 */
export async function ensurePerson(db: Prisma, user: { id: number; firstName?: string; username?: string; language: string }, now: Date): Promise<number> {
  const row = await db.person.upsert({
    where: { telegramId: BigInt(user.id) },
    create: { telegramId: BigInt(user.id), firstName: user.firstName ?? null, username: user.username ?? null, language: user.language, startedAt: now },
    update: {},
  });
  return row.id;
}

/** Records that a person wrote to the bot in a private chat again: the bot may write to them. */
export async function markReachable(db: Prisma, personId: number, now: Date): Promise<void> {
  await db.person.update({ where: { id: personId }, data: { startedAt: now, blockedAt: null } });
}

/** Sets the language of a person's messages (and menu); unknown languages are the caller's to refuse. */
export async function setLanguage(db: Prisma, personId: number, language: Language): Promise<void> {
  await db.person.update({ where: { id: personId }, data: { language } });
}
