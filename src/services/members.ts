import type { Prisma } from "../db/connection.js";
import { AppError } from "../domain/errors.js";
import type { Role } from "../domain/statuses.js";
import { displayName } from "../domain/text.js";
import { cancelPending } from "../outbox/index.js";
import { actorLabel, audit, placeOfSeat, type AuditActor } from "./audit.js";
import { authorityOf, mayManage, type Manager, type Seat } from "./authority.js";
import { coversProgram, coversRegion, type ScopeUnit } from "./scope.js";
import { createInvite, findUnit, type CreatedInvite } from "./invites.js";
import type { Person } from "./people.js";

// People leaving: a manager removes or replaces someone's seat, or a person leaves their own.
// Removing deletes the Membership row, so every view derived from memberships loses it at once;
// the person's past reports stay theirs. Data only; the bot layer words it.

/** Someone holding a seat, as the members list shows them. */
export interface SeatHolder {
  membershipId: number;
  role: Role;
  name: string;
  telegramId: number;
  /** Unit name, or program (and region) name for a coordinator. */
  where: string;
  since: Date;
}

export type MembersView =
  | { kind: "unit"; unit: ScopeUnit; members: SeatHolder[] }
  | { kind: "coordinators"; members: SeatHolder[] }
  | { kind: "admin_only" }
  | Extract<ReturnType<typeof findUnit>, { kind: "not_found" | "ambiguous" }>;

/** What a removal did, for the messages to the manager and to the person removed. */
export interface Removal {
  membershipId: number;
  role: Role;
  where: string;
  /** The unit's code and time zone (the region's for a coordinator); null when not known. */
  unitCode: string | null;
  timezone: string | null;
  person: { id: number; telegramId: number; name: string; language: string };
  /** Messages planned for the person that depended on the seat and will not be sent. */
  cancelled: number;
  /** The coordinator who removed them; null when an admin did, or when they left. */
  by: string | null;
  self: boolean;
}

export type RemovalResult = { ok: true; removal: Removal } | { ok: false; reason: "gone" | "not_allowed" };

const seatInclude = { person: true, unit: { include: { region: true } }, program: true, region: true } as const;
type SeatRow = NonNullable<Awaited<ReturnType<typeof loadSeat>>>;
const loadSeat = (db: Prisma, id: number) => db.membership.findUnique({ where: { id }, include: seatInclude });

const whereOf = (m: { unit: { name: string } | null; program: { name: string } | null; region: { name: string } | null }) =>
  m.unit?.name ?? [m.program?.name, m.region?.name].filter(Boolean).join(" — ");

function holder(m: SeatRow): SeatHolder {
  return {
    membershipId: m.id,
    role: m.role as Role,
    name: displayName(m.person),
    telegramId: Number(m.person.telegramId),
    where: whereOf(m),
    since: m.createdAt,
  };
}

/** Words naming the coordinators' list in /anggota (Indonesian and English). */
const coordinatorWords = new Set(["koordinator", "coordinator", "coordinators"]);

/**
 * The people of a unit in the manager's reach (its focal points, then its heads, those seats
 * the manager may manage), found by code or name; for an admin, `koordinator` lists every program's coordinators.
 */
export async function membersOf(db: Prisma, manager: Manager, query: string): Promise<MembersView> {
  if (coordinatorWords.has(query.trim().toLowerCase())) {
    if (!manager.admin) return { kind: "admin_only" };
    const rows = await db.membership.findMany({ where: { role: "koordinator" }, include: seatInclude, orderBy: [{ programId: "asc" }, { id: "asc" }] });
    return { kind: "coordinators", members: rows.map(holder) };
  }
  const authority = await authorityOf(db, manager);
  const found = findUnit(authority.units, query);
  if (found.kind !== "found") return found;
  const rows = await db.membership.findMany({
    where: { unitId: found.unit.id, role: { in: ["pic", "kepala"] } },
    include: seatInclude,
    orderBy: { id: "asc" },
  });
  // Only the seats the manager may act on: another program's focal point is not theirs to list.
  const mine = rows.filter((m) => mayManage(authority, m, "member"));
  const order = (m: SeatRow) => (m.role === "pic" ? 0 : 1);
  return { kind: "unit", unit: found.unit, members: mine.sort((a, b) => order(a) - order(b)).map(holder) };
}

