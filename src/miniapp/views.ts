import { formatLongDate, formatMoment, formatShortDate, localDate, type Language } from "../domain/dates.js";
import { silentAfterDays } from "../domain/progress.js";
import { reporterName } from "../domain/text.js";
import type { Catalogue } from "../i18n/index.js";
import type { StepHistory } from "../services/history.js";
import type { MilestoneView } from "../services/milestones.js";
import type { ProgramReach } from "../services/reach.js";
import { byUrgency, type ProgramRecap } from "../services/recap.js";

// What the dashboard page receives: the services' data with dates and statuses already worded
// in the reader's language (the page only lays it out). Plain text, never HTML: the page puts
// every value in with textContent.

const stepJson = (m: MilestoneView, t: Catalogue, lang: Language) => ({
  id: m.id,
  title: m.title,
  due: formatShortDate(m.dueDate, lang),
  status: m.status,
  progress: m.progress,
  progressText: t.progressText(m.progress, m.status),
  daysLate: m.daysLate,
});

/** The dashboard of a reader: each program's recap, with the reach of each unit when the reader may see it (/jangkauan). */
export function dashboardJson(programs: ProgramRecap[], reach: ProgramReach[], t: Catalogue, lang: Language) {
  return {
    lang,
    silentAfterDays,
    programs: programs.map((p) => {
      // The recap's "who to call first" order, as a rank the page sorts by.
      const urgency = new Map([...p.units].sort(byUrgency).map((u, rank) => [u.id, rank]));
      const unitsReach = new Map(reach.find((r) => r.id === p.id)?.units.map((u) => [u.unitId, u]));
      return {
        id: p.id,
        name: p.name,
        today: formatLongDate(p.today, lang),
        progress: p.progress,
        overdue: p.overdue,
        counts: p.counts,
        regions: p.regions.map((r) => ({ id: r.id, name: r.name, progress: r.progress, overdue: r.overdue, units: r.units, counts: r.counts })),
        units: p.units.map((u) => {
          const steps = u.initiatives.flatMap((i) => i.milestones);
          const latest = steps.reduce<Date | null>((last, m) => (m.lastReportAt && (!last || m.lastReportAt > last) ? m.lastReportAt : last), null);
          const unitReach = unitsReach.get(u.id);
          return {
            id: u.id,
            name: u.name,
            code: steps[0]!.unit.code,
            regionId: u.regionId,
            region: u.region,
            progress: u.progress,
            overdue: u.overdue,
            blocked: u.blocked,
            mostDaysLate: u.mostDaysLate,
            daysSinceReport: u.daysSinceReport,
            lastReport: latest ? formatShortDate(localDate(latest, steps[0]!.region.timezone), lang) : null,
            state: u.state,
            urgency: urgency.get(u.id)!,
            /** Has a step not done (a unit with none is never silent). */
            open: steps.some((m) => m.status !== "done"),
            // Heads of unit do not see reach in the chat either (/jangkauan is a coordinator's).
            reach: unitReach
              ? {
                  focalPoints: unitReach.focalPoints.map((f) => ({ name: f.name, blocked: f.blockedSince !== null })),
                  pendingInvites: unitReach.pendingInvites,
                }
              : null,
            initiatives: u.initiatives.map((i) => ({
              id: i.id,
              name: i.name,
              progress: i.progress,
              overdue: i.overdue,
              blocked: i.blocked,
              steps: i.milestones.map((m) => stepJson(m, t, lang)),
            })),
          };
        }),
      };
    }),
  };
}

/** One step with its reports, newest first; a report's files by their place (fetched through /app/api/file). */
export function stepJsonWithReports({ step, history }: StepHistory, t: Catalogue, lang: Language) {
  return {
    step: { ...stepJson(step, t, lang), initiative: step.initiative.name, unit: step.unit.name, region: step.region.name, program: step.program.name },
    reports: history.entries.map((e) => ({
      id: e.id,
      at: formatMoment(e.createdAt, step.region.timezone, lang),
      reporter: e.reporter ? reporterName(e.reporter, step.unit.name) : t.history.unknownReporter,
      progressText: t.progressText(e.percent, e.status),
      note: e.note,
      undone: e.undone,
      files: e.files.map((f, index) => ({ index, kind: f.kind, name: f.fileName })),
    })),
    more: history.more,
  };
}
