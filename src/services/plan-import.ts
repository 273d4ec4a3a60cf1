import type { Prisma } from "../db/connection.js";
import { deriveUnitCode, type PlanError, type PlanRow } from "../domain/plan-table.js";
import { audit } from "./audit.js";

type Tx = Parameters<Parameters<Prisma["$transaction"]>[0]>[0];

export interface ImportCounts {
  programs: number;
  regions: number;
  units: number;
  initiatives: number;
  milestones: number;
}

export interface ImportResult {
  created: ImportCounts;
  updated: ImportCounts;
  /** Milestone rows that were already exactly as in the file. */
  unchanged: number;
  /** Row-numbered problems found against the database; when any, nothing was written. */
  errors: PlanError[];
  /** True when the changes were only computed (a preview), not written. */
  dryRun: boolean;
}

const zero = (): ImportCounts => ({ programs: 0, regions: 0, units: 0, initiatives: 0, milestones: 0 });

/** Thrown inside the transaction to roll it back after a preview or on a conflict. */
class Rollback extends Error {}

/**
 * Loads validated action-plan rows: creates what is new, updates due dates, weights, origins,
 * time zones and unit codes in place, and never duplicates (a row is identified by program,
 * region, unit, initiative and milestone). All in one transaction: on any conflict with the
 * database nothing is written. Reports already made are kept.
 */
export async function importPlan(
  db: Prisma,
  rows: PlanRow[],
  options: { actor: string; defaultTimezone: string; dryRun?: boolean },
): Promise<ImportResult> {
  const result: ImportResult = { created: zero(), updated: zero(), unchanged: 0, errors: [], dryRun: !!options.dryRun };
  try {
    await db.$transaction(
      async (tx) => {
        await applyRows(tx, rows, options.defaultTimezone, result);
        if (result.errors.length > 0 || options.dryRun) throw new Rollback();
        await audit(tx, options.actor, "import", "plan", null, { created: result.created, updated: result.updated, unchanged: result.unchanged });
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  return result;
}

async function applyRows(tx: Tx, rows: PlanRow[], defaultTimezone: string, result: ImportResult): Promise<void> {
  const programs = new Map<string, number>();
  const regions = new Map<string, number>();
  const units = new Map<string, number>();
  const initiatives = new Map<string, number>();
  const touched = new Set<string>();
  // Codes in use, so a derived code for a new unit never collides with another unit's.
  const takenCodes = new Set((await tx.unit.findMany({ select: { code: true } })).map((u) => u.code));
  const once = (kind: keyof ImportCounts, key: string, counts: ImportCounts) => {
    if (touched.has(`${kind}:${key}`)) return;
    touched.add(`${kind}:${key}`);
    counts[kind] += 1;
  };

  for (const [position, row] of rows.entries()) {
    // Program
    let programId = programs.get(row.program);
    if (programId === undefined) {
      const existing = await tx.program.findUnique({ where: { name: row.program } });
      programId = existing?.id ?? (await tx.program.create({ data: { name: row.program } })).id;
      if (!existing) once("programs", row.program, result.created);
      programs.set(row.program, programId);
    }

    // Region and its time zone
    let regionId = regions.get(row.region);
    if (regionId === undefined) {
      const existing = await tx.region.findUnique({ where: { name: row.region } });
      if (!existing) {
        regionId = (await tx.region.create({ data: { name: row.region, timezone: row.timezone ?? defaultTimezone } })).id;
        once("regions", row.region, result.created);
      } else {
        regionId = existing.id;
        if (row.timezone && row.timezone !== existing.timezone) {
          await tx.region.update({ where: { id: existing.id }, data: { timezone: row.timezone } });
          once("regions", row.region, result.updated);
        }
      }
      regions.set(row.region, regionId);
    }

    // Unit, identified by region and name; its code is unique in the database
    const unitKey = `${regionId}|${row.unit}`;
    let unitId = units.get(unitKey);
    if (unitId === undefined) {
      const existing = await tx.unit.findUnique({ where: { regionId_name: { regionId, name: row.unit } } });
      const code = row.unitCode ?? existing?.code ?? deriveUnitCode(row.region, row.unit, takenCodes);
      takenCodes.add(code);
      const holder = await tx.unit.findUnique({ where: { code } });
      if (holder && holder.id !== existing?.id) {
        result.errors.push({ row: row.row, column: "kode_opd", code: "unit_code_taken", value: code });
        units.set(unitKey, -1);
        continue;
      }
      if (!existing) {
        unitId = (await tx.unit.create({ data: { regionId, name: row.unit, code } })).id;
        once("units", unitKey, result.created);
      } else {
        unitId = existing.id;
        if (existing.code !== code) {
          await tx.unit.update({ where: { id: existing.id }, data: { code } });
          once("units", unitKey, result.updated);
        }
      }
      units.set(unitKey, unitId);
    }
    if (unitId < 0) continue;

    // Initiative
    const initiativeKey = `${programId}|${unitId}|${row.initiative}`;
    let initiativeId = initiatives.get(initiativeKey);
    if (initiativeId === undefined) {
      const where = { programId_unitId_name: { programId, unitId, name: row.initiative } };
      const existing = await tx.initiative.findUnique({ where });
      if (!existing) {
        initiativeId = (await tx.initiative.create({ data: { programId, unitId, name: row.initiative, origin: row.origin } })).id;
        once("initiatives", initiativeKey, result.created);
      } else {
        initiativeId = existing.id;
        if (row.origin !== existing.origin && row.origin !== null) {
          await tx.initiative.update({ where: { id: existing.id }, data: { origin: row.origin } });
          once("initiatives", initiativeKey, result.updated);
        }
      }
      initiatives.set(initiativeKey, initiativeId);
    }

    // Milestone
    const existing = await tx.milestone.findUnique({ where: { initiativeId_title: { initiativeId, title: row.milestone } } });
    if (!existing) {
      await tx.milestone.create({
        data: { initiativeId, title: row.milestone, dueDate: row.dueDate, weight: row.weight, position },
      });
      result.created.milestones += 1;
    } else if (existing.dueDate !== row.dueDate || existing.weight !== row.weight) {
      await tx.milestone.update({ where: { id: existing.id }, data: { dueDate: row.dueDate, weight: row.weight } });
      result.updated.milestones += 1;
    } else {
      result.unchanged += 1;
    }
  }
}
