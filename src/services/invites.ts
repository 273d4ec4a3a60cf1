import { createHash, randomBytes } from "node:crypto";
import type { Prisma } from "../db/connection.js";
import { AppError } from "../domain/errors.js";
import type { Role } from "../domain/statuses.js";
import { audit, personActor, placeOfSeat, type AuditActor, type AuditChat } from "./audit.js";
import { authorityOf, mayManage, type Manager } from "./authority.js";
import { coordinatedPrograms, programUnits, type CoordinatedProgram, type ScopeUnit } from "./scope.js";
import type { Person } from "./people.js";
import { displayName, normalize } from "../domain/text.js";

export interface InviteRequest {
  role: Role;
  unitCode?: string;
  programName?: string;
  regionName?: string;
  /** How many people may use it (default 1 for a focal point or head, 5 for coordinators). */
  maxUses?: number;
  /** Days until it expires (default 14). */
  days?: number;
  actor: AuditActor;
  createdById?: number;
  now: Date;
}

export interface CreatedInvite {
  id: number;
  code: string;
  role: Role;
  /** Unit name, or program (and region) name. */
  target: string;
  maxUses: number;
  expiresAt: Date;
}

/** The stored form of an invite code: only its hash is kept. */
function hashCode(code: string): string {
  return createHash("sha256").update(code).digest("hex");
}

/** An unguessable code for a deep link (128 random bits, Telegram's start-parameter alphabet). */
function newCode(): string {
  return randomBytes(16).toString("base64url");
}

/** Creates an invite to a unit (focal point, head) or a program (coordinator). */
export async function createInvite(db: Prisma, request: InviteRequest): Promise<CreatedInvite> {
  const now = request.now;
  const days = request.days ?? 14;
  const maxUses = request.maxUses ?? (request.role === "koordinator" ? 5 : 1);
  if (!Number.isInteger(days) || days < 1 || days > 365) throw new AppError("invite.bad_days");
  if (!Number.isInteger(maxUses) || maxUses < 1 || maxUses > 1000) throw new AppError("invite.bad_uses");

  let target: { unitId?: number; programId?: number; regionId?: number; label: string };
  /** The region the invite belongs to (a unit's), for the audit trail. */
  let regionOfTarget: number | null;
  if (request.role === "koordinator") {
    const programs = request.programName ? await db.program.findMany({ where: { name: request.programName } }) : await db.program.findMany();
    if (programs.length === 0) throw new AppError(request.programName ? "invite.unknown_program" : "invite.no_program", { program: request.programName ?? "" });
    if (programs.length > 1) throw new AppError("invite.choose_program", { programs: programs.map((p) => p.name).join("; ") });
    const program = programs[0]!;
    let region: { id: number; name: string } | null = null;
    if (request.regionName) {
      region = await db.region.findFirst({
        where: { name: request.regionName, units: { some: { initiatives: { some: { programId: program.id } } } } },
      });
      if (!region) throw new AppError("invite.unknown_region", { region: request.regionName, program: program.name });
    }
    target = { programId: program.id, regionId: region?.id, label: [program.name, region?.name].filter(Boolean).join(" — ") };
    regionOfTarget = region?.id ?? null;
  } else {
    if (!request.unitCode) throw new AppError("invite.unit_required");
    const unit = await db.unit.findUnique({ where: { code: request.unitCode.toUpperCase() } });
    if (!unit) throw new AppError("invite.unknown_unit", { unit: request.unitCode });
    // Named, the program limits the membership to the unit's work in it (a coordinator's
    // invite); without one (the admin's), the unit's work in every program.
    let programId: number | undefined;
    if (request.programName) {
      const program = await db.program.findFirst({ where: { name: request.programName, initiatives: { some: { unitId: unit.id } } } });
      if (!program) throw new AppError("invite.unknown_program", { program: request.programName });
      programId = program.id;
    }
    target = { unitId: unit.id, programId, label: unit.name };
    regionOfTarget = unit.regionId;
  }

  const code = newCode();
  const expiresAt = new Date(now.getTime() + days * 86_400_000);
  const invite = await db.invite.create({
    data: {
      codeHash: hashCode(code),
      role: request.role,
      unitId: target.unitId ?? null,
      programId: target.programId ?? null,
      regionId: target.regionId ?? null,
      maxUses,
      expiresAt,
      createdById: request.createdById ?? null,
      createdAt: now,
    },
  });
  await audit(db, {
    actor: request.actor,
    action: "invite.create",
    entity: "invite",
    entityId: invite.id,
    targetName: target.label,
    ...(await placeOfSeat(db, { programId: target.programId ?? null, regionId: regionOfTarget, unitId: target.unitId ?? null })),
    detail: { role: request.role, maxUses, expiresAt },
    at: now,
  });
  return { id: invite.id, code, role: request.role, target: target.label, maxUses, expiresAt };
}

