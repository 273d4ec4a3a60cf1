import { sqlList, type Prisma } from "../db/connection.js";
import type { Language } from "../domain/dates.js";
import type { Role } from "../domain/statuses.js";
import { personName } from "../domain/text.js";
import { audit, personActor, placeOfSeats, type AuditActor, type AuditChat } from "./audit.js";

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
  /** Their name as lists show it now (chosen with /nama, else Telegram's); null once erased. */
  name: string | null;
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
    name: personName(row),
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

/** Whom the dashboard (the Mini App) shows something: coordinators, and heads of unit for their unit. */
export function readsDashboard(person: Person): boolean {
  return hasRole(person, "koordinator", "kepala");
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

/**
 * Records that a person blocked the bot or may be written to again, with an audit row (theirs)
 * when that changed. Seen three ways: Telegram's notice in their private chat (`status`), a
 * message they wrote after blocking it (`message`), a send refused with 403 (`send`). The block
 * keeps the first moment it was seen; being reachable again counts as a start.
 */
export async function recordBlocked(
  tx: Pick<Prisma, "person" | "auditLog" | "initiative" | "unit">,
  personId: number,
  blocked: boolean,
  now: Date,
  seen: { by: "status" | "message" | "send"; chat: AuditChat | null },
): Promise<void> {
  const person = await tx.person.findUniqueOrThrow({
    where: { id: personId },
    include: { memberships: { select: { programId: true, regionId: true, unitId: true } } },
  });
  // Conditional writes: of a block and an unblock seen at the same moment (PostgreSQL reads the
  // row again once the other commits), only a real change writes and is audited.
  const changed = blocked
    ? await tx.person.updateMany({ where: { id: personId, blockedAt: null }, data: { blockedAt: now } })
    : await tx.person.updateMany({ where: { id: personId, blockedAt: { not: null } }, data: { blockedAt: null, startedAt: now } });
  if (!blocked && changed.count === 0) await tx.person.update({ where: { id: personId }, data: { startedAt: now } });
  if (changed.count === 0) return;
  const name = personName(person);
  await audit(tx, {
    ...(await placeOfSeats(tx, person.memberships)),
    actor: personActor({ id: person.id, telegramId: Number(person.telegramId), memberships: [] }, seen.chat),
    action: blocked ? "person.block" : "person.unblock",
    entity: "person",
    entityId: person.id,
    targetName: name,
    before: { blocked: !blocked },
    after: { blocked },
    detail: { by: seen.by },
    at: now,
  });
}

/**
 * These people's rows, held until the transaction ends: a change of the same person's state at
 * the same moment (a second /cuti, ⏰ Besok and a reminder pass planning theirs) waits here, then
 * reads what the first left (PostgreSQL locks the rows on this write; SQLite runs one transaction
 * at a time). Written as SQL that changes nothing, so the rows' `updatedAt` stays.
 */
export async function takePeople(tx: Pick<Prisma, "$executeRaw">, ids: readonly number[]): Promise<void> {
  // Ascending, in chunks: two passes taking the same people at once meet on the first, rather
  // than each holding a part the other waits for.
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i += 1000) {
    await tx.$executeRaw`UPDATE "Person" SET "weeklyDigest" = "weeklyDigest" WHERE "id" IN (${sqlList(sorted.slice(i, i + 1000))})`;
  }
}

/** Sets the language of a person's messages (and menu), with an audit row; unknown languages are the caller's to refuse. */
export async function setLanguage(db: Prisma, person: Person, language: Language, now: Date, actor: AuditActor): Promise<void> {
  await db.$transaction(async (tx) => {
    const before = await tx.person.findUniqueOrThrow({ where: { id: person.id }, select: { language: true } });
    if (before.language === language) return;
    await tx.person.update({ where: { id: person.id }, data: { language } });
    await audit(tx, {
      actor,
      action: "person.language",
      entity: "person",
      entityId: person.id,
      targetName: person.name,
      before: { language: before.language },
      after: { language },
      at: now,
    });
  });
}
