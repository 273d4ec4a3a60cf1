import type { Prisma } from "../db/connection.js";
import { localDate, type CalendarDate } from "../domain/dates.js";
import type { MilestoneStatus } from "../domain/statuses.js";
import { reporterName } from "../domain/text.js";
import { auditRead, type AuditActor } from "./audit.js";
import { recap } from "./recap.js";
import { initiativeFilter, type Scope } from "./scope.js";

/**
 * The recap as data for the leadership meeting's file: the same numbers /rekap shows (one row
 * per initiative) and every step with its latest report. The file itself (XLSX or CSV) is
 * written by src/files/export-file.ts, with the words (headers, status names) from the
 * caller's catalogue.
 */

/** One initiative of the "Rekap" sheet. */
export interface RecapExportRow {
  program: string;
  region: string;
  unit: string;
  initiative: string;
  /** Weighted progress 0-100, as /rekap shows it. */
  progress: number;
  steps: number;
  done: number;
  overdue: number;
}

/** One step of the "Tahapan" sheet (and of the CSV file). */
export interface StepExportRow {
  program: string;
  region: string;
  unit: string;
  unitCode: string;
  initiative: string;
  origin: string | null;
  step: string;
  dueDate: CalendarDate;
  weight: number;
  progress: number;
  status: MilestoneStatus;
  daysLate: number;
  /** Local date (in the step's region) of the latest report that was not undone. */
  lastReportDate: CalendarDate | null;
  lastReportNote: string | null;
  reportedBy: string | null;
}

/** Everything exported about one program. */
export interface ProgramExport {
  id: number;
  name: string;
  progress: number;
  overdue: number;
  /** The local date of the export in the program's (first) region, for the file name. */
  today: CalendarDate;
  recap: RecapExportRow[];
  steps: StepExportRow[];
}

/**
 * The export of every program a scope sees (see recap()), programs in recap order, units by
 * region and name, steps by due date, each step with its latest report that was not undone.
 */
export async function exportData(db: Prisma, scope: Scope, now: Date): Promise<ProgramExport[]> {
  const programs = await recap(db, scope, now);
  const reports = await db.progressReport.findMany({
    where: { undoneAt: null, milestone: { initiative: initiativeFilter(scope) } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { milestoneId: true, createdAt: true, note: true, person: { select: { firstName: true, lastName: true, username: true } } },
  });
  const latest = new Map<number, (typeof reports)[number]>();
  for (const report of reports) if (!latest.has(report.milestoneId)) latest.set(report.milestoneId, report);

  return programs.map((program) => {
    const initiatives = program.units.flatMap((unit) => unit.initiatives.map((initiative) => ({ unit, initiative })));
    const steps = initiatives.flatMap(({ initiative }) => initiative.milestones);
    return {
      id: program.id,
      name: program.name,
      progress: program.progress,
      overdue: program.overdue,
      today: steps[0]?.today ?? localDate(now, "Asia/Jakarta"),
      recap: initiatives.map(({ unit, initiative }) => ({
        program: program.name,
        region: unit.region,
        unit: unit.name,
        initiative: initiative.name,
        progress: initiative.progress,
        steps: initiative.milestones.length,
        done: initiative.milestones.filter((m) => m.status === "done").length,
        overdue: initiative.overdue,
      })),
      steps: steps.map((m) => {
        const report = latest.get(m.id);
        return {
          program: m.program.name,
          region: m.region.name,
          unit: m.unit.name,
          unitCode: m.unit.code,
          initiative: m.initiative.name,
          origin: m.initiative.origin,
          step: m.title,
          dueDate: m.dueDate,
          weight: m.weight,
          progress: m.progress,
          status: m.status,
          daysLate: m.daysLate,
          lastReportDate: report ? localDate(report.createdAt, m.region.timezone) : null,
          lastReportNote: report?.note ?? null,
          reportedBy: report?.person ? reporterName(report.person, m.unit.name) : null,
        };
      }),
    };
  });
}

/**
 * Records an export (every step's latest note and reporter: a bulk read of personal data), one
 * audit row per program, with the region when the reader sees only one region of it.
 */
export async function recordExport(db: Prisma, actor: AuditActor, scope: Scope, programs: ProgramExport[], format: "xlsx" | "csv", now: Date): Promise<void> {
  for (const program of programs) {
    const regions = scope.flatMap((g) => (g.kind === "program" && g.programId === program.id ? [g.regionId] : []));
    await auditRead(db, {
      actor,
      action: "export.read",
      entity: "program",
      entityId: program.id,
      targetName: program.name,
      programIds: [program.id],
      regionId: regions.length === 1 ? regions[0] : null,
      detail: { format, steps: program.steps.length },
      at: now,
    });
  }
}