/** The seat, when it is there and within the manager's reach. */
async function managedSeat(
  db: Prisma,
  manager: Manager,
  membershipId: number,
): Promise<{ ok: true; row: SeatRow } | { ok: false; reason: "gone" | "not_allowed" }> {
  const row = await loadSeat(db, membershipId);
  if (!row) return { ok: false, reason: "gone" };
  if (!mayManage(await authorityOf(db, manager), row, "member")) return { ok: false, reason: "not_allowed" };
  return { ok: true, row };
}

/** A seat the manager may remove, or why not (for the confirmation). */
export async function removableSeat(
  db: Prisma,
  manager: Manager,
  membershipId: number,
): Promise<{ ok: true; seat: SeatHolder } | { ok: false; reason: "gone" | "not_allowed" }> {
  const found = await managedSeat(db, manager, membershipId);
  return found.ok ? { ok: true, seat: holder(found.row) } : found;
}

/** The coordinator's name as the person removed is told it; null for an admin. */
async function removedBy(db: Prisma, manager: Manager): Promise<string | null> {
  return manager.admin ? null : displayName(await db.person.findUniqueOrThrow({ where: { id: manager.person.id } }));
}

/** Removes a seat within the manager's reach (see `removeSeat`). */
export async function removeMember(db: Prisma, manager: Manager, membershipId: number, now: Date): Promise<RemovalResult> {
  const found = await managedSeat(db, manager, membershipId);
  return found.ok ? removeSeat(db, found.row, manager.actor, "member.remove", await removedBy(db, manager), now) : found;
}

/**
 * Removes a seat and makes a fresh invite for the same unit (or program and region) and role,
 * with the usual defaults, for the person taking it over.
 */
export async function replaceMember(
  db: Prisma,
  manager: Manager,
  membershipId: number,
  now: Date,
): Promise<{ ok: true; removal: Removal; invite: CreatedInvite } | { ok: false; reason: "gone" | "not_allowed" }> {
  const found = await managedSeat(db, manager, membershipId);
  if (!found.ok) return found;
  const { row } = found;
  const removed = await removeSeat(db, row, manager.actor, "member.remove", await removedBy(db, manager), now);
  if (!removed.ok) return removed;
  const invite = await createInvite(db, {
    role: row.role as Role,
    unitCode: row.unit?.code,
    // The successor holds the same seat: a unit's work in the same program (or in all of them).
    programName: row.program?.name,
    regionName: row.unit ? undefined : row.region?.name,
    actor: manager.actor,
    createdById: manager.admin ? (manager.personId ?? undefined) : manager.person.id,
    now,
  });
  return { ok: true, removal: removed.removal, invite };
}

/** A person leaves one of their own seats. */
export async function leaveSeat(db: Prisma, person: Person, membershipId: number, now: Date, actor: AuditActor): Promise<RemovalResult> {
  const row = await loadSeat(db, membershipId);
  if (!row || row.personId !== person.id) return { ok: false, reason: "gone" };
  return removeSeat(db, row, actor, "member.leave", null, now);
}

/** The seats of a person, for leaving one: label, role and id. */
export async function ownSeats(db: Prisma, person: Person): Promise<SeatHolder[]> {
  const rows = await db.membership.findMany({ where: { personId: person.id }, include: seatInclude, orderBy: { id: "asc" } });
  return rows.map(holder);
}

/** The people an admin names by Telegram id (digits) or @username (several may share an old username). */
export async function peopleNamed(db: Pick<Prisma, "person">, who: string): Promise<{ id: number; telegramId: bigint }[]> {
  const username = who.replace(/^@/, "");
  const select = { id: true, telegramId: true } as const;
  return /^\d+$/.test(who)
    ? db.person.findMany({ where: { telegramId: BigInt(who) }, select })
    : db.person.findMany({ where: { OR: [{ username }, { username: username.toLowerCase() }] }, select });
}

/**
 * The seats of one person for `pantau remove`: by Telegram id or @username, narrowed by unit
 * code, role or program. Several left means the admin must say which.
 */
export async function seatsOf(db: Prisma, who: string, filter: { unitCode?: string; role?: Role; programName?: string }): Promise<SeatHolder[]> {
  const people = await peopleNamed(db, who);
  if (people.length === 0) throw new AppError("member.unknown_person", { person: who });
  const rows = await db.membership.findMany({
    where: {
      personId: { in: people.map((p) => p.id) },
      ...(filter.role ? { role: filter.role } : {}),
      ...(filter.unitCode ? { unit: { code: filter.unitCode.toUpperCase() } } : {}),
      ...(filter.programName
        ? { OR: [{ program: { name: filter.programName } }, { unit: { initiatives: { some: { program: { name: filter.programName } } } } }] }
        : {}),
    },
    include: seatInclude,
    orderBy: { id: "asc" },
  });
  return rows.map(holder);
}

