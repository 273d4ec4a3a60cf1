import type { Prisma } from "../db/connection.js";
import type { Role } from "../domain/statuses.js";
import type { Person } from "./people.js";

// A person's scope: the one answer to "what may this person see and act on", derived from their
// memberships and used by every query, command and button. A focal point or head sees their
// unit's work (in the one program their invite was for, or in every program when an admin
// invited them for the whole unit); a coordinator sees their program (in one region, or all).

/** One thing a membership opens: a unit's work, or a program's. */
export type Grant =
  { kind: "unit"; role: "pic" | "kepala"; unitId: number; programId: number | null } | { kind: "program"; programId: number; regionId: number | null };

export type ProgramGrant = Extract<Grant, { kind: "program" }>;

/** What a person may see through the given roles (all of their roles when none is named). */
export type Scope = Grant[];

/** The scope of a person's memberships in the given roles (all roles when none is named). */
export function scopeOf(person: Pick<Person, "memberships">, ...roles: Role[]): Scope {
  return person.memberships.flatMap((m): Grant[] => {
    if (roles.length > 0 && !roles.includes(m.role)) return [];
    if (m.role === "koordinator") return m.programId === null ? [] : [{ kind: "program", programId: m.programId, regionId: m.regionId }];
    return m.unitId === null ? [] : [{ kind: "unit", role: m.role, unitId: m.unitId, programId: m.programId }];
  });
}

/** The program grants of a scope (what a coordinator may load, invite into, broadcast to). */
export function programGrants(scope: Scope): ProgramGrant[] {
  return scope.filter((g): g is ProgramGrant => g.kind === "program");
}

/** A scope covering every program in the database, for the admin's command line. */
export async function wholeDatabaseScope(db: Prisma): Promise<Scope> {
  const programs = await db.program.findMany({ select: { id: true }, orderBy: { name: "asc" } });
  return programs.map((p) => ({ kind: "program", programId: p.id, regionId: null }));
}

/** The Prisma filter of the initiatives a scope sees (an empty scope sees nothing). */
export function initiativeFilter(scope: Scope) {
  return {
    OR: [
      ...scope.map((g) =>
        g.kind === "unit"
          ? { unitId: g.unitId, ...(g.programId !== null ? { programId: g.programId } : {}) }
          : { programId: g.programId, ...(g.regionId !== null ? { unit: { regionId: g.regionId } } : {}) },
      ),
      // Matches nothing: a scope without grants sees nothing.
      { id: -1 },
    ],
  };
}

/**
 * The Prisma filter of the memberships of units for some programs, in the roles given: people
 * invited for the unit as a whole, or for one of these programs (a focal point a coordinator of
 * program A invited is not told about program B's steps of the same unit).
 */
export function unitMembersFilter(roles: ("pic" | "kepala")[], unitIds: number[], programIds: number[]) {
  return { role: { in: roles }, unitId: { in: unitIds }, OR: [{ programId: null }, { programId: { in: programIds } }] };
}

/** True when a unit membership's program covers a step of `programId`. */
export function coversProgram(membership: { programId: number | null }, programId: number): boolean {
  return membership.programId === null || membership.programId === programId;
}

/** True when a coordinator's seat in a program covers a place of `regionId` in it: the whole program, or that region. */
export function coversRegion(seat: { regionId: number | null }, regionId: number | null | undefined): boolean {
  return seat.regionId === null || seat.regionId === regionId;
}

/** True when the person coordinates the program (all of it or a region of it). */
export function coordinatesProgram(person: Pick<Person, "memberships">, programId: number): boolean {
  return programGrants(scopeOf(person, "koordinator")).some((g) => g.programId === programId);
}

/** True when the person coordinates the whole program (not one region of it). */
export function coordinatesWholeProgram(person: Pick<Person, "memberships">, programId: number): boolean {
  return programGrants(scopeOf(person, "koordinator")).some((g) => g.programId === programId && g.regionId === null);
}

/** A program a person coordinates, and the regions of it they may reach (null: all of them). */
export interface CoordinatedProgram {
  id: number;
  name: string;
  regionIds: number[] | null;
}

/** True when something of `regionId` in a coordinated program (null: the whole program) lies within their regions. */
export function withinReach(program: Pick<CoordinatedProgram, "regionIds">, regionId: number | null): boolean {
  return program.regionIds === null || (regionId !== null && program.regionIds.includes(regionId));
}

/** `withinReach` as a Prisma filter on a row's `regionId` (a unit's, a seat's, an invite's). */
export function reachFilter(program: Pick<CoordinatedProgram, "regionIds">) {
  return program.regionIds ? { regionId: { in: program.regionIds } } : {};
}

/** The Prisma filter of the coordinator seats (memberships or invites) within a coordinated program's reach. */
export function coordinatorSeatsFilter(program: Pick<CoordinatedProgram, "id" | "regionIds">) {
  return { role: "koordinator", programId: program.id, ...reachFilter(program) };
}

type ProgramDb = Pick<Prisma, "program" | "unit">;

/** The programs a person coordinates, by name, each with the regions they may reach. */
export async function coordinatedPrograms(db: ProgramDb, person: Pick<Person, "memberships">): Promise<CoordinatedProgram[]> {
  const regions = new Map<number, number[] | null>();
  for (const g of programGrants(scopeOf(person, "koordinator"))) {
    const known = regions.get(g.programId);
    if (g.regionId === null || known === null) regions.set(g.programId, null);
    else regions.set(g.programId, [...(known ?? []), g.regionId]);
  }
  if (regions.size === 0) return [];
  const programs = await db.program.findMany({ where: { id: { in: [...regions.keys()] } }, orderBy: { name: "asc" } });
  return programs.map((p) => ({ id: p.id, name: p.name, regionIds: regions.get(p.id) ?? null }));
}

/** One of the person's programs, or null when they do not coordinate it. */
export async function coordinatedProgram(db: ProgramDb, person: Pick<Person, "memberships">, programId: number): Promise<CoordinatedProgram | null> {
  return (await coordinatedPrograms(db, person)).find((p) => p.id === programId) ?? null;
}

/** A unit as the coordinator's screens list it. */
export interface ScopeUnit {
  id: number;
  code: string;
  name: string;
  regionId: number;
  region: string;
  timezone: string;
}

/** The units of a program within the coordinator's reach, by region then name. */
export async function programUnits(db: ProgramDb, program: CoordinatedProgram): Promise<ScopeUnit[]> {
  const rows = await db.unit.findMany({
    where: { initiatives: { some: { programId: program.id } }, ...reachFilter(program) },
    include: { region: true },
  });
  return rows
    .map((u) => ({ id: u.id, code: u.code, name: u.name, regionId: u.regionId, region: u.region.name, timezone: u.region.timezone }))
    .sort((a, b) => a.region.localeCompare(b.region) || a.name.localeCompare(b.name));
}

/** The units of several of a coordinator's programs within their reach, each once, by id (in the programs' order). */
export async function coordinatedUnits(db: ProgramDb, programs: CoordinatedProgram[]): Promise<Map<number, ScopeUnit>> {
  const units = new Map<number, ScopeUnit>();
  for (const program of programs) for (const unit of await programUnits(db, program)) units.set(unit.id, unit);
  return units;
}
