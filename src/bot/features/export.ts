import { Composer } from "telegraf";
import { formatLongDate } from "../../domain/dates.js";
import { exportFileName, writeExportXlsx } from "../../files/export-file.js";
import { exportData, recordExport } from "../../services/export.js";
import type { Person } from "../../services/people.js";
import { scopeOf, type Scope } from "../../services/scope.js";
import type { PantauContext } from "../context.js";
import { escapeHtml } from "../format.js";
import { auditActor, requireRole } from "../guards.js";
import { language } from "../language.js";

/** /ekspor (/export): the recap as an XLSX file, one per program the coordinator coordinates. */
export const exportRecap = new Composer<PantauContext>();

exportRecap.command(["ekspor", "export"], async (ctx) => {
  const person = await requireRole(ctx, "koordinator");
  if (!person) return;
  // Only what they coordinate: a coordinator who is also a unit's focal point does not get
  // that unit's other programs in a file meant for the leadership meeting.
  await sendExport(ctx, person, scopeOf(person, "koordinator"));
});

/** The XLSX recap of each program of a coordinator's `scope`, sent as files, the read audited (/ekspor, and /rekap's button). */
export async function sendExport(ctx: PantauContext, person: Person, scope: Scope): Promise<void> {
  const programs = await exportData(ctx.deps.db, scope, ctx.now);
  if (programs.length === 0) return void (await ctx.reply(ctx.t.exportFile.none));
  await recordExport(ctx.deps.db, auditActor(ctx, person), scope, programs, "xlsx", ctx.now);
  const lang = language(ctx);
  const labels = { ...ctx.t.exportFile, statusNames: ctx.t.statusNames };
  for (const program of programs) {
    const bytes = await writeExportXlsx([program], labels, ctx.now);
    await ctx.replyWithDocument(
      { source: bytes, filename: exportFileName(program.name, program.today) },
      {
        caption: ctx.t.exportFile.caption(escapeHtml(program.name), formatLongDate(program.today, lang), program.progress, program.overdue),
        parse_mode: "HTML",
      },
    );
  }
}
