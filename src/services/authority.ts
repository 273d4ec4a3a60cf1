import type { Prisma } from "../db/connection.js";
import { coordinatedPrograms, programUnits, type CoordinatedProgram, type ScopeUnit } from "./scope.js";
import type { Person } from "./people.js";

// Who may manage whose seat: list and revoke invites, remove or replace people. An admin (the
// CLI, or a Telegram id in ADMIN_TELEGRAM_IDS) manages everything; a coordinator manages the
// units of their programs (their regions when limited to some; a seat of one program only by
// that program's coordinators), never other coordinators.

/** Someone managing invites and people: an admin, or a coordinator acting in Telegram. */
export type Manager =
  | { admin: true; actor: string; personId: number | null }
  | { admin: false; actor: string; person: Person };

/** A role at a place: what a membership holds and what an invite offers. */
export interface Seat {
  role: string;
  unitId: number | null;
  programId: number | null;
  regionId: number | null;
}

/** What a manager reaches: everything (admin), or programs and their units. */
export interface Authority {
  admin: boolean;
  programs: CoordinatedProgram[];
  units: ScopeUnit[];
}

/** The reach of a manager; for an admin every unit, for a coordinator their programs' units. */
export async function authorityOf(db: Prisma, manager: Manager): Promise<Authority> {
  if (manager.admin) {
    const units = await db.unit.findMany({ include: { region: true } });
    return {
      admin: true,
      programs: [],
      units: units
        .map((u) => ({ id: u.id, code: u.code, name: u.name, region: u.region.name, timezone: u.region.timezone }))
        .sort((a, b) => a.region.localeCompare(b.region) || a.name.localeCompare(b.name)),
    };
  }
  const programs = await coordinatedPrograms(db, manager.person);
  const units = new Map<number, ScopeUnit>();
  for (const program of programs) for (const unit of await programUnits(db, program)) units.set(unit.id, unit);
  return { admin: false, programs, units: [...units.values()] };
}

/**
 * The one check of this section: may the manager act on a seat? A unit's seat when the unit is
 * in reach; a coordinator's invite of their own program (and region); a coordinator's
 * membership only for an admin (coordinators are named by admins).
 */
export function mayManage(authority: Authority, seat: Seat, what: "invite" | "member"): boolean {
  if (authority.admin) return true;
  if (seat.role !== "koordinator") {
    // A seat limited to one program (made by that program's coordinator) belongs to that program.
    const inUnit = seat.unitId !== null && authority.units.some((u) => u.id === seat.unitId);
    return inUnit && (seat.programId === null || authority.programs.some((p) => p.id === seat.programId));
  }
  if (what === "member") return false;
  return authority.programs.some(
    (p) => p.id === seat.programId && (p.regionIds === null || (seat.regionId !== null && p.regionIds.includes(seat.regionId))),
  );
}
