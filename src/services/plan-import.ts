import type { Prisma } from "../db/connection.js";
import type { CalendarDate } from "../domain/dates.js";
import { deriveUnitCode, type PlanError, type PlanRow } from "../domain/plan-table.js";
import { audit, type AuditActor } from "./audit.js";
import { coversRegion, type ProgramGrant } from "./scope.js";

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
  /** The steps created or changed (in file order), for a preview. */
  changes: StepChange[];
}

/** One step the import creates or changes. */
export interface StepChange {
  /** Spreadsheet row number. */
  row: number;
  kind: "created" | "updated";
  program: string;
  region: string;
  unit: string;
  initiative: string;
  milestone: string;
  dueDate: CalendarDate;
  weight: number;
  /** Before the import (updated steps only). */
  previous?: { dueDate: CalendarDate; weight: number };
}

const zero = (): ImportCounts => ({ programs: 0, regions: 0, units: 0, initiatives: 0, milestones: 0 });

/** Thrown inside the transaction to roll it back on a conflict. */
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
  options: { actor: AuditActor; defaultTimezone: string; now: Date; fileName?: string; dryRun?: boolean },
): Promise<ImportResult> {
  const result: ImportResult = { created: zero(), updated: zero(), unchanged: 0, errors: [], dryRun: !!options.dryRun, changes: [] };
  // A preview only reads: no transaction stays open while it is computed or looked at.
  if (options.dryRun) {
    await applyRows(db, rows, options.defaultTimezone, result, false, options.now);
    return result;
  }
  try {
    await db.$transaction(
      async (tx) => {
        await applyRows(tx, rows, options.defaultTimezone, result, true, options.now);
        if (result.errors.length > 0) throw new Rollback();
        await auditImport(tx, rows, result, options);
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  return result;
}

/**
 * Goes through the rows against the database, writing through `tx` when `write`; otherwise (a
 * preview) it only reads and counts the same way. A step whose due date moves is marked revised
 * at `now`: the buttons of a reminder sent before no longer act on it.
 */
async function applyRows(tx: Tx, rows: PlanRow[], defaultTimezone: string, result: ImportResult, write: boolean, now: Date): Promise<void> {
  const programs = new Map<string, number>();
  const regions = new Map<string, number>();
  /** null: the row's unit code belongs to another unit. */
  const units = new Map<string, number | null>();
  const initiatives = new Map<string, number>();
  /** An initiative's steps by title, read once (a new initiative has none). */
  const stepsOf = new Map<number, Map<string, { id: number; dueDate: string; weight: number }>>();
  /** Created together at the end: the transaction is mostly reads, and short. */
  const newSteps: { initiativeId: number; title: string; dueDate: string; weight: number; position: number }[] = [];
  const touched = new Set<string>();
  // Codes in use, so a derived code for a new unit never collides with another unit's.
  const takenCodes = new Set((await tx.unit.findMany({ select: { code: true } })).map((u) => u.code));
  // Unit codes given or freed by earlier rows, ahead of the database (which a preview leaves as it was).
  const codeHolders = new Map<string, number | null>();
  const holderOf = async (code: string) => (codeHolders.has(code) ? codeHolders.get(code)! : ((await tx.unit.findUnique({ where: { code } }))?.id ?? null));
  let standIns = 0;
  /** The id of a new row; a preview gets a stand-in below zero, which no lookup finds, so its children are new too. */
  const created = async (create: () => Promise<{ id: number }>) => (write ? (await create()).id : --standIns);
  const updated = async (update: () => Promise<unknown>) => {
    if (write) await update();
  };
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
      programId = existing?.id ?? (await created(() => tx.program.create({ data: { name: row.program } })));
      if (!existing) once("programs", row.program, result.created);
      programs.set(row.program, programId);
    }

    // Region and its time zone
    let regionId = regions.get(row.region);
    if (regionId === undefined) {
      const existing = await tx.region.findUnique({ where: { name: row.region } });
      if (!existing) {
        regionId = await created(() => tx.region.create({ data: { name: row.region, timezone: row.timezone ?? defaultTimezone } }));
        once("regions", row.region, result.created);
      } else {
        regionId = existing.id;
        if (row.timezone && row.timezone !== existing.timezone) {
          await updated(() => tx.region.update({ where: { id: existing.id }, data: { timezone: row.timezone! } }));
          once("regions", row.region, result.updated);
        }
      }
      regions.set(row.region, regionId);
    }

    // Unit, identified by region and name; its code is unique in the database
    const unitKey = `${regionId}|${row.unit}`;
    let unitId = units.get(unitKey);
    if (unitId === null) continue;
    if (unitId === undefined) {
      const existing = await tx.unit.findUnique({ where: { regionId_name: { regionId, name: row.unit } } });
      const code = row.unitCode ?? existing?.code ?? deriveUnitCode(row.region, row.unit, takenCodes);
      takenCodes.add(code);
      const holder = await holderOf(code);
      if (holder !== null && holder !== existing?.id) {
        result.errors.push({ row: row.row, column: "kode_opd", code: "unit_code_taken", value: code });
        units.set(unitKey, null);
        continue;
      }
      if (!existing) {
        unitId = await created(() => tx.unit.create({ data: { regionId, name: row.unit, code } }));
        once("units", unitKey, result.created);
      } else {
        unitId = existing.id;
        if (existing.code !== code) {
          await updated(() => tx.unit.update({ where: { id: existing.id }, data: { code } }));
          codeHolders.set(existing.code, null);
          once("units", unitKey, result.updated);
        }
      }
      codeHolders.set(code, unitId);
      units.set(unitKey, unitId);
    }

    // Initiative
    const initiativeKey = `${programId}|${unitId}|${row.initiative}`;
    let initiativeId = initiatives.get(initiativeKey);
    if (initiativeId === undefined) {
      const where = { programId_unitId_name: { programId, unitId, name: row.initiative } };
      const existing = await tx.initiative.findUnique({ where });
      if (!existing) {
        initiativeId = await created(() => tx.initiative.create({ data: { programId, unitId, name: row.initiative, origin: row.origin } }));
        stepsOf.set(initiativeId, new Map());
        once("initiatives", initiativeKey, result.created);
      } else {
        initiativeId = existing.id;
        if (row.origin !== existing.origin && row.origin !== null) {
          await updated(() => tx.initiative.update({ where: { id: existing.id }, data: { origin: row.origin } }));
          once("initiatives", initiativeKey, result.updated);
        }
      }
      initiatives.set(initiativeKey, initiativeId);
    }

    // Milestone
    let steps = stepsOf.get(initiativeId);
    if (!steps) {
      const known = await tx.milestone.findMany({ where: { initiativeId }, select: { id: true, title: true, dueDate: true, weight: true } });
      steps = new Map(known.map((m) => [m.title, m]));
      stepsOf.set(initiativeId, steps);
    }
    const existing = steps.get(row.milestone);
    if (!existing) {
      newSteps.push({ initiativeId, title: row.milestone, dueDate: row.dueDate, weight: row.weight, position });
      result.created.milestones += 1;
      result.changes.push({ ...stepOf(row), kind: "created" });
    } else if (existing.dueDate !== row.dueDate || existing.weight !== row.weight) {
      const revised = existing.dueDate !== row.dueDate ? { revisedAt: now } : {};
      await updated(() => tx.milestone.update({ where: { id: existing.id }, data: { dueDate: row.dueDate, weight: row.weight, ...revised } }));
      result.updated.milestones += 1;
      result.changes.push({ ...stepOf(row), kind: "updated", previous: { dueDate: existing.dueDate, weight: existing.weight } });
    } else {
      result.unchanged += 1;
    }
  }
  if (write && result.errors.length === 0) {
    for (let i = 0; i < newSteps.length; i += stepChunk) await tx.milestone.createMany({ data: newSteps.slice(i, i + stepChunk) });
  }
}

/** Step changes listed in one audit row; a bigger import lists these and counts the rest. */
export const auditedChangesCap = 500;

/**
 * One audit row per program and region the file touches (so a coordinator's trail and
 * `pantau audit --program` find it): the file's counts, and each step created or changed there
 * with its due date and weight before and after, at most `auditedChangesCap` of them.
 */
async function auditImport(tx: Tx, rows: PlanRow[], result: ImportResult, options: { actor: AuditActor; now: Date; fileName?: string }): Promise<void> {
  const groups = new Map<string, { program: string; region: string; changes: StepChange[] }>();
  const groupOf = (program: string, region: string) => {
    const key = JSON.stringify([program, region]);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { program, region, changes: [] }));
    return group;
  };
  for (const row of rows) groupOf(row.program, row.region);
  for (const change of result.changes) groupOf(change.program, change.region).changes.push(change);
  const [programs, regions] = await Promise.all([
    tx.program.findMany({ where: { name: { in: [...new Set(rows.map((r) => r.program))] } }, select: { id: true, name: true } }),
    tx.region.findMany({ where: { name: { in: [...new Set(rows.map((r) => r.region))] } }, select: { id: true, name: true } }),
  ]);
  const programId = new Map(programs.map((p) => [p.name, p.id]));
  const regionId = new Map(regions.map((r) => [r.name, r.id]));
  for (const group of groups.values()) {
    const listed = group.changes.slice(0, auditedChangesCap);
    await audit(tx, {
      actor: options.actor,
      action: "plan.import",
      entity: "plan",
      entityId: null,
      targetName: `${group.program} — ${group.region}`,
      programId: programId.get(group.program) ?? null,
      regionId: regionId.get(group.region) ?? null,
      detail: {
        file: options.fileName ?? null,
        created: group.changes.filter((c) => c.kind === "created").length,
        updated: group.changes.filter((c) => c.kind === "updated").length,
        steps: listed.map((c) => ({
          row: c.row,
          kind: c.kind,
          unit: c.unit,
          initiative: c.initiative,
          step: c.milestone,
          ...(c.previous ? { before: c.previous } : {}),
          after: { dueDate: c.dueDate, weight: c.weight },
        })),
        more: group.changes.length - listed.length,
        wholeFile: { created: result.created, updated: result.updated, unchanged: result.unchanged },
      },
      at: options.now,
    });
  }
}

