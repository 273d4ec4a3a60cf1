import type { Prisma } from "../db/connection.js";
import { personName } from "../domain/text.js";
import type { Membership, Person } from "./people.js";

// The audit trail: one row per change (and per bulk read of other people's data) saying who,
// from where, what, on which target, in which program and region, and for an update what it was
// before and after. Rows are written with the app's clock and never changed afterwards.

/** The Telegram chat an action came from: a private chat with the bot, or a group. */
export interface AuditChat {
  id: number;
  kind: "private" | "group";
}

/** Who acted: a person in Telegram, the admin's command line, the scheduler, or Pantau itself. */
export type AuditActor =
  | { kind: "person"; id: number; telegramId: number; chat: AuditChat | null; seats?: readonly Membership[] }
  | { kind: "cli"; osUser: string | null }
  | { kind: "scheduler" }
  | { kind: "system" };

/** One change to record. `at` is the app's clock: the database's clock is never used. */
export interface AuditEntry {
  actor: AuditActor;
  action: string;
  entity: string;
  entityId: string | number | null;
  /** What the target was called at that moment. */
  targetName?: string | null;
  programId?: number | null;
  regionId?: number | null;
  before?: unknown;
  after?: unknown;
  detail?: unknown;
  at: Date;
}

/**
 * Records a bulk read of other people's personal data (an export, a history, evidence sent
 * again): one row per program read, so each program's trail shows it. Actions end in ".read",
 * which retention purges after a year (retention.ts).
 */
export async function auditRead(
  db: Pick<Prisma, "auditLog" | "person">,
  entry: Omit<AuditEntry, "programId" | "action"> & { action: `${string}.read`; programIds: number[] },
): Promise<void> {
  const { programIds, ...rest } = entry;
  for (const programId of programIds.length ? [...new Set(programIds)] : [null]) await audit(db, { ...rest, programId });
}

/**
 * Where a seat (or an invite) belongs in the trail: its program, else (a unit's seat for all its
 * programs) the unit's program when it takes part in one only; its region, else its unit's.
 */
export async function placeOfSeat(
  db: Pick<Prisma, "initiative" | "unit">,
  seat: { programId: number | null; regionId: number | null; unitId: number | null },
): Promise<{ programId: number | null; regionId: number | null }> {
  if (seat.unitId === null || (seat.programId !== null && seat.regionId !== null)) return { programId: seat.programId, regionId: seat.regionId };
  const [programs, unit] = await Promise.all([
    seat.programId === null ? db.initiative.findMany({ where: { unitId: seat.unitId }, select: { programId: true }, distinct: ["programId"], take: 2 }) : [],
    db.unit.findUnique({ where: { id: seat.unitId }, select: { regionId: true } }),
  ]);
  return { programId: seat.programId ?? (programs.length === 1 ? programs[0]!.programId : null), regionId: seat.regionId ?? unit?.regionId ?? null };
}

/**
 * The program and region of a person's seats, each when all of their seats share it (so that
 * the coordinator's trail shows an entry about the person), else null.
 */
export async function placeOfSeats(
  db: Pick<Prisma, "initiative" | "unit">,
  seats: readonly { programId: number | null; regionId: number | null; unitId: number | null }[],
): Promise<{ programId: number | null; regionId: number | null }> {
  const places = await Promise.all(seats.map((m) => placeOfSeat(db, m)));
  const one = <T>(values: T[]) => (new Set(values).size === 1 ? values[0]! : null);
  return { programId: one(places.map((p) => p.programId)), regionId: one(places.map((p) => p.regionId)) };
}

/** A person acting in Telegram, and the chat they wrote in. */
export function personActor(person: Pick<Person, "id" | "telegramId" | "memberships">, chat: AuditChat | null): AuditActor {
  return { kind: "person", id: person.id, telegramId: person.telegramId, chat, seats: person.memberships };
}

/** The actor as a seat removal names it: "telegram:<id>", "cli" or "scheduler". */
export function actorLabel(actor: AuditActor): string {
  return actor.kind === "person" ? `telegram:${actor.telegramId}` : actor.kind;
}

const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

