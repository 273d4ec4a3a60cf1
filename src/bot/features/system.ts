import { Composer } from "telegraf";
import { pantauVersion } from "../../backup/format.js";
import { systemCounts } from "../../services/system-status.js";
import type { PantauContext } from "../context.js";
import { requireAdmin } from "../guards.js";
import { adminMoment, backupLines } from "./help.js";

/** How a database kind is named to admins. */
const databaseNames = { sqlite: "SQLite", postgresql: "PostgreSQL" } as const;

/**
 * /sistem (/system), for admins: the version and database, how long this process runs, the
 * outbox's backlog, this process's last reminder pass, the last backup (as /bantuan's foot
 * shows it), and how many people and units there are. Everyone else is refused as for any
 * command not theirs.
 */
export const system = new Composer<PantauContext>();

system.command(["sistem", "system"], async (ctx) => {
  if (!(await requireAdmin(ctx))) return;
  const t = ctx.t.system;
  const { databaseKind, vitals } = ctx.deps.system;
  const counts = await systemCounts(ctx.deps.db, ctx.now);
  const { due, oldestDueAt } = counts.outbox;
  const pass = vitals.pass();
  const lines = [
    t.header,
    t.version(pantauVersion(), databaseNames[databaseKind]),
    t.uptime(duration(ctx, vitals.uptimeSeconds())),
    t.outbox(due, oldestDueAt ? duration(ctx, (ctx.now.getTime() - oldestDueAt.getTime()) / 1000) : null),
    pass ? t.lastPass(...adminMoment(ctx, pass.at), pass.ok, pass.seconds) : t.noPass,
    ...(await backupLines(ctx)),
    t.counts(counts.people.registered, counts.people.known, counts.units),
  ];
  // Plain text: the backup's file name is written as it is.
  await ctx.reply(lines.join("\n"));
});

/** Seconds as days and hours, or hours and minutes, in the reader's language. */
function duration(ctx: PantauContext, seconds: number): string {
  const minutes = Math.floor(Math.max(0, seconds) / 60);
  return ctx.t.system.duration(Math.floor(minutes / 1440), Math.floor(minutes / 60) % 24, minutes % 60);
}
