import type { Prisma } from "../db/connection.js";
import { checkOwnName, displayName, personName } from "../domain/text.js";
import { audit, personActor, type AuditActor, type AuditChat } from "./audit.js";
import { peopleNamed } from "./members.js";

/**
 * A person's rights over their data (UU PDP 27/2022): access and portability (everything stored
 * about them, with the record of its processing), correction of their name, and erasure by an
 * admin once they have left. Data only; the bot and the CLI word it.
 */

/** A JSON value: what the access file holds (Telegram ids and instants as strings). */
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const iso = (d: Date | null) => d?.toISOString() ?? null;

function parseDetail(detail: string | null): Json {
  if (detail === null) return null;
  try {
    return JSON.parse(detail) as Json;
  } catch {
    return detail;
  }
}

/** Keys of an audit detail that name the person a row is about (members.ts, erasePerson). */
const othersKeys = new Set(["person", "name", "personId", "telegramId"]);

/** Whether an audit row is about this person (their person row, or a seat naming their Telegram id). */
function aboutPerson(row: { entity: string; entityId: string | null; detail: string | null }, personId: number, telegramId: number): boolean {
  if (row.entity === "person" && row.entityId === String(personId)) return true;
  const detail = parseDetail(row.detail);
  return typeof detail === "object" && detail !== null && !Array.isArray(detail) && detail.person === telegramId;
}

function withoutOthers(detail: Json): Json {
  if (typeof detail !== "object" || detail === null || Array.isArray(detail)) return detail;
  return Object.fromEntries(Object.entries(detail).filter(([key]) => !othersKeys.has(key)));
}

/**
 * Everything Pantau stores about the person with this Telegram id, and the record of its
 * processing (messages sent to them, audit rows naming them); null when it stores nothing.
 * The request is itself recorded first, so the file shows it.
 */
