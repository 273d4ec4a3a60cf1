import type { Prisma } from "../db/connection.js";
import type { Role } from "../domain/statuses.js";
import { localDate, type CalendarDate } from "../domain/dates.js";
import { leaveOn } from "../domain/leave.js";
import { isOverdue } from "../domain/progress.js";
import { displayName } from "../domain/text.js";
import { coordinatedProgram, coordinatedPrograms, coordinatorSeatsFilter, programUnits, unitMembersFilter, type CoordinatedProgram } from "./scope.js";
import { leavesFrom } from "./leave.js";
import { recordBlocked, type Person } from "./people.js";

// Reach: who the bot cannot get to yet in a coordinator's programs — units nobody answers for,
// invites waiting or lapsed, people who blocked the bot. Data only; the bot layer words it.

/** An invite nobody has used. */
export interface IdleInvite {
  role: Role;
  /** Unit name, or program (and region) name for a coordinator's invite. */
  target: string;
  /** Unit code; null for a coordinator's invite. */
  unitCode: string | null;
  createdAt: Date;
  expiresAt: Date;
  /** The time zone its dates are shown in (its unit's or region's). */
  timezone: string;
}

/** A member of the program who blocked the bot. */
export interface BlockedMember {
  name: string;
  role: Role;
  /** Unit name, or program (and region) name for a coordinator. */
  where: string;
  since: Date;
  timezone: string;
}

/** A focal point or head of the program away today. */
export interface AwayMember {
  name: string;
  role: Role;
  /** Unit name. */
  where: string;
  /** Their last day away. */
  lastDay: CalendarDate;
}

/** One region's share of the report (region null: the program as a whole, for coordinators of all of it). */
export interface RegionReach {
  region: string | null;
  unitsWithoutFocalPoint: { code: string; name: string }[];
  pendingInvites: IdleInvite[];
  expiredInvites: IdleInvite[];
  blocked: BlockedMember[];
  away: AwayMember[];
}

/** Who the bot reaches in one unit: its focal points (and whether they blocked the bot), and focal-point invites not opened yet. */
export interface UnitReach {
  unitId: number;
  focalPoints: { name: string; blockedSince: Date | null }[];
  /** Invites for a focal point still valid and never opened. */
  pendingInvites: number;
}

export interface ProgramReach {
  id: number;
  name: string;
  /** The coordinator sees units in more than one region: the report is grouped by region. */
  multiRegion: boolean;
  regions: RegionReach[];
  /** Every unit in reach, in `programUnits` order (the dashboard's column of people). */
  units: UnitReach[];
}

const unitRoles: ("pic" | "kepala")[] = ["pic", "kepala"];

/**
 * The reach of every program a person coordinates (only their regions when limited to some):
 * units without a focal point; invites never used, still valid or expired (an expired one only
 * while nobody holds the role it was for, so a seat filled another way is not reported again);
 * members who blocked the bot, with since when; focal points and heads away today, until when.
 */
export async function reachReport(db: Prisma, person: Person, now: Date): Promise<ProgramReach[]> {
  const scopes = await coordinatedPrograms(db, person);
  return Promise.all(scopes.map((scope) => programReach(db, scope, now)));
}

