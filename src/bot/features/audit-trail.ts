import { Composer, Markup } from "telegraf";
import type { Catalogue } from "../../i18n/index.js";
import { auditPage, fieldChanges, type AuditFilter, type AuditRecord } from "../../services/audit.js";
import type { Manager } from "../../services/authority.js";
import { coordinatedPrograms } from "../../services/scope.js";
import type { PantauContext } from "../context.js";
import { formatMoment } from "../../domain/dates.js";
import { escapeHtml, maxName, shorten } from "../format.js";
import { requireManager } from "../guards.js";
import { language } from "../language.js";

/**
 * /jejak (/audit): the latest entries of the audit trail a coordinator may see (their programs,
 * only their regions when limited to some; every entry for an admin), as sentences in the
 * reader's language, ten at a time with Older/Newer buttons. Read-only, so the buttons carry the
 * page's edge ("jk:o:<id>", "jk:n:<id>") rather than a flow: each press checks the role and the
 * reach again, and leaves any open flow (a /lapor draft) alone.
 */
export const auditTrail = new Composer<PantauContext>();

const perPage = 10;
/** One line stays well inside a tenth of a message even with long names. */
const lineLimit = 380;

/** What the manager may read: everything (admin), else their programs and regions. */
async function filterOf(ctx: PantauContext, manager: Manager): Promise<{ filter: AuditFilter; scope: string }> {
  if (manager.admin) return { filter: {}, scope: ctx.t.auditTrail.everything };
  const programs = await coordinatedPrograms(ctx.deps.db, manager.person);
  return {
    filter: { reach: programs.map((p) => ({ programId: p.id, regionIds: p.regionIds })) },
    scope: programs.map((p) => p.name).join(", "),
  };
}

async function showPage(ctx: PantauContext, at: { olderThan?: number; newerThan?: number }, edit: boolean): Promise<void> {
  const manager = await requireManager(ctx);
  if (!manager) return;
  const t = ctx.t.auditTrail;
  const { filter, scope } = await filterOf(ctx, manager);
  const page = await auditPage(ctx.deps.db, filter, at, perPage);
  const lines = page.entries.map((e) => escapeHtml(shorten(entryLine(ctx, e), lineLimit)));
  const text = [t.header(escapeHtml(shorten(scope, 200))), "", ...(lines.length ? lines : [t.none]), "", t.hint].join("\n");
  const nav = [
    ...(page.older ? [Markup.button.callback(t.older, `jk:o:${page.entries.at(-1)!.id}`)] : []),
    ...(page.newer ? [Markup.button.callback(t.newer, `jk:n:${page.entries[0]!.id}`)] : []),
  ];
  const extra = { parse_mode: "HTML" as const, link_preview_options: { is_disabled: true }, ...Markup.inlineKeyboard(nav.length ? [nav] : []) };
  if (edit) {
    await ctx.answerCbQuery();
    await ctx.editMessageText(text, extra).catch(() => undefined);
  } else await ctx.reply(text, extra);
}

auditTrail.command(["jejak", "audit"], (ctx) => showPage(ctx, {}, false));

auditTrail.action(/^jk:([on]):(\d{1,9})$/, async (ctx) => {
  if (ctx.chat?.type !== "private") return void (await ctx.answerCbQuery(ctx.t.access.notAllowed, { show_alert: true }));
  const id = Number(ctx.match[2]);
  await showPage(ctx, ctx.match[1] === "o" ? { olderThan: id } : { newerThan: id }, true);
});

/** "Sab, 28 Nov 2026 14.05 WIB — Rina (PIC Dinas Pariwisata) melaporkan 60% (berjalan) untuk 'Penyusunan SOP layanan'" */
export function entryLine(ctx: PantauContext, e: AuditRecord): string {
  const t = ctx.t.auditTrail;
  const when = formatMoment(e.at, e.region?.timezone ?? ctx.deps.defaultTimezone, language(ctx));
  return t.line(when, whoOf(t, e), whatOf(ctx.t, e), e.origin === "group" ? t.inGroup : "");
}

