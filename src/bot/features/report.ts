import { Composer, Markup } from "telegraf";
import { formatShortDate } from "../../domain/dates.js";
import { AppError } from "../../domain/errors.js";
import { statusForPercent } from "../../domain/progress.js";
import type { MilestoneStatus } from "../../domain/statuses.js";
import { claimFlowStep, endFlow, getFlow, saveFlow } from "../../services/flows.js";
import { noteLimit, openMilestones, recordReport, reportableMilestone, type MilestoneView } from "../../services/milestones.js";
import type { Person } from "../../services/people.js";
import type { PantauContext } from "../context.js";
import { escapeHtml } from "../format.js";
import { requireRole } from "../guards.js";
import { language } from "../language.js";

/**
 * /lapor (/report): pick the step from buttons, give a percentage (button or typed) or say it
 * is blocked, add a note, confirm. The state lives in the database (ChatFlow), so a restart
 * in the middle loses nothing; every button carries the flow's current token and is checked
 * again on the server, so a stale or forged press changes nothing.
 */
export const report = new Composer<PantauContext>();

type ReportState =
  | { step: "milestone" }
  | { step: "percent"; milestoneId: number }
  | { step: "note"; milestoneId: number; percent: number | null; status: MilestoneStatus }
  | { step: "confirm"; milestoneId: number; percent: number | null; status: MilestoneStatus; note: string | null };

const kind = "report";
const maxButtons = 30;
const percentChoices = [0, 25, 50, 75, 100];

/** Callback data: "lp:<token>:<action>[:<arg>]". */
const button = (text: string, token: string, action: string, arg?: string | number) =>
  Markup.button.callback(text, ["lp", token, action, ...(arg === undefined ? [] : [String(arg)])].join(":"));

function describe(ctx: PantauContext, percent: number | null, status: MilestoneStatus, previous: number): string {
  return ctx.t.progressText(percent ?? previous, status);
}

report.command(["lapor", "report"], async (ctx) => {
  const person = await requireRole(ctx, "pic");
  if (!person) return;
  await offerSteps(ctx, person, await openMilestones(ctx.deps.db, person, ctx.now), ctx.t.report.pickMilestone);
});

/**
 * Starts the report flow at its first step: the given steps as buttons (the nearest
 * `maxButtons`), under `intro`. Also used when a reply to a reminder listing several steps
 * must say which one it is about.
 */
export async function offerSteps(ctx: PantauContext, person: Person, steps: MilestoneView[], intro: string): Promise<void> {
  if (steps.length === 0) {
    await endFlow(ctx.deps.db, person.id);
    await ctx.reply(ctx.t.report.noMilestones);
    return;
  }
  const token = await saveFlow<ReportState>(ctx.deps.db, person.id, kind, { step: "milestone" }, ctx.now);
  const lang = language(ctx);
  const rows = steps
    .slice(0, maxButtons)
    .map((m) => [button(`${m.daysLate > 0 ? "🔴 " : ""}${shorten(m.title, 40)} · ${formatShortDate(m.dueDate, lang)}`, token, "m", m.id)]);
  const text = steps.length > maxButtons ? `${intro}\n${ctx.t.report.listCut(maxButtons, steps.length)}` : intro;
  await ctx.reply(text, Markup.inlineKeyboard(rows));
}

report.action(/^lp:([\w-]+):(\w+)(?::([\w-]+))?$/, async (ctx) => {
  const person = await requireRole(ctx, "pic");
  if (!person) return;
  const [, token, action, arg] = ctx.match;
  const flow = await getFlow<ReportState>(ctx.deps.db, person.id, ctx.now);
  if (!flow || flow.kind !== kind || flow.token !== token || !(await claimFlowStep(ctx.deps.db, person.id, token, ctx.now))) {
    ctx.log.info({ action }, "stale or forged report button");
    await ctx.answerCbQuery(ctx.t.access.staleButton, { show_alert: true });
    return;
  }
  // Answered (and the keyboard removed, preventing double presses) once the press is known
  // to be valid; a refused press is answered by the error handler with the reason.
  const acknowledge = async () => {
    await ctx.answerCbQuery();
    await ctx.editMessageReplyMarkup(undefined).catch(() => undefined);
  };
  const state = flow.state;

  if (action === "m" && state.step === "milestone") {
    const step = await reportableMilestone(ctx.deps.db, person, Number(arg), ctx.now);
    await acknowledge();
    return choosePercent(ctx, person, step);
  }
  if (action === "p" && state.step === "percent" && percentChoices.includes(Number(arg))) {
    await acknowledge();
    const percent = Number(arg);
    return askNote(ctx, person, { step: "note", milestoneId: state.milestoneId, percent, status: statusForPercent(percent) });
  }
  if (action === "b" && state.step === "percent") {
    await acknowledge();
    return askNote(ctx, person, { step: "note", milestoneId: state.milestoneId, percent: null, status: "blocked" });
  }
  if (action === "skip" && state.step === "note" && state.status !== "blocked") {
    await acknowledge();
    return confirm(ctx, person, { ...state, step: "confirm", note: null });
  }
  if (action === "ok" && state.step === "confirm") {
    await acknowledge();
    return save(ctx, person, state);
  }
  if (action === "x") {
    await acknowledge();
    await endFlow(ctx.deps.db, person.id);
    await ctx.reply(ctx.t.report.cancelled);
    return;
  }
  await ctx.answerCbQuery(ctx.t.access.staleButton, { show_alert: true });
});