async function programReach(db: Prisma, scope: CoordinatedProgram, now: Date): Promise<ProgramReach> {
  const units = await programUnits(db, scope);
  const unitIds = units.map((u) => u.id);
  const unitById = new Map(units.map((u) => [u.id, u]));
  const regionNames = [...new Set(units.map((u) => u.region))];
  const multiRegion = regionNames.length > 1;
  const fallbackZone = units[0]?.timezone ?? "Asia/Jakarta";
  const todayOf = (tz: string) => localDate(now, tz);
  const earliest = [...new Set(units.map((u) => u.timezone))].map(todayOf).sort()[0] ?? todayOf(fallbackZone);

  const members = await db.membership.findMany({
    where: {
      OR: [unitMembersFilter(unitRoles, unitIds, [scope.id]), coordinatorSeatsFilter(scope)],
    },
    include: { person: { include: { leaves: leavesFrom(earliest) } }, region: true, unit: true },
  });
  const invites = await db.invite.findMany({
    where: {
      revokedAt: null,
      uses: 0,
      OR: [unitMembersFilter(unitRoles, unitIds, [scope.id]), coordinatorSeatsFilter(scope)],
    },
    include: { region: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });

  const groups = new Map<string | null, RegionReach>();
  const group = (region: string | null): RegionReach => {
    // One region in reach: everything in one list, without headings.
    const key = multiRegion ? region : (regionNames[0] ?? null);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { region: key, unitsWithoutFocalPoint: [], pendingInvites: [], expiredInvites: [], blocked: [], away: [] }));
    return g;
  };

  const withFocalPoint = new Set(members.filter((m) => m.role === "pic").map((m) => m.unitId));
  for (const u of units) if (!withFocalPoint.has(u.id)) group(u.region).unitsWithoutFocalPoint.push({ code: u.code, name: u.name });

  /** Somebody holds the role the invite was for (in its unit, or in its program and region). */
  const seatTaken = (i: (typeof invites)[number]) =>
    members.some((m) => m.role === i.role && (i.unitId !== null ? m.unitId === i.unitId : m.regionId === i.regionId));
  for (const i of invites) {
    const unit = i.unitId !== null ? unitById.get(i.unitId) : undefined;
    const idle: IdleInvite = {
      role: i.role as Role,
      target: unit?.name ?? [scope.name, i.region?.name].filter(Boolean).join(" — "),
      unitCode: unit?.code ?? null,
      createdAt: i.createdAt,
      expiresAt: i.expiresAt,
      timezone: unit?.timezone ?? units.find((u) => u.region === i.region?.name)?.timezone ?? fallbackZone,
    };
    const where = group(unit?.region ?? i.region?.name ?? null);
    if (i.expiresAt > now) where.pendingInvites.push(idle);
    else if (!seatTaken(i)) where.expiredInvites.push(idle);
  }

  const listedAway = new Set<string>();
  for (const m of members) {
    const unit = m.unitId !== null ? unitById.get(m.unitId) : undefined;
    const leave = unit && leaveOn(m.person.leaves, todayOf(unit.timezone));
    // Someone both focal point and head of a unit is listed once.
    if (!unit || !leave || listedAway.has(`${m.personId}:${unit.id}`)) continue;
    listedAway.add(`${m.personId}:${unit.id}`);
    group(unit.region).away.push({ name: displayName(m.person), role: m.role as Role, where: unit.name, lastDay: leave.lastDay });
  }

  for (const m of members) {
    if (!m.person.blockedAt) continue;
    const unit = m.unitId !== null ? unitById.get(m.unitId) : undefined;
    group(unit?.region ?? m.region?.name ?? null).blocked.push({
      name: displayName(m.person),
      role: m.role as Role,
      where: unit?.name ?? [scope.name, m.region?.name].filter(Boolean).join(" — "),
      since: m.person.blockedAt,
      timezone: unit?.timezone ?? fallbackZone,
    });
  }

  const regions = [...groups.values()].sort((a, b) => (a.region === null ? -1 : b.region === null ? 1 : a.region.localeCompare(b.region)));
  for (const r of regions) {
    r.unitsWithoutFocalPoint.sort((a, b) => a.name.localeCompare(b.name));
    r.blocked.sort((a, b) => a.since.getTime() - b.since.getTime() || a.name.localeCompare(b.name));
    r.away.sort((a, b) => a.lastDay.localeCompare(b.lastDay) || a.name.localeCompare(b.name));
  }
  const unitReach = units.map((u) => ({
    unitId: u.id,
    focalPoints: members
      .filter((m) => m.role === "pic" && m.unitId === u.id)
      .map((m) => ({ name: displayName(m.person), blockedSince: m.person.blockedAt }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    pendingInvites: invites.filter((i) => i.role === "pic" && i.unitId === u.id && i.expiresAt > now).length,
  }));
  return { id: scope.id, name: scope.name, multiRegion, regions, units: unitReach };
}

/** A program's units nobody is reminded in, by region (region null: the coordinator sees one region). */
export interface UnremindedUnits {
  program: string;
  regions: { region: string | null; units: string[] }[];
}

/**
 * The units of a program within a coordinator's reach that have a step overdue and nobody the
 * bot can remind of it (no focal point for the program, or only ones who blocked the bot): what
 * the daily summary lists instead of escalating their steps one by one. Null when there are none,
 * or the person no longer coordinates the program.
 */
export async function unremindedUnits(db: Prisma, person: Person, programId: number, now: Date): Promise<UnremindedUnits | null> {
  const scope = await coordinatedProgram(db, person, programId);
  if (!scope) return null;
  const units = await programUnits(db, scope);
  const [open, reminded] = await Promise.all([
    db.milestone.findMany({
      where: { status: { not: "done" }, initiative: { programId, unitId: { in: units.map((u) => u.id) } } },
      select: { dueDate: true, status: true, initiative: { select: { unitId: true } } },
    }),
    db.membership.findMany({
      where: {
        ...unitMembersFilter(
          ["pic"],
          units.map((u) => u.id),
          [programId],
        ),
        person: { blockedAt: null },
      },
      select: { unitId: true },
    }),
  ]);
  const zoneOf = new Map(units.map((u) => [u.id, u.timezone]));
  const overdue = new Set(open.filter((m) => isOverdue(m, localDate(now, zoneOf.get(m.initiative.unitId)!))).map((m) => m.initiative.unitId));
  const withFocalPoint = new Set(reminded.map((m) => m.unitId));
  const multiRegion = new Set(units.map((u) => u.regionId)).size > 1;
  // programUnits gives them by region, then name.
  const regions: UnremindedUnits["regions"] = [];
  for (const u of units.filter((u) => overdue.has(u.id) && !withFocalPoint.has(u.id))) {
    const region = multiRegion ? u.region : null;
    if (regions.length === 0 || regions.at(-1)!.region !== region) regions.push({ region, units: [] });
    regions.at(-1)!.units.push(u.name);
  }
  return regions.length ? { program: scope.name, regions } : null;
}

/**
 * What Telegram says about a private chat with the bot (my_chat_member): "kicked" means the person
 * blocked the bot (kept with the first moment it was seen), "member" that they unblocked or
 * restarted it. Only people Pantau knows are touched.
 */
export async function recordPrivateChatStatus(db: Prisma, telegramId: number, status: string, now: Date): Promise<void> {
  if (status !== "kicked" && status !== "member") return;
  await db.$transaction(async (tx) => {
    const person = await tx.person.findUnique({ where: { telegramId: BigInt(telegramId) }, select: { id: true } });
    if (person) await recordBlocked(tx, person.id, status === "kicked", now, { by: "status", chat: { id: telegramId, kind: "private" } });
  });
}