/**
 * In one transaction: deletes the membership, cancels the person's pending messages that
 * depended on it (all of them when no seat is left), records the removal, ends their open flow
 * so its buttons go stale, and writes the audit row. A second removal of the same seat finds it gone.
 */
async function removeSeat(
  db: Prisma,
  row: SeatRow,
  actor: AuditActor,
  action: "member.remove" | "member.leave",
  by: string | null,
  now: Date,
): Promise<RemovalResult> {
  return db.$transaction(async (tx): Promise<RemovalResult> => {
    const deleted = await tx.membership.deleteMany({ where: { id: row.id } });
    if (deleted.count !== 1) return { ok: false, reason: "gone" };
    const remaining = await tx.membership.findMany({ where: { personId: row.personId } });
    const cancelled = await cancelDependent(tx, row, remaining, action);
    // The durable record: a person removed may not take the seat back through the same invite.
    await tx.seatRemoval.create({
      data: {
        personId: row.personId,
        role: row.role,
        unitId: row.unitId,
        programId: row.programId,
        regionId: row.regionId,
        inviteId: row.inviteId,
        reason: action === "member.leave" ? "left" : "removed",
        actor: actorLabel(actor),
        removedAt: now,
      },
    });
    await tx.chatFlow.deleteMany({ where: { personId: row.personId } });
    const removal: Removal = {
      membershipId: row.id,
      role: row.role as Role,
      where: whereOf(row),
      unitCode: row.unit?.code ?? null,
      timezone: row.unit?.region.timezone ?? row.region?.timezone ?? null,
      person: { id: row.person.id, telegramId: Number(row.person.telegramId), name: displayName(row.person), language: row.person.language },
      cancelled,
      by,
      self: action === "member.leave",
    };
    await audit(tx, {
      actor,
      action,
      entity: "membership",
      entityId: row.id,
      targetName: removal.person.name,
      ...(await placeOfSeat(tx, row)),
      before: { role: row.role, where: removal.where, since: row.createdAt },
      after: null,
      detail: { person: removal.person.telegramId, personId: row.personId, unitId: row.unitId, cancelled },
      at: now,
    });
    return { ok: true, removal };
  });
}

/** The kinds of message each role's seat is the reason for. */
const dependentKinds: Record<string, string[]> = {
  pic: ["reminder", "overdue", "nudge"],
  kepala: ["escalation_head"],
  koordinator: ["escalation_coord", "escalation_unreached"],
};

/**
 * Cancels the person's pending messages about steps the removed seat covered and no seat they
 * still hold covers (a focal point of one unit for programs A and B keeps B's reminders when
 * the A seat goes); every pending message when no seat is left. Returns how many.
 */
async function cancelDependent(tx: Pick<Prisma, "delivery">, row: Seat & { personId: number }, remaining: Seat[], action: string): Promise<number> {
  const pending = { personId: row.personId, status: "pending" };
  if (remaining.length === 0) return cancelPending(tx, pending, action);
  type Step = { unitId: number; programId: number; regionId: number };
  // Whether a seat of the removed seat's role is the reason for messages about this step.
  const covers = (m: Seat, s: Step) =>
    m.role === row.role &&
    (m.role === "koordinator" ? m.programId === s.programId && coversRegion(m, s.regionId) : m.unitId === s.unitId && coversProgram(m, s.programId));
  const rows = await tx.delivery.findMany({
    where: { ...pending, kind: { in: dependentKinds[row.role] ?? [] }, OR: [{ milestoneId: { not: null } }, { programId: { not: null } }] },
    select: {
      id: true,
      programId: true,
      milestone: { select: { initiative: { select: { unitId: true, programId: true, unit: { select: { regionId: true } } } } } },
    },
  });
  const ids = rows
    .filter((d) => {
      // A coordinator's summary of a program goes with the last of their seats in it.
      if (!d.milestone)
        return row.role === "koordinator" && row.programId === d.programId && !remaining.some((m) => m.role === row.role && m.programId === d.programId);
      const i = d.milestone.initiative;
      const step = { unitId: i.unitId, programId: i.programId, regionId: i.unit.regionId };
      return covers(row, step) && !remaining.some((m) => covers(m, step));
    })
    .map((d) => d.id);
  return ids.length === 0 ? 0 : cancelPending(tx, { id: { in: ids } }, action);
}