/** Typed answers inside the flow: a percentage, or the note. */
report.on("text", async (ctx, next) => {
  if (!ctx.person || ctx.message.text.startsWith("/") || ctx.chat.type !== "private") return next();
  const flow = await getFlow<ReportState>(ctx.deps.db, ctx.person.id, ctx.now);
  if (!flow || flow.kind !== kind) return next();
  const state = flow.state;
  const text = ctx.message.text.trim();
  if (state.step === "percent") {
    const match = /^(\d{1,3})\s*(%|persen)?$/i.exec(text);
    const percent = match ? Number(match[1]) : NaN;
    if (!(percent >= 0 && percent <= 100)) {
      await ctx.reply(ctx.t.report.badPercent);
      return;
    }
    return askNote(ctx, ctx.person, { step: "note", milestoneId: state.milestoneId, percent, status: statusForPercent(percent) });
  }
  if (state.step === "note") {
    return confirm(ctx, ctx.person, { ...state, step: "confirm", note: text.slice(0, noteLimit) });
  }
  // At the other steps the buttons are the answer.
  return next();
});

/** A title short enough for a button on a small phone screen. */
function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

async function choosePercent(ctx: PantauContext, person: Person, step: MilestoneView) {
  const token = await saveFlow<ReportState>(ctx.deps.db, person.id, kind, { step: "percent", milestoneId: step.id }, ctx.now);
  await ctx.reply(ctx.t.report.pickPercent(escapeHtml(step.title), step.progress), {
    parse_mode: "HTML",
    ...Markup.inlineKeyboard([
      percentChoices.map((p) => button(`${p}%`, token, "p", p)),
      [button(ctx.t.report.blockedButton, token, "b"), button(ctx.t.report.cancel, token, "x")],
    ]),
  });
}

async function askNote(ctx: PantauContext, person: Person, state: Extract<ReportState, { step: "note" }>) {
  const token = await saveFlow<ReportState>(ctx.deps.db, person.id, kind, state, ctx.now);
  if (state.status === "blocked") {
    await ctx.reply(ctx.t.report.askReason, Markup.inlineKeyboard([[button(ctx.t.report.cancel, token, "x")]]));
    return;
  }
  await ctx.reply(
    ctx.t.report.askNote,
    Markup.inlineKeyboard([[button(ctx.t.report.skip, token, "skip"), button(ctx.t.report.cancel, token, "x")]]),
  );
}

async function confirm(ctx: PantauContext, person: Person, state: Extract<ReportState, { step: "confirm" }>) {
  const step = await reportableMilestone(ctx.deps.db, person, state.milestoneId, ctx.now);
  const token = await saveFlow<ReportState>(ctx.deps.db, person.id, kind, state, ctx.now);
  await ctx.reply(
    ctx.t.report.confirm(
      escapeHtml(step.title),
      describe(ctx, state.percent, state.status, step.progress),
      state.note ? escapeHtml(state.note) : null,
    ),
    {
      parse_mode: "HTML",
      ...Markup.inlineKeyboard([[button(ctx.t.report.save, token, "ok"), button(ctx.t.report.cancel, token, "x")]]),
    },
  );
}

async function save(ctx: PantauContext, person: Person, state: Extract<ReportState, { step: "confirm" }>) {
  try {
    const saved = await recordReport(
      ctx.deps.db,
      person,
      { milestoneId: state.milestoneId, percent: state.percent, status: state.status, note: state.note, source: "flow" },
      ctx.now,
    );
    await endFlow(ctx.deps.db, person.id);
    await ctx.reply(ctx.t.report.saved(escapeHtml(saved.title), ctx.t.progressText(saved.progress, saved.status)), {
      parse_mode: "HTML",
    });
  } catch (err) {
    // Access lost or the step vanished between the steps of the flow.
    if (err instanceof AppError) await endFlow(ctx.deps.db, person.id);
    throw err;
  }
}