export async function personalDataOf(db: Prisma, telegramId: number, chat: AuditChat | null, now: Date): Promise<Record<string, Json> | null> {
  // Read and recorded in one transaction: an erasure between the two would leave the name behind.
  const person = await db.$transaction(async (tx) => {
    const found = await tx.person.findUnique({ where: { telegramId: BigInt(telegramId) } });
    if (found) {
      await audit(tx, {
        actor: personActor({ id: found.id, telegramId, memberships: [] }, chat),
        action: "person.data_access",
        entity: "person",
        entityId: found.id,
        targetName: personName(found),
        at: now,
      });
    }
    return found;
  });
  if (!person) return null;

  const place = { unit: { select: { code: true, name: true } }, program: { select: { name: true } }, region: { select: { name: true } } } as const;
  const placeOf = (row: { unit: { code: string; name: string } | null; program: { name: string } | null; region: { name: string } | null }) => ({
    unit: row.unit ? `${row.unit.name} (${row.unit.code})` : null,
    program: row.program?.name ?? null,
    region: row.region?.name ?? null,
  });
  const [memberships, removals, invites, reports, deliveries, broadcasts, daysOff, leaves, flow, auditRows] = await Promise.all([
    db.membership.findMany({ where: { personId: person.id }, include: place, orderBy: { id: "asc" } }),
    db.seatRemoval.findMany({ where: { personId: person.id }, orderBy: { id: "asc" } }),
    db.invite.findMany({ where: { createdById: person.id }, include: place, orderBy: { id: "asc" } }),
    db.progressReport.findMany({
      where: { personId: person.id },
      include: {
        evidence: { orderBy: { id: "asc" } },
        milestone: { select: { title: true, initiative: { select: { name: true, unit: { select: { name: true } }, program: { select: { name: true } } } } } },
      },
      orderBy: { id: "asc" },
    }),
    db.delivery.findMany({ where: { personId: person.id }, include: { milestone: { select: { title: true } } }, orderBy: { id: "asc" } }),
    db.broadcast.findMany({ where: { createdById: person.id }, orderBy: { id: "asc" } }),
    db.programHoliday.findMany({
      where: { createdById: person.id },
      include: { program: { select: { name: true } }, region: { select: { name: true } } },
      orderBy: { id: "asc" },
    }),
    db.leave.findMany({ where: { personId: person.id }, orderBy: { id: "asc" } }),
    db.chatFlow.findUnique({ where: { personId: person.id } }),
    // Rows they did, and rows about them: their person row, or a seat of theirs (removal audits
    // name the person by Telegram id in their detail).
    db.auditLog.findMany({
      where: {
        OR: [
          { actorPersonId: person.id },
          { actorTelegramId: person.telegramId },
          { entity: "person", entityId: String(person.id) },
          { detail: { contains: `"person":${telegramId},` } },
          { detail: { contains: `"person":${telegramId}}` } },
        ],
      },
      orderBy: { id: "asc" },
    }),
  ]);

  return {
    person: {
      telegramId: String(person.telegramId),
      firstName: person.firstName,
      lastName: person.lastName,
      username: person.username,
      language: person.language,
      weeklyDigest: person.weeklyDigest,
      nameChosenAt: iso(person.nameChosenAt),
      startedAt: iso(person.startedAt),
      blockedAt: iso(person.blockedAt),
      erasedAt: iso(person.erasedAt),
      createdAt: iso(person.createdAt),
      updatedAt: iso(person.updatedAt),
    },
    memberships: memberships.map((m) => ({ role: m.role, ...placeOf(m), invite: m.inviteId, since: iso(m.createdAt) })),
    seatsEnded: removals.map((r) => ({
      role: r.role,
      unitId: r.unitId,
      programId: r.programId,
      regionId: r.regionId,
      reason: r.reason,
      by: r.actor,
      at: iso(r.removedAt),
    })),
    invitesMade: invites.map((i) => ({
      id: i.id,
      role: i.role,
      ...placeOf(i),
      uses: i.uses,
      maxUses: i.maxUses,
      expiresAt: iso(i.expiresAt),
      revokedAt: iso(i.revokedAt),
      createdAt: iso(i.createdAt),
    })),
    reports: reports.map((r) => ({
      id: r.id,
      at: iso(r.createdAt),
      program: r.milestone.initiative.program.name,
      unit: r.milestone.initiative.unit.name,
      initiative: r.milestone.initiative.name,
      step: r.milestone.title,
      percent: r.percent,
      status: r.status,
      note: r.note,
      source: r.source,
      undoneAt: iso(r.undoneAt),
      evidence: r.evidence.map((e) => ({
        kind: e.kind,
        fileId: e.fileId,
        fileUniqueId: e.fileUniqueId,
        fileName: e.fileName,
        mimeType: e.mimeType,
        chatId: String(e.chatId),
        messageId: e.messageId,
        at: iso(e.createdAt),
      })),
    })),
    broadcastsSent: broadcasts.map((b) => ({
      id: b.id,
      text: b.text,
      audience: parseDetail(b.audience),
      status: b.status,
      at: iso(b.createdAt),
      finishedAt: iso(b.finishedAt),
    })),
    daysOffAdded: daysOff.map((d) => ({ program: d.program.name, region: d.region?.name ?? null, date: d.date, name: d.name, at: iso(d.createdAt) })),
    leaves: leaves.map((l) => ({ firstDay: l.firstDay, lastDay: l.lastDay, at: iso(l.createdAt), changedAt: iso(l.updatedAt) })),
    openFlow: flow ? { kind: flow.kind, state: parseDetail(flow.state), expiresAt: iso(flow.expiresAt) } : null,
    processing: {
      messagesToYou: deliveries.map((d) => ({
        kind: d.kind,
        step: d.milestone?.title ?? null,
        broadcast: d.broadcastId,
        dueAt: iso(d.dueAt),
        status: d.status,
        attempts: d.attempts,
        sentAt: iso(d.sentAt),
        chatId: d.chatId === null ? null : String(d.chatId),
        messageId: d.messageId,
        error: d.error,
      })),
      auditTrail: auditRows.map((a) => {
        const row = {
          at: iso(a.createdAt),
          actor: { kind: a.actorKind, telegramId: a.actorTelegramId === null ? null : String(a.actorTelegramId), name: a.actorName },
          origin: a.origin,
          action: a.action,
          entity: a.entity,
        };
        if (aboutPerson(a, person.id, telegramId))
          return {
            ...row,
            entityId: a.entityId,
            target: a.targetName,
            before: parseDetail(a.before),
            after: parseDetail(a.after),
            detail: parseDetail(a.detail),
          };
        // Only their doing (removing, replacing or erasing someone): what they did, where and
        // when stays; the other person's name and ids are that person's data, not theirs.
        const other = a.entity === "person" || a.entity === "membership";
        return {
          ...row,
          entityId: a.entity === "person" ? null : a.entityId,
          target: other ? null : a.targetName,
          before: parseDetail(a.before),
          after: parseDetail(a.after),
          detail: withoutOthers(parseDetail(a.detail)),
        };
      }),
    },
  };
}

export type RenameResult = { ok: true; before: string | null; after: string } | { ok: false; reason: "empty" | "too_long" | "control" };

/**
 * A person corrects the name recaps, histories and lists show for them. Kept in the first-name
 * field, with the moment it was chosen so that joining again does not put Telegram's back.
 */
export async function setOwnName(db: Prisma, personId: number, text: string, now: Date, actor: AuditActor): Promise<RenameResult> {
  const checked = checkOwnName(text);
  if (!checked.ok) return checked;
  return db.$transaction(async (tx) => {
    const before = await tx.person.findUniqueOrThrow({ where: { id: personId } });
    await tx.person.update({ where: { id: personId }, data: { firstName: checked.name, lastName: null, nameChosenAt: now } });
    const was = personName(before);
    await audit(tx, {
      actor,
      action: "person.rename",
      entity: "person",
      entityId: personId,
      targetName: checked.name,
      before: { name: was },
      after: { name: checked.name },
      at: now,
    });
    return { ok: true, before: was, after: checked.name };
  });
}

/** Someone an admin may erase: found by Telegram id or @username, with their seats (none, to be erased). */
export type ErasureTarget =
  | { kind: "none" }
  | { kind: "several"; count: number }
  | { kind: "found"; personId: number; telegramId: number; name: string; seats: number; erased: boolean; reports: number };