export interface TelegramUser {
  id: number;
  firstName?: string;
  lastName?: string;
  username?: string;
  language: string;
}

export interface AcceptedInvite {
  role: Role;
  target: string;
  alreadyMember: boolean;
}

/** Thrown inside a redemption to undo it: the person already was a member. */
class AlreadyMember extends Error {}

/**
 * Binds a Telegram user to the invite's unit or program in its role. A wrong, expired,
 * revoked or used-up code fails with the same error, revealing nothing about the invite.
 */
export async function acceptInvite(db: Prisma, code: string, user: TelegramUser, chat: AuditChat | null, now: Date): Promise<AcceptedInvite> {
  const refused = new AppError("invite.refused");
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(code)) throw refused;
  const invite = await db.invite.findUnique({
    where: { codeHash: hashCode(code) },
    include: { unit: true, program: true, region: true },
  });
  if (!invite || invite.revokedAt || invite.expiresAt <= now) throw refused;
  const role = invite.role as Role;
  const target = invite.unit?.name ?? [invite.program?.name, invite.region?.name].filter(Boolean).join(" — ");

  try {
    return await db.$transaction(async (tx) => {
      // The person's row first: the same person opening the link twice at once waits here for the
      // first to end, then finds the membership it made.
      const person = await tx.person.upsert({
        where: { telegramId: BigInt(user.id) },
        create: {
          telegramId: BigInt(user.id),
          firstName: user.firstName ?? null,
          lastName: user.lastName ?? null,
          username: user.username ?? null,
          language: user.language,
          startedAt: now,
        },
        update: { username: user.username ?? null, startedAt: now, blockedAt: null, erasedAt: null },
      });
      // Telegram's name, unless the person chose their own with /nama.
      const names = { firstName: user.firstName ?? null, lastName: user.lastName ?? null };
      if (!person.nameChosenAt && (person.firstName !== names.firstName || person.lastName !== names.lastName)) {
        await tx.person.update({ where: { id: person.id }, data: names });
      }
      const member = { personId: person.id, role, unitId: invite.unitId, programId: invite.programId, regionId: invite.regionId };
      if (await tx.membership.findFirst({ where: member })) throw new AlreadyMember();
      // A person a manager removed does not take the seat back through the link they joined with
      // or any other made before the removal (a unit's link may have a hundred uses); told exactly
      // as a wrong code. Only the seat's latest end counts: someone who left by themselves, or was
      // invited again after a removal, may come back.
      const ended = await tx.seatRemoval.findFirst({
        where: { personId: person.id, role, unitId: invite.unitId, programId: invite.programId, regionId: invite.regionId },
        orderBy: [{ removedAt: "desc" }, { id: "desc" }],
      });
      if (ended?.reason === "removed" && (ended.inviteId === invite.id || invite.createdAt < ended.removedAt)) throw refused;
      // Taken at the business clock's moment: escalations owed before it are summarised, not replayed.
      await tx.membership.create({ data: { ...member, inviteId: invite.id, createdAt: now } });
      const seat = { role, unitId: invite.unitId, programId: invite.programId, regionId: invite.regionId, label: target };
      await audit(tx, {
        actor: personActor({ id: person.id, telegramId: user.id, memberships: [seat] }, chat),
        action: "invite.accept",
        entity: "invite",
        entityId: invite.id,
        targetName: target,
        ...(await placeOfSeat(tx, invite)),
        detail: { role },
        at: now,
      });
      // Counted last, in one statement that re-checks the limit (and that the invite still holds)
      // on the row as the previous redemption left it: of many people opening one link at once,
      // each takes one of the uses left, and the row is held only until this commit.
      const claimed = await tx.invite.updateMany({
        where: { id: invite.id, revokedAt: null, expiresAt: { gt: now }, uses: { lt: invite.maxUses } },
        data: { uses: { increment: 1 } },
      });
      if (claimed.count !== 1) throw refused;
      return { role, target, alreadyMember: false };
    });
  } catch (err) {
    if (err instanceof AlreadyMember) return { role, target, alreadyMember: true };
    throw err;
  }
}

