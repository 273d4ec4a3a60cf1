import { createHash, randomBytes } from "node:crypto";
import type { Prisma } from "../db/connection.js";
import { AppError } from "../domain/errors.js";
import type { Role } from "../domain/statuses.js";
import { audit } from "./audit.js";

export interface InviteRequest {
  role: Role;
  unitCode?: string;
  programName?: string;
  regionName?: string;
  /** How many people may use it (default 1 for a focal point or head, 5 for coordinators). */
  maxUses?: number;
  /** Days until it expires (default 14). */
  days?: number;
  actor: string;
  createdById?: number;
  now?: Date;
}

export interface CreatedInvite {
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
  const now = request.now ?? new Date();
  const days = request.days ?? 14;
  const maxUses = request.maxUses ?? (request.role === "koordinator" ? 5 : 1);
  if (!Number.isInteger(days) || days < 1 || days > 365) throw new AppError("invite.bad_days");
  if (!Number.isInteger(maxUses) || maxUses < 1 || maxUses > 1000) throw new AppError("invite.bad_uses");

  let target: { unitId?: number; programId?: number; regionId?: number; label: string };
  if (request.role === "koordinator") {
    const programs = request.programName
      ? await db.program.findMany({ where: { name: request.programName } })
      : await db.program.findMany();
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
  } else {
    if (!request.unitCode) throw new AppError("invite.unit_required");
    const unit = await db.unit.findUnique({ where: { code: request.unitCode.toUpperCase() } });
    if (!unit) throw new AppError("invite.unknown_unit", { unit: request.unitCode });
    target = { unitId: unit.id, label: unit.name };
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
    },
  });
  await audit(db, request.actor, "invite.create", "invite", invite.id, { role: request.role, target: target.label, maxUses, expiresAt });
  return { code, role: request.role, target: target.label, maxUses, expiresAt };
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

/**
 * Binds a Telegram user to the invite's unit or program in its role. A wrong, expired,
 * revoked or used-up code fails with the same error, revealing nothing about the invite.
 */
export async function acceptInvite(db: Prisma, code: string, user: TelegramUser, now = new Date()): Promise<AcceptedInvite> {
  const refused = new AppError("invite.refused");
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(code)) throw refused;
  return db.$transaction(async (tx) => {
    const invite = await tx.invite.findUnique({
      where: { codeHash: hashCode(code) },
      include: { unit: true, program: true, region: true },
    });
    if (!invite || invite.revokedAt || invite.expiresAt <= now) throw refused;
    const target = invite.unit?.name ?? [invite.program?.name, invite.region?.name].filter(Boolean).join(" — ");

    const known = await tx.person.findUnique({ where: { telegramId: BigInt(user.id) } });
    const same =
      known &&
      (await tx.membership.findFirst({
        where: { personId: known.id, role: invite.role, unitId: invite.unitId, programId: invite.programId, regionId: invite.regionId },
      }));
    if (same) return { role: invite.role as Role, target, alreadyMember: true };
    if (invite.uses >= invite.maxUses) throw refused;

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
      update: { firstName: user.firstName ?? null, lastName: user.lastName ?? null, username: user.username ?? null, startedAt: now, blockedAt: null },
    });
    // Counts the use only if nobody used the last one in the meantime.
    const claimed = await tx.invite.updateMany({ where: { id: invite.id, uses: invite.uses }, data: { uses: { increment: 1 } } });
    if (claimed.count !== 1) throw refused;
    await tx.membership.create({
      data: {
        personId: person.id,
        role: invite.role,
        unitId: invite.unitId,
        programId: invite.programId,
        regionId: invite.regionId,
        inviteId: invite.id,
      },
    });
    await audit(tx, `telegram:${user.id}`, "invite.accept", "invite", invite.id, { role: invite.role, target });
    return { role: invite.role as Role, target, alreadyMember: false };
  });
}