/** The seat a person most likely acted from (see below). */
function seatOf(seats: readonly Membership[] | undefined, programId: number | null | undefined): Membership | null {
  if (!seats?.length) return null;
  // An entry outside any program (a language change) names their first seat; one in a program,
  // a seat of that program or of all programs, else none (an admin acting beyond their seats).
  if (programId == null) return seats[0]!;
  return seats.find((s) => s.programId === programId) ?? seats.find((s) => s.programId === null) ?? null;
}

/**
 * Records one entry. A person's name is read with the row's own writer, in its transaction when
 * it has one: a name held since the update began would come back after an erasure meanwhile.
 */
export async function audit(db: Pick<Prisma, "auditLog" | "person">, entry: AuditEntry): Promise<void> {
  const { actor } = entry;
  const seat = actor.kind === "person" ? seatOf(actor.seats, entry.programId) : null;
  const named =
    actor.kind === "person" ? await db.person.findUnique({ where: { id: actor.id }, select: { firstName: true, lastName: true, username: true } }) : null;
  await db.auditLog.create({
    data: {
      createdAt: entry.at,
      actorKind: actor.kind,
      actorPersonId: actor.kind === "person" ? actor.id : null,
      actorTelegramId: actor.kind === "person" ? BigInt(actor.telegramId) : null,
      actorName: actor.kind === "person" ? named && personName(named) : actor.kind === "cli" ? actor.osUser : null,
      actorRole: seat?.role ?? null,
      actorSeat: seat?.label ?? null,
      origin: actor.kind === "person" ? (actor.chat?.kind ?? "telegram") : actor.kind,
      chatId: actor.kind === "person" && actor.chat ? BigInt(actor.chat.id) : null,
      action: entry.action,
      entity: entry.entity,
      entityId: entry.entityId === null ? null : String(entry.entityId),
      targetName: entry.targetName ?? null,
      programId: entry.programId ?? null,
      regionId: entry.regionId ?? null,
      before: json(entry.before),
      after: json(entry.after),
      detail: json(entry.detail),
    },
  });
}

/** An audit row as readers (the CLI, /jejak, /dataku) get it: JSON parsed, program and region named. */
export interface AuditRecord {
  id: number;
  at: Date;
  actor: {
    kind: string;
    personId: number | null;
    telegramId: number | null;
    name: string | null;
    role: string | null;
    seat: string | null;
  };
  /** private | group | telegram | cli | scheduler | system */
  origin: string;
  chatId: number | null;
  action: string;
  entity: string;
  entityId: string | null;
  targetName: string | null;
  program: { id: number; name: string } | null;
  region: { id: number; name: string; timezone: string } | null;
  before: unknown;
  after: unknown;
  detail: unknown;
}

/** Who an auditor asks about: a person (by Telegram id or @username, resolved to ids), the CLI, the scheduler. */
export type ActorFilter = { kind: "person"; telegramIds: bigint[] } | { kind: "cli" } | { kind: "scheduler" };

export interface AuditFilter {
  since?: Date;
  /** Exclusive. */
  until?: Date;
  programId?: number;
  actor?: ActorFilter;
  /** A coordinator's reach: entries of these programs (and regions of them), nothing else. */
  reach?: { programId: number; regionIds: number[] | null }[];
}

/** The Prisma filter of an audit query. */
export function auditWhere(filter: AuditFilter) {
  const actor = filter.actor;
  return {
    AND: [
      filter.since || filter.until ? { createdAt: { ...(filter.since ? { gte: filter.since } : {}), ...(filter.until ? { lt: filter.until } : {}) } } : {},
      filter.programId !== undefined ? { programId: filter.programId } : {},
      !actor
        ? {}
        : actor.kind === "person"
          ? { actorTelegramId: { in: actor.telegramIds } }
          : actor.kind === "scheduler"
            ? // Rows from before the scheduler had its own kind carry "system".
              { actorKind: { in: ["scheduler", "system"] } }
            : { actorKind: "cli" },
      filter.reach
        ? { OR: [...filter.reach.map((r) => ({ programId: r.programId, ...(r.regionIds ? { regionId: { in: r.regionIds } } : {}) })), { id: -1 }] }
        : {},
    ],
  };
}

type AuditRow = Awaited<ReturnType<Prisma["auditLog"]["findMany"]>>[number];