/** Steps per INSERT (SQLite binds at most 32,766 values; a step binds fewer than ten). */
const stepChunk = 1000;

const stepOf = (row: PlanRow) => ({
  row: row.row,
  program: row.program,
  region: row.region,
  unit: row.unit,
  initiative: row.initiative,
  milestone: row.milestone,
  dueDate: row.dueDate,
  weight: row.weight,
});

export type ScopeErrorCode =
  /** The program is not in the database: only the CLI (the admin) creates programs. */
  | "program_new"
  /** The program exists, but the person does not coordinate it. */
  | "program_not_coordinated"
  /** The person coordinates the program for other regions only. */
  | "region_not_coordinated"
  /** The row changes the time zone of a region that other programs use too. */
  | "shared_region"
  /** The row changes the code of a unit that other programs use too. */
  | "shared_unit";

/** A row a coordinator may not import: where (spreadsheet row, Indonesian column) and why. */
export interface ScopeError {
  row: number;
  column: string;
  code: ScopeErrorCode;
  /** The program, region or unit code named by the row. */
  value: string;
}

/**
 * The rows of a file that fall outside what a coordinator may change (for a file sent to the
 * bot; the CLI is the admin's and has no such limit): steps of programs they do not coordinate
 * or that do not exist yet, of regions outside their region-limited grant, and changes to a
 * region's time zone or a unit's code that other programs share. Read-only; empty when the
 * whole file is theirs.
 */