function whoOf(t: Catalogue["auditTrail"], e: AuditRecord): string {
  const a = e.actor;
  if (a.kind === "cli") return t.cli(a.name);
  if (a.kind === "scheduler") return t.scheduler;
  if (a.kind !== "person") return t.system;
  const name = shorten(a.name ?? `#${a.telegramId}`, maxName);
  return a.role && a.seat ? t.seat(name, t.roleWords[a.role] ?? a.role, shorten(a.seat, maxName)) : name;
}

const obj = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const num = (value: unknown) => (typeof value === "number" ? value : 0);
const str = (value: unknown) => (typeof value === "string" ? value : value === null || value === undefined ? "—" : String(value));

function whatOf(catalogue: Catalogue, e: AuditRecord): string {
  const a = catalogue.auditTrail.actions;
  const target = e.targetName ?? "";
  const [before, after, detail] = [obj(e.before), obj(e.after), obj(e.detail)];
  const role = (value: unknown) => catalogue.roles[str(value)] ?? str(value);
  switch (e.action) {
    case "report.create":
      return a.reported(num(after.progress), catalogue.auditTrail.statusNames[str(after.status)] ?? str(after.status), target);
    case "report.undo":
      return a.undid(target, num(after.progress));
    case "report.evidence":
      return a.evidence(num(detail.added), target);
    case "reminder.snooze":
      return a.snoozed(target, str(after.remindOn));
    case "reminder.snooze_undo":
      return a.snoozeUndone(target, str(before.remindOn));
    case "plan.import": {
      const steps = (Array.isArray(detail.steps) ? detail.steps : []).map(obj).filter((s) => s.kind === "updated");
      const moved = steps.slice(0, 3).map((s) => {
        const [was, is] = [obj(s.before), obj(s.after)];
        return was.dueDate !== is.dueDate
          ? a.dueMoved(str(s.step), str(was.dueDate), str(is.dueDate))
          : a.weightChanged(str(s.step), num(was.weight), num(is.weight));
      });
      const rest = num(detail.updated) - moved.length;
      const list = [...moved, ...(rest > 0 && moved.length ? [a.more(rest)] : [])];
      return `${a.imported(target, num(detail.created), num(detail.updated))}${list.length ? ` (${list.join("; ")})` : ""}`;
    }
    case "invite.create":
      return a.inviteCreated(role(detail.role), target);
    case "invite.accept":
      return a.inviteAccepted(role(detail.role), target);
    case "invite.revoke":
      return a.inviteRevoked(role(detail.role), target);
    case "member.remove":
      return a.removed(target, role(before.role), str(before.where));
    case "member.leave":
      return a.left(role(before.role), str(before.where));
    case "broadcast.create":
      return a.broadcast(num(detail.recipients));
    case "broadcast.cancel":
      return a.broadcastCancelled(num(detail.notSent));
    case "nudge.create":
      return a.nudged(target, num(detail.people));
    case "program.rules":
      return a.rules(
        target,
        fieldChanges(e)
          .map((c) => `${c.field} ${str(c.before)} → ${str(c.after)}`)
          .join(", "),
      );
    case "holiday.add":
    case "holiday.remove": {
      const day = e.action === "holiday.add" ? after : before;
      const where = e.region?.name ?? catalogue.holidays.wholeProgram(e.program?.name ?? "");
      return (e.action === "holiday.add" ? a.holidayAdded : a.holidayRemoved)(str(day.name), str(day.date), where);
    }
    case "person.rename":
      return a.renamed(str(before.name), str(after.name));
    case "person.language":
      return a.language(str(before.language), str(after.language));
    case "person.digest":
      return a.digest(after.weeklyDigest === true);
    case "leave.set":
      return catalogue.away.auditSet(str(after.lastDay));
    case "leave.end":
      return catalogue.away.auditEnd;
    case "person.block":
      return a.blocked;
    case "person.unblock":
      return a.unblocked;
    case "person.erase":
      return a.erased;
    case "person.data_access":
      return a.dataAccess;
    case "export.read":
      return a.exported(target);
    case "history.read":
      return a.historyRead(target);
    case "evidence.read":
      return a.evidenceRead(target);
    case "database.backup":
      return a.backup(target);
    case "database.restore":
      return a.restore(target);
    default:
      return a.other(e.action, target);
  }
}