const parse = (text: string | null): unknown => {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** Rows with their program and region looked up once per page (a region's time zone dates the row). */
async function records(db: Prisma, rows: AuditRow[]): Promise<AuditRecord[]> {
  const programIds = [...new Set(rows.map((r) => r.programId).filter((id) => id !== null))];
  const regionIds = [...new Set(rows.map((r) => r.regionId).filter((id) => id !== null))];
  const [programs, regions] = await Promise.all([
    programIds.length ? db.program.findMany({ where: { id: { in: programIds } }, select: { id: true, name: true } }) : [],
    regionIds.length ? db.region.findMany({ where: { id: { in: regionIds } }, select: { id: true, name: true, timezone: true } }) : [],
  ]);
  const programOf = new Map(programs.map((p) => [p.id, p]));
  const regionOf = new Map(regions.map((r) => [r.id, r]));
  return rows.map((r) => ({
    id: r.id,
    at: r.createdAt,
    actor: {
      kind: r.actorKind,
      personId: r.actorPersonId,
      telegramId: r.actorTelegramId === null ? null : Number(r.actorTelegramId),
      name: r.actorName,
      role: r.actorRole,
      seat: r.actorSeat,
    },
    origin: r.origin,
    chatId: r.chatId === null ? null : Number(r.chatId),
    action: r.action,
    entity: r.entity,
    entityId: r.entityId,
    targetName: r.targetName,
    program: r.programId === null ? null : (programOf.get(r.programId) ?? { id: r.programId, name: `#${r.programId}` }),
    region: r.regionId === null ? null : (regionOf.get(r.regionId) ?? null),
    before: parse(r.before),
    after: parse(r.after),
    detail: parse(r.detail),
  }));
}

/**
 * The matching rows oldest first, a page at a time (by id, so a trail of millions is never in
 * memory at once and rows written meanwhile come at the end).
 */
export async function* auditTrail(db: Prisma, filter: AuditFilter, pageSize = 500): AsyncGenerator<AuditRecord[]> {
  const where = auditWhere(filter);
  let after = 0;
  for (;;) {
    const rows = await db.auditLog.findMany({ where: { AND: [where, { id: { gt: after } }] }, orderBy: { id: "asc" }, take: pageSize });
    if (rows.length === 0) return;
    yield await records(db, rows);
    after = rows.at(-1)!.id;
    if (rows.length < pageSize) return;
  }
}

/** One screen of the trail, newest first: the latest, or those older than / newer than an entry id. */
export interface AuditPage {
  entries: AuditRecord[];
  /** Whether there are entries beyond each end of the page. */
  older: boolean;
  newer: boolean;
}

export async function auditPage(db: Prisma, filter: AuditFilter, at: { olderThan?: number; newerThan?: number }, size: number): Promise<AuditPage> {
  const where = auditWhere(filter);
  const newerThan = at.newerThan;
  const rows =
    newerThan !== undefined
      ? (await db.auditLog.findMany({ where: { AND: [where, { id: { gt: newerThan } }] }, orderBy: { id: "asc" }, take: size })).reverse()
      : await db.auditLog.findMany({
          where: { AND: [where, ...(at.olderThan !== undefined ? [{ id: { lt: at.olderThan } }] : [])] },
          orderBy: { id: "desc" },
          take: size,
        });
  if (rows.length === 0) return { entries: [], older: false, newer: false };
  const [older, newer] = await Promise.all([
    db.auditLog.findFirst({ where: { AND: [where, { id: { lt: rows.at(-1)!.id } }] }, select: { id: true } }),
    db.auditLog.findFirst({ where: { AND: [where, { id: { gt: rows[0]!.id } }] }, select: { id: true } }),
  ]);
  return { entries: await records(db, rows), older: older !== null, newer: newer !== null };
}

/** The fields an update changed, from its before and after (for a reader's "before → after"). */
export function fieldChanges(record: Pick<AuditRecord, "before" | "after">): { field: string; before: unknown; after: unknown }[] {
  const asObject = (v: unknown) => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const [before, after] = [asObject(record.before), asObject(record.after)];
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]))
    .map((field) => ({ field, before: before[field] ?? null, after: after[field] ?? null }));
}