export async function checkImportScope(db: Prisma, rows: PlanRow[], grants: ProgramGrant[]): Promise<ScopeError[]> {
  const errors: ScopeError[] = [];
  const programs = new Map<string, number | null>();
  const regions = new Map<string, { id: number; timezone: string } | null>();
  const units = new Map<string, { id: number; code: string } | null>();
  const sharedRegion = new Map<string, boolean>();
  const sharedUnit = new Map<string, boolean>();

  for (const row of rows) {
    if (!programs.has(row.program)) programs.set(row.program, (await db.program.findUnique({ where: { name: row.program } }))?.id ?? null);
    const programId = programs.get(row.program)!;
    if (programId === null) {
      errors.push({ row: row.row, column: "program", code: "program_new", value: row.program });
      continue;
    }
    const mine = grants.filter((g) => g.programId === programId);
    if (mine.length === 0) {
      errors.push({ row: row.row, column: "program", code: "program_not_coordinated", value: row.program });
      continue;
    }
    if (!regions.has(row.region)) {
      const found = await db.region.findUnique({ where: { name: row.region } });
      regions.set(row.region, found ? { id: found.id, timezone: found.timezone } : null);
    }
    const region = regions.get(row.region)!;
    if (!mine.some((g) => coversRegion(g, region?.id))) {
      errors.push({ row: row.row, column: "pemda", code: "region_not_coordinated", value: row.region });
      continue;
    }
    if (!region) continue; // a new region (whole-program coordinator): nothing shared yet

    if (row.timezone && row.timezone !== region.timezone) {
      const key = `${programId}|${region.id}`;
      if (!sharedRegion.has(key)) {
        const others = await db.initiative.count({ where: { unit: { regionId: region.id }, programId: { not: programId } } });
        sharedRegion.set(key, others > 0);
      }
      if (sharedRegion.get(key)) errors.push({ row: row.row, column: "zona_waktu", code: "shared_region", value: row.region });
    }

    if (row.unitCode) {
      const unitKey = `${region.id}|${row.unit}`;
      if (!units.has(unitKey)) {
        const found = await db.unit.findUnique({ where: { regionId_name: { regionId: region.id, name: row.unit } } });
        units.set(unitKey, found ? { id: found.id, code: found.code } : null);
      }
      const unit = units.get(unitKey)!;
      if (unit && unit.code !== row.unitCode) {
        const key = `${programId}|${unit.id}`;
        if (!sharedUnit.has(key)) {
          const others = await db.initiative.count({ where: { unitId: unit.id, programId: { not: programId } } });
          sharedUnit.set(key, others > 0);
        }
        if (sharedUnit.get(key)) errors.push({ row: row.row, column: "kode_opd", code: "shared_unit", value: row.unitCode });
      }
    }
  }
  return errors;
}