/** An invite that can still be used: not revoked, not expired, not used up. */
export interface OpenInvite {
  id: number;
  role: Role;
  /** Unit name, or program (and region) name for a coordinator's invite. */
  target: string;
  /** Unit code; null for a coordinator's invite. */
  unitCode: string | null;
  uses: number;
  maxUses: number;
  createdAt: Date;
  expiresAt: Date;
  /** Who made it in Telegram; null when made on the command line. */
  createdBy: string | null;
  /** The time zone its dates are shown in (its unit's or region's); null: the default one. */
  timezone: string | null;
  /** Its program, and its region (its unit's), for the audit trail. */
  programId: number | null;
  regionId: number | null;
}

const openInclude = { unit: { include: { region: true } }, program: true, region: true, createdBy: true } as const;

function toOpenInvite(row: Awaited<ReturnType<typeof loadInvite>> & {}): OpenInvite {
  return {
    id: row.id,
    role: row.role as Role,
    target: row.unit?.name ?? [row.program?.name, row.region?.name].filter(Boolean).join(" — "),
    unitCode: row.unit?.code ?? null,
    uses: row.uses,
    maxUses: row.maxUses,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    createdBy: row.createdBy ? displayName(row.createdBy) : null,
    timezone: row.unit?.region.timezone ?? row.region?.timezone ?? null,
    programId: row.programId,
    regionId: row.regionId ?? row.unit?.regionId ?? null,
  };
}

const loadInvite = (db: Prisma, id: number) => db.invite.findUnique({ where: { id }, include: openInclude });

/**
 * The open invites a manager may revoke, oldest first: an admin's every one (or of one program,
 * or one unit), a coordinator's those of their programs' units and their own program.
 */