/** The one person `who` names, for an admin about to erase them. */
export async function erasureTarget(db: Prisma, who: string): Promise<ErasureTarget> {
  const people = await peopleNamed(db, who.trim());
  if (people.length === 0) return { kind: "none" };
  if (people.length > 1) return { kind: "several", count: people.length };
  return describe(db, people[0]!.id);
}

async function describe(db: Pick<Prisma, "person" | "membership" | "progressReport">, personId: number): Promise<ErasureTarget> {
  const [person, seats, reports] = await Promise.all([
    db.person.findUniqueOrThrow({ where: { id: personId } }),
    db.membership.count({ where: { personId } }),
    db.progressReport.count({ where: { personId } }),
  ]);
  return { kind: "found", personId, telegramId: Number(person.telegramId), name: displayName(person), seats, erased: person.erasedAt !== null, reports };
}

export type ErasureResult =
  | { ok: true; telegramId: number; reports: number; deliveries: number }
  | { ok: false; reason: "has_seats"; name: string; seats: number }
  | { ok: false; reason: "already_erased"; name: string };

/**
 * Erases a person who has left (no seat left): names, username, language and contact times go;
 * their open flow and the records of messages sent to them are deleted, but for those an open step
 * still needs, which stay without the chat and message they went to. Their reports (with notes
 * and evidence) stay, as the unit's work, and are shown as "PIC <unit>". The Telegram id stays:
 * it is the key that keeps a removed person out of the invite they were removed from (SeatRemoval),
 * and a hash of it would not hide it (ids are short numbers anyone can hash in turn).
 */
export async function erasePerson(db: Prisma, personId: number, actor: AuditActor, now: Date): Promise<ErasureResult> {
  return db.$transaction(async (tx): Promise<ErasureResult> => {
    const target = await describe(tx, personId);
    if (target.kind !== "found") throw new Error("unreachable");
    if (target.seats > 0) return { ok: false, reason: "has_seats", name: target.name, seats: target.seats };
    if (target.erased) return { ok: false, reason: "already_erased", name: target.name };
    await tx.person.update({
      where: { id: personId },
      data: { firstName: null, lastName: null, username: null, language: "id", startedAt: null, blockedAt: null, nameChosenAt: null, erasedAt: now },
    });
    await tx.chatFlow.deleteMany({ where: { personId } });
    // Their leaves go, and their name from the trail of them (a leave's row names its person).
    const leaves = await tx.leave.findMany({ where: { personId }, select: { id: true } });
    await tx.auditLog.updateMany({ where: { entity: "leave", entityId: { in: leaves.map((l) => String(l.id)) } }, data: { targetName: null } });
    await tx.leave.deleteMany({ where: { personId } });
    // Message records go as retention would take them (retention.ts): finished, no report answering
    // them, their step done or none. The rest still count for open steps (escalations say whether a
    // reminder was sent and the head told; each message is sent once): they stay, without the chat
    // they went to.
    const deliveries = await tx.delivery.deleteMany({
      where: { personId, status: { not: "pending" }, reports: { none: {} }, OR: [{ milestoneId: null }, { milestone: { status: "done" } }] },
    });
    await tx.delivery.updateMany({ where: { personId }, data: { chatId: null, messageId: null, error: null } });
    // The trail keeps what was done, not who by name: their name goes from what they did, from
    // the changes made to them (a rename keeps both names) and from the removals of their seats.
    await tx.auditLog.updateMany({ where: { actorPersonId: personId }, data: { actorName: null } });
    await tx.auditLog.updateMany({ where: { entity: "person", entityId: String(personId) }, data: { targetName: null } });
    await tx.auditLog.updateMany({
      where: { entity: "person", entityId: String(personId), action: "person.rename" },
      data: { before: null, after: null, detail: null },
    });
    await tx.auditLog.updateMany({
      where: { entity: "membership", OR: [{ detail: { contains: `"personId":${personId},` } }, { detail: { contains: `"personId":${personId}}` } }] },
      data: { targetName: null },
    });
    // Removals recorded before the trail named its targets keep the name in their detail, beside
    // the Telegram id ({"person":<id>,"name":…}).
    const older = await tx.auditLog.findMany({
      where: { entity: "membership", detail: { contains: `"person":${target.telegramId},` } },
      select: { id: true, detail: true },
    });
    for (const row of older) {
      const { name: _name, ...rest } = JSON.parse(row.detail!) as Record<string, unknown>;
      if (rest.person === target.telegramId) await tx.auditLog.update({ where: { id: row.id }, data: { detail: JSON.stringify(rest), targetName: null } });
    }
    // The audit row carries no name: it would keep what was just erased.
    await audit(tx, {
      actor,
      action: "person.erase",
      entity: "person",
      entityId: personId,
      detail: { person: target.telegramId, reports: target.reports, deliveries: deliveries.count },
      at: now,
    });
    return { ok: true, telegramId: target.telegramId, reports: target.reports, deliveries: deliveries.count };
  });
}
