import type { Prisma } from "../db/connection.js";
import type { AuditActor } from "./audit.js";
import { coordinatedPrograms, programUnits, withinReach, type CoordinatedProgram, type ScopeUnit } from "./scope.js";
import type { Person } from "./people.js";

// Who may manage whose seat: list and revoke invites, remove or replace people. An admin (the
// CLI, or a Telegram id in ADMIN_TELEGRAM_IDS) manages everything; a coordinator manages the
// units of their programs (their regions when limited to some; a seat of one program only by
// that program's coordinators, a whole-unit seat only by someone coordinating all of the unit's
// programs), never other coordinators.

/** Someone managing invites and people: an admin, or a coordinator acting in Telegram. */
export type Manager = { admin: true; actor: AuditActor; personId: number | null } | { admin: false; actor: AuditActor; person: Person };

/** A role at a place: what a membership holds and what an invite offers. */
export interface Seat {
  role: string;
  unitId: number | null;
  programId: number | null;
  regionId: number | null;
}

/** A unit in a coordinator's reach: the programs they reach it through. */
export interface UnitReach {
  programIds: number[];
  /** True when those are all the programs the unit takes part in (its whole-unit seats are theirs too). */
  whole: boolean;
}

/** What a manager reaches: everything (admin), or programs and their units. */
export interface Authority {
  admin: boolean;
  programs: CoordinatedProgram[];
  units: ScopeUnit[];
  /** By unit id, for a coordinator; empty for an admin. */
  reach: Map<number, UnitReach>;
}

/** The reach of a manager; for an admin every unit, for a coordinator their programs' units. */
export async function authorityOf(db: Prisma, manager: Manager): Promise<Authority> {
  if (manager.admin) {
    const units = await db.unit.findMany({ include: { region: true } });
    return {
      admin: true,
      programs: [],
      units: units
        .map((u) => ({ id: u.id, code: u.code, name: u.name, regionId: u.regionId, region: u.region.name, timezone: u.region.timezone }))
        .sort((a, b) => a.region.localeCompare(b.region) || a.name.localeCompare(b.name)),
      reach: new Map(),
    };
  }
  const programs = await coordinatedPrograms(db, manager.person);
  const units = new Map<number, ScopeUnit>();
  const through = new Map<number, Set<number>>();
  for (const program of programs) {
    for (const unit of await programUnits(db, program)) {
      units.set(unit.id, unit);
      through.set(unit.id, (through.get(unit.id) ?? new Set()).add(program.id));
    }
  }
  const taking = await db.initiative.findMany({
    where: { unitId: { in: [...units.keys()] } },
    select: { unitId: true, programId: true },
    distinct: ["unitId", "programId"],
  });
  const reach = new Map<number, UnitReach>();
  for (const [unitId, ids] of through) {
    reach.set(unitId, { programIds: [...ids], whole: taking.every((i) => i.unitId !== unitId || ids.has(i.programId)) });
  }
  return { admin: false, programs, units: [...units.values()], reach };
}

/**
 * The one check of this section: may the manager act on a seat? A unit's seat when the unit is
 * in reach; a coordinator's invite of their own program (and region); a coordinator's
 * membership only for an admin (coordinators are named by admins).
 */
export function mayManage(authority: Authority, seat: Seat, what: "invite" | "member"): boolean {
  if (authority.admin) return true;
  if (seat.role !== "koordinator") {
    // A seat limited to one program belongs to that program's coordinators (with the unit in their
    // reach for it); a whole-unit seat also sees the unit's other programs, so it is managed only
    // by someone coordinating every program the unit takes part in.
    const reach = seat.unitId === null ? undefined : authority.reach.get(seat.unitId);
    if (!reach) return false;
    return seat.programId === null ? reach.whole : reach.programIds.includes(seat.programId);
  }
  if (what === "member") return false;
  return authority.programs.some((p) => p.id === seat.programId && withinReach(p, seat.regionId));
}