export async function listOpenInvites(
  db: Prisma,
  manager: Manager,
  now: Date,
  filter: { programName?: string; unitCode?: string } = {},
): Promise<OpenInvite[]> {
  const authority = await authorityOf(db, manager);
  const unit = filter.unitCode ? await db.unit.findUnique({ where: { code: filter.unitCode.toUpperCase() } }) : null;
  if (filter.unitCode && !unit) throw new AppError("invite.unknown_unit", { unit: filter.unitCode });
  const program = filter.programName ? await db.program.findUnique({ where: { name: filter.programName } }) : null;
  if (filter.programName && !program) throw new AppError("invite.unknown_program", { program: filter.programName });
  const rows = await db.invite.findMany({
    where: {
      revokedAt: null,
      expiresAt: { gt: now },
      AND: [
        unit ? { unitId: unit.id } : {},
        program ? { OR: [{ programId: program.id }, { unit: { initiatives: { some: { programId: program.id } } } }] } : {},
        authority.admin ? {} : { OR: [{ unitId: { in: authority.units.map((u) => u.id) } }, { programId: { in: authority.programs.map((p) => p.id) } }] },
      ],
    },
    include: openInclude,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return rows.filter((row) => row.uses < row.maxUses && mayManage(authority, row, "invite")).map(toOpenInvite);
}

export type InviteCheck = { ok: true; invite: OpenInvite } | { ok: false; reason: "gone" | "not_allowed" };

/** An invite the manager may revoke, or why not (out of their reach, or no longer open). */
export async function openInvite(db: Prisma, manager: Manager, inviteId: number, now: Date): Promise<InviteCheck> {
  const row = await loadInvite(db, inviteId);
  if (!row) return { ok: false, reason: "gone" };
  if (!mayManage(await authorityOf(db, manager), row, "invite")) return { ok: false, reason: "not_allowed" };
  if (row.revokedAt || row.expiresAt <= now || row.uses >= row.maxUses) return { ok: false, reason: "gone" };
  return { ok: true, invite: toOpenInvite(row) };
}

/**
 * Revokes an open invite within the manager's reach: its code is then refused exactly like a
 * wrong one (see `acceptInvite`); people who joined with it stay. Conditional, so of two
 * revokes arriving together one acts and one audit row is written.
 */
export async function revokeInvite(db: Prisma, manager: Manager, inviteId: number, now: Date): Promise<InviteCheck> {
  const check = await openInvite(db, manager, inviteId, now);
  if (!check.ok) return check;
  return db.$transaction(async (tx): Promise<InviteCheck> => {
    const revoked = await tx.invite.updateMany({ where: { id: inviteId, revokedAt: null }, data: { revokedAt: now } });
    if (revoked.count !== 1) return { ok: false, reason: "gone" };
    const { role, target, uses, maxUses } = check.invite;
    await audit(tx, {
      actor: manager.actor,
      action: "invite.revoke",
      entity: "invite",
      entityId: inviteId,
      targetName: target,
      programId: check.invite.programId,
      regionId: check.invite.regionId,
      before: { revoked: false },
      after: { revoked: true },
      detail: { role, uses, maxUses },
      at: now,
    });
    return check;
  });
}

/** The id of the invite behind a code (for `pantau revoke <code>`), or null. */
export async function inviteIdOfCode(db: Prisma, code: string): Promise<number | null> {
  return (await db.invite.findUnique({ where: { codeHash: hashCode(code) }, select: { id: true } }))?.id ?? null;
}

// ---------------------------------------------------------------------------------------------
// Invites made by a coordinator in Telegram (/undang): only within their own reach.
// ---------------------------------------------------------------------------------------------

/** The words a coordinator may put after the unit to name the role (Indonesian and English). */
export const roleWords: Record<string, Role> = {
  pic: "pic",
  narahubung: "pic",
  kepala: "kepala",
  head: "kepala",
  koordinator: "koordinator",
  coordinator: "koordinator",
};

/** Where a coordinator's invite goes, or why it cannot be made yet. */
export type InviteTarget =
  | { kind: "unit"; unit: ScopeUnit; program: string }
  | { kind: "program"; program: string; region: string | null; timezone: string }
  | { kind: "no_program" }
  | { kind: "not_found"; suggestions: ScopeUnit[] }
  | { kind: "ambiguous"; units: ScopeUnit[] }
  | { kind: "choose_program"; programs: string[] }
  /** The unit takes part in several of the inviter's programs: which one is the invite for? */
  | { kind: "choose_unit_program"; unit: ScopeUnit; programs: string[] }
  | { kind: "choose_region"; regions: string[] };

const listCap = 8;

/**
 * Finds a unit by code, then by exact name, then by a part of its name or code. A query that
 * names several units is ambiguous (the caller asks for the code); one that names none gets the
 * units sharing the most words with it.
 */
export function findUnit(units: ScopeUnit[], query: string): { kind: "found"; unit: ScopeUnit } | Extract<InviteTarget, { kind: "ambiguous" | "not_found" }> {
  const q = normalize(query);
  const coded = units.find((u) => u.code.toLowerCase() === q);
  if (coded) return { kind: "found", unit: coded };
  const named = units.filter((u) => normalize(u.name) === q);
  const like = named.length ? named : units.filter((u) => normalize(u.name).includes(q) || u.code.toLowerCase().includes(q));
  if (like.length === 1) return { kind: "found", unit: like[0]! };
  if (like.length > 1) return { kind: "ambiguous", units: like.slice(0, listCap) };
  // The units sharing the most words with the query ("Dinas" alone names nearly every unit).
  const words = q.split(/[\s-]+/).filter((w) => w.length >= 4);
  const score = (u: ScopeUnit) => words.filter((w) => normalize(u.name).includes(w) || u.code.toLowerCase().includes(w)).length;
  const best = Math.max(0, ...units.map(score));
  return { kind: "not_found", suggestions: best === 0 ? [] : units.filter((u) => score(u) === best).slice(0, 5) };
}

/**
 * A focal point's or head's invite: a unit within the inviter's reach, in one of their programs,
 * which the membership will be limited to. When the unit takes part in several of them, the
 * program's name follows the unit's code ("BABAR-DISPARBUD KIPP 2023").
 */
function unitInvite(units: ScopeUnit[], programsHolding: (unit: ScopeUnit) => CoordinatedProgram[], query: string): InviteTarget {
  const [first = "", ...rest] = query.trim().split(/\s+/);
  const coded = rest.length > 0 ? units.find((u) => u.code.toLowerCase() === first.toLowerCase()) : undefined;
  const found = coded ? ({ kind: "found", unit: coded } as const) : findUnit(units, query);
  if (found.kind !== "found") return found;
  const holding = programsHolding(found.unit);
  const named = coded ? rest.join(" ").toLowerCase() : "";
  const chosen = named ? holding.filter((p) => normalize(p.name).includes(normalize(named))) : holding;
  if (chosen.length !== 1) return { kind: "choose_unit_program", unit: found.unit, programs: (chosen.length ? chosen : holding).map((p) => p.name) };
  return { kind: "unit", unit: found.unit, program: chosen[0]!.name };
}

/**
 * Resolves what a coordinator asked an invite for. A focal point or head: a unit of one of their
 * programs within their regions (`query` is its code or name). A coordinator: never wider than
 * the inviter — their program, and their region when they are limited to one; `query` may name
 * the program, a region of it (a coordinator of the whole program may invite one for a region),
 * or a unit (which picks its program), and may be empty when there is one program.
 */
export async function resolveInviteTarget(db: Prisma, person: Person, query: string, role: Role): Promise<InviteTarget> {
  const scopes = await coordinatedPrograms(db, person);
  if (scopes.length === 0) return { kind: "no_program" };
  const unitsOf = new Map<number, ScopeUnit[]>();
  for (const scope of scopes) unitsOf.set(scope.id, await programUnits(db, scope));
  const allUnits = [...new Map([...unitsOf.values()].flat().map((u) => [u.id, u])).values()];
  const programsHolding = (unit: ScopeUnit) => scopes.filter((s) => unitsOf.get(s.id)?.some((u) => u.id === unit.id));
  if (role !== "koordinator") return unitInvite(allUnits, programsHolding, query);

  const q = normalize(query);
  const regionsOf = async (scope: CoordinatedProgram) =>
    scope.regionIds ? (await db.region.findMany({ where: { id: { in: scope.regionIds } }, orderBy: { name: "asc" } })).map((r) => r.name) : null;
  const timezoneOf = (scope: CoordinatedProgram, region: string | null) => {
    const units = unitsOf.get(scope.id) ?? [];
    return (units.find((u) => u.region === region) ?? units[0])?.timezone ?? "Asia/Jakarta";
  };
  /** The inviter's own reach in one program (one region when they are limited to one). */
  const ownReach = async (scope: CoordinatedProgram): Promise<InviteTarget> => {
    const regions = await regionsOf(scope);
    if (regions && regions.length > 1) return { kind: "choose_region", regions };
    const region = regions?.[0] ?? null;
    return { kind: "program", program: scope.name, region, timezone: timezoneOf(scope, region) };
  };

  if (!q) return scopes.length === 1 ? ownReach(scopes[0]!) : { kind: "choose_program", programs: scopes.map((s) => s.name) };

  const programs = scopes.filter((s) => normalize(s.name) === q);
  const programsLike = programs.length ? programs : scopes.filter((s) => normalize(s.name).includes(q));
  if (programsLike.length === 1) return ownReach(programsLike[0]!);
  if (programsLike.length > 1) return { kind: "choose_program", programs: programsLike.map((s) => s.name) };

  // A region of a program: the region's units are in the inviter's reach, so is the region.
  const places = scopes.flatMap((scope) => [...new Set((unitsOf.get(scope.id) ?? []).map((u) => u.region))].map((region) => ({ scope, region })));
  const exact = places.filter((p) => normalize(p.region) === q);
  const regionsLike = exact.length ? exact : places.filter((p) => normalize(p.region).includes(q));
  if (regionsLike.length === 1) {
    const { scope, region } = regionsLike[0]!;
    return { kind: "program", program: scope.name, region, timezone: timezoneOf(scope, region) };
  }
  if (regionsLike.length > 1) {
    const names = [...new Set(regionsLike.map((p) => p.region))];
    return names.length > 1 ? { kind: "choose_region", regions: names } : { kind: "choose_program", programs: regionsLike.map((p) => p.scope.name) };
  }

  // A unit names its program; the invite keeps the inviter's own regions.
  const unit = findUnit(allUnits, query);
  if (unit.kind !== "found") return unit;
  const holding = programsHolding(unit.unit);
  if (holding.length > 1) return { kind: "choose_program", programs: holding.map((s) => s.name) };
  const scope = holding[0]!;
  const regions = await regionsOf(scope);
  const region = regions === null ? null : regions.length === 1 ? regions[0]! : unit.unit.region;
  return { kind: "program", program: scope.name, region, timezone: timezoneOf(scope, region) };
}

/** Creates the invite a coordinator asked for in Telegram (same defaults, expiry and limits as the CLI). */
export async function createCoordinatorInvite(
  db: Prisma,
  person: Person,
  target: Extract<InviteTarget, { kind: "unit" | "program" }>,
  role: Role,
  now: Date,
  actor: AuditActor,
): Promise<CreatedInvite> {
  if (target.kind === "unit") {
    return createInvite(db, { role, unitCode: target.unit.code, programName: target.program, actor, createdById: person.id, now });
  }
  return createInvite(db, {
    role: "koordinator",
    programName: target.program,
    regionName: target.region ?? undefined,
    actor,
    createdById: person.id,
    now,
  });
}
