import { wallClock, type Clock } from "../../clock.js";
import { Composer, Markup, TelegramError, type Telegram } from "telegraf";
import type { InlineKeyboardMarkup } from "telegraf/types";
import { z } from "zod";
import type { Prisma } from "../../db/connection.js";
import { catalogue, type Catalogue } from "../../i18n/index.js";
import type { Logger } from "../../logger.js";
import {
  audienceUnits,
  broadcastProgress,
  cancelBroadcast,
  createBroadcast,
  isBroadcastCancelled,
  nudge,
  silentDayChoices,
  summarizeAudience,
  type Audience,
  type BroadcastProgress,
  type NudgeResult,
  type NudgeStep,
  type NudgeUnit,
} from "../../services/broadcasts.js";
import { endFlow } from "../../services/flows.js";
import { DeliveryFailure, type OutboxSender } from "../../services/outbox.js";
import type { Person } from "../../services/people.js";
import { coordinatedProgram, coordinatedPrograms, programUnits, type CoordinatedProgram, type ScopeUnit } from "../../services/scope.js";
import type { PantauContext } from "../context.js";
import { defineFlow, FlowKind, idOf, personActor, show, type FlowMessage, type Press } from "../flows/flow.js";
import { echo, escapeHtml, messageLimit, shorten, splitMessages } from "../format.js";
import { requireRole } from "../guards.js";

/**
 * /siaran (/broadcast): compose (text, or a photo/document with a caption), pick the audience,
 * see who it reaches, send; then a delivery report edited as it goes, with a cancel button.
 * /ingatkan (/nudge): remind a unit's focal points, or one step's, right now.
 *
 * The guided flow is a flow (flows/flow.ts) like /lapor: its steps are `broadcastPress` and
 * `broadcastMessage`, pure; units out of the coordinator's reach are refused whatever a button says.
 */
export const broadcast = new Composer<PantauContext>();

const draftSchema = z.object({ text: z.string(), photoFileId: z.string().nullable(), documentId: z.string().nullable() });
type Draft = z.infer<typeof draftSchema>;
const audienceSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("program") }),
  z.object({ kind: z.literal("overdue") }),
  z.object({ kind: z.literal("silent"), days: z.number().int() }),
  z.object({ kind: z.literal("units"), unitIds: z.array(z.number().int()) }),
]);
const programId = z.number().int();

const broadcastState = z.discriminatedUnion("step", [
  z.object({ step: z.literal("program") }),
  z.object({ step: z.literal("compose"), programId }),
  z.object({ step: z.literal("audience"), programId, draft: draftSchema }),
  z.object({ step: z.literal("units"), programId, draft: draftSchema, selected: z.array(z.number().int()), page: z.number().int() }),
  z.object({ step: z.literal("preview"), programId, draft: draftSchema, audience: audienceSchema }),
]);

export type BroadcastState = z.infer<typeof broadcastState>;
type StepState<K extends BroadcastState["step"]> = Extract<BroadcastState, { step: K }>;
/** A step after the program is known; shown by `showStep`. */
type ProgramStep = Exclude<BroadcastState, { step: "program" }>;

/** Callback data: "bc:<token>:<action>[:<number>]". */
const flow = new FlowKind("broadcast", "bc", broadcastState);
const unitsPerPage = 8;
/** Units named in a preview line before "and N more". */
const namedUnits = 5;
/** Units of the audience listed in a preview before "and N more". */
const listedUnits = 12;
/** Units listed in a delivery report before "and N more units". */
const reportUnits = 10;

/**
 * The longest text a broadcast may have: recipients read it below the header (in Indonesian or
 * English) and it must fit one Telegram message (a longer caption goes as a message of its own).
 */
export function maxBroadcastLength(senderName: string): number {
  const placeholder = "x".repeat(senderName.length);
  const header = Math.max(...[catalogue("id"), catalogue("en")].map((t) => t.broadcast.header(placeholder).replace(/<[^>]+>/g, "").length));
  return messageLimit - header - 2;
}

/** What a press does: the next step (shown as its view), a refusal (nothing changes), the send. */
export type BroadcastPressOutcome = { to: ProgramStep } | { refuse: "unitOutOfReach" | "noneSelected" } | { send: StepState<"preview"> } | "stale";

/** The broadcast flow's presses; `unitsInReach`: the units of the coordinator's program (read when the chooser is open). */
export function broadcastPress(state: BroadcastState, press: Press, unitsInReach: readonly number[]): BroadcastPressOutcome {
  const { action } = press;
  const arg = idOf(press.arg);
  switch (state.step) {
    case "program":
      return action === "p" && arg !== null ? { to: { step: "compose", programId: arg } } : "stale";
    case "compose":
      return "stale";
    case "audience": {
      const { programId, draft } = state;
      const preview = (audience: Audience) => ({ to: { step: "preview" as const, programId, draft, audience } });
      if (action === "pick") return { to: { step: "units", programId, draft, selected: [], page: 0 } };
      if (action === "all") return preview({ kind: "program" });
      if (action === "late") return preview({ kind: "overdue" });
      if (action === "sil" && arg !== null && (silentDayChoices as readonly number[]).includes(arg)) return preview({ kind: "silent", days: arg });
      return "stale";
    }
    case "units":
      if (action === "u" && arg !== null) {
        // Out of reach (another region, another program): refused; the chooser stays usable.
        if (!unitsInReach.includes(arg)) return { refuse: "unitOutOfReach" };
        return { to: { ...state, selected: state.selected.includes(arg) ? state.selected.filter((id) => id !== arg) : [...state.selected, arg] } };
      }
      if (action === "pg" && arg !== null) return { to: { ...state, page: arg } };
      if (action !== "ok") return "stale";
      if (state.selected.length === 0) return { refuse: "noneSelected" };
      return { to: { step: "preview", programId: state.programId, draft: state.draft, audience: { kind: "units", unitIds: state.selected } } };
    case "preview":
      if (action === "chg") return { to: { step: "audience", programId: state.programId, draft: state.draft } };
      return action === "go" ? { send: state } : "stale";
  }
}

/** A message sent while the flow waits for the text: a draft, or why it is not one. */
export type DraftInput = Draft | "empty" | "no_caption";

/** The draft a message makes: its text, or a photo's or document's caption. */
export function draftOf(message: FlowMessage): DraftInput {
  if ("text" in message) return message.text.trim() ? { text: message.text.trim(), photoFileId: null, documentId: null } : "empty";
  const text = message.caption?.trim() ?? "";
  if (!text) return "no_caption";
  return "photo" in message
    ? { text, photoFileId: message.photo.at(-1)!.file_id, documentId: null }
    : { text, photoFileId: null, documentId: message.document.file_id };
}

export type BroadcastNotice = { notice: "empty" } | { notice: "no_caption" } | { notice: "too_long"; length: number; max: number };

/** The message to broadcast, while the flow waits for it (`max`: `maxBroadcastLength`); anything else passes. */
export function broadcastMessage(state: BroadcastState, draft: DraftInput, max: number): { to: StepState<"audience"> } | { say: BroadcastNotice } | "pass" {
  if (state.step !== "compose") return "pass";
  if (draft === "empty") return { say: { notice: "empty" } };
  if (draft === "no_caption") return { say: { notice: "no_caption" } };
  if (draft.text.length > max) return { say: { notice: "too_long", length: draft.text.length, max } };
  return { to: { step: "audience", programId: state.programId, draft } };
}

function noticeText(t: Catalogue, say: BroadcastNotice): string {
  if (say.notice === "empty") return t.broadcast.empty;
  if (say.notice === "no_caption") return t.broadcast.needCaption;
  return t.broadcast.tooLong(say.length, say.max);
}

/**
 * Shows a step in place of the message whose button was pressed (one message goes from the
 * audience question to the preview to the delivery report), or as a new message after a command
 * or a typed message.
 */
const answer = (ctx: PantauContext, text: string, keyboard?: Markup.Markup<InlineKeyboardMarkup>) =>
  show(ctx, "in-place", text, { parse_mode: "HTML", ...(keyboard ? { reply_markup: keyboard.reply_markup } : {}) });

// ---------------------------------------------------------------------------------------------
// /siaran
// ---------------------------------------------------------------------------------------------

broadcast.command(["siaran", "broadcast"], async (ctx) => {
  // Composing in a group would show the message, and the audience, to everyone in it.
  if (ctx.chat.type !== "private") {
    await ctx.reply(ctx.t.broadcast.privateOnly);
    return;
  }
  const person = await requireRole(ctx, "koordinator");
  if (!person) return;
  const programs = await coordinatedPrograms(ctx.deps.db, person);
  if (programs.length === 0) {
    await ctx.reply(ctx.t.broadcast.noProgram);
    return;
  }
  if (programs.length === 1) return showStep(ctx, person, programs[0]!, { step: "compose", programId: programs[0]!.id });
  const button = flow.buttons(await flow.save(ctx, person.id, { step: "program" }));
  await ctx.reply(
    ctx.t.broadcast.pickProgram,
    Markup.inlineKeyboard([...programs.map((p) => [button(shorten(p.name, 60), "p", p.id)]), [button(ctx.t.broadcast.cancel, "x")]]),
  );
});

export const broadcastFlow = defineFlow(flow, {
  actor: personActor((ctx) => requireRole(ctx, "koordinator")),
  cancel: { place: "in-place", text: (t) => t.broadcast.cancelled },
  press: async (ctx, { person }, state, press) => {
    const db = ctx.deps.db;
    const programId = state.step === "program" ? idOf(press.arg) : state.programId;
    const scope = programId === null ? null : await coordinatedProgram(db, person, programId);
    if (!scope) {
      await endFlow(db, person.id);
      await ctx.answerCbQuery(ctx.t.access.notAllowed, { show_alert: true });
      return;
    }
    const units = state.step === "units" ? await programUnits(db, scope) : undefined;
    const outcome = broadcastPress(state, press, units?.map((u) => u.id) ?? []);
    if (outcome === "stale") return "stale";
    if ("refuse" in outcome) {
      if (outcome.refuse === "unitOutOfReach") ctx.log.warn({ unitId: press.arg }, "broadcast to a unit out of reach refused");
      return { refuse: ctx.t.broadcast[outcome.refuse] };
    }
    // Answered once the press is known to be valid (the next step replaces its keyboard).
    await ctx.answerCbQuery();
    if ("send" in outcome) return send(ctx, person, outcome.send);
    await showStep(ctx, person, scope, outcome.to, units);
  },
  message: async (ctx, person, live, message) => {
    const outcome = broadcastMessage(live.state, draftOf(message), maxBroadcastLength(person.firstName ?? ""));
    if (outcome === "pass") return "pass";
    if ("say" in outcome) return void (await ctx.reply(noticeText(ctx.t, outcome.say)));
    await showAudience(ctx, person, outcome.to);
  },
});

/** Saves the step and shows it (`units`: the program's units, when already read). */
async function showStep(ctx: PantauContext, person: Person, scope: CoordinatedProgram, state: ProgramStep, units?: ScopeUnit[]): Promise<void> {
  switch (state.step) {
    case "compose":
      await flow.save(ctx, person.id, state);
      return answer(ctx, ctx.t.broadcast.compose(escapeHtml(scope.name)));
    case "audience":
      return showAudience(ctx, person, state);
    case "units":
      return showUnits(ctx, person, state, units ?? (await programUnits(ctx.deps.db, scope)));
    case "preview":
      return showPreview(ctx, person, scope, state);
  }
}

async function showAudience(ctx: PantauContext, person: Person, state: StepState<"audience">, intro?: string) {
  const button = flow.buttons(await flow.save(ctx, person.id, state));
  const t = ctx.t.broadcast;
  await answer(
    ctx,
    intro ? `${intro}\n\n${t.pickAudience}` : t.pickAudience,
    Markup.inlineKeyboard([
      [button(t.audienceProgram, "all")],
      [button(t.audienceOverdue, "late")],
      silentDayChoices.map((days) => button(t.audienceSilent(days), "sil", days)),
      [button(t.audienceUnits, "pick")],
      [button(t.cancel, "x")],
    ]),
  );
}

function unitsView(t: Catalogue, button: ReturnType<typeof flow.buttons>, units: ScopeUnit[], selected: Set<number>, page: number) {
  const pages = Math.max(1, Math.ceil(units.length / unitsPerPage));
  const current = Math.min(Math.max(0, page), pages - 1);
  const manyRegions = new Set(units.map((u) => u.region)).size > 1;
  const rows = units
    .slice(current * unitsPerPage, (current + 1) * unitsPerPage)
    .map((u) => [button(`${selected.has(u.id) ? "✅ " : ""}${shorten(manyRegions ? `${u.name} · ${u.region}` : u.name, 60)}`, "u", u.id)]);
  const nav = [
    ...(current > 0 ? [button(t.paging.previous, "pg", current - 1)] : []),
    ...(current < pages - 1 ? [button(t.paging.next, "pg", current + 1)] : []),
  ];
  if (nav.length) rows.push(nav);
  rows.push([button(t.broadcast.unitsDone(selected.size), "ok"), button(t.broadcast.cancel, "x")]);
  return { text: t.broadcast.pickUnits(selected.size, current + 1, pages), keyboard: Markup.inlineKeyboard(rows) };
}

/** The unit chooser, shown again after every toggle or page turn. */
async function showUnits(ctx: PantauContext, person: Person, state: StepState<"units">, units: ScopeUnit[]) {
  const button = flow.buttons(await flow.save(ctx, person.id, state));
  const view = unitsView(ctx.t, button, units, new Set(state.selected), state.page);
  await answer(ctx, view.text, view.keyboard);
}

function audienceName(t: Catalogue, audience: Audience): string {
  const names = t.broadcast.audienceName;
  if (audience.kind === "program") return names.program;
  if (audience.kind === "overdue") return names.overdue;
  if (audience.kind === "silent") return names.silent(audience.days);
  return names.units(audience.unitIds.length);
}

/** The message as a one-glance excerpt: "[foto] first words…". */
function excerpt(t: Catalogue, draft: { text: string; media: string | null }, max: number): string {
  const media = draft.media ? `${t.broadcast.media[draft.media]} ` : "";
  return escapeHtml(`${media}${shorten(draft.text, max)}`);
}

async function showPreview(ctx: PantauContext, person: Person, scope: CoordinatedProgram, state: StepState<"preview">) {
  const t = ctx.t.broadcast;
  const units = await audienceUnits(ctx.deps.db, scope, state.audience, ctx.now);
  if (units.length === 0) return showAudience(ctx, person, { step: "audience", programId: state.programId, draft: state.draft }, t.noUnits);
  const summary = await summarizeAudience(ctx.deps.db, scope.id, units, ctx.now);
  const button = flow.buttons(await flow.save(ctx, person.id, state));
  const unreachedNames = summary.unreached.slice(0, namedUnits).map((u) => escapeHtml(u.name));
  if (summary.unreached.length > namedUnits) unreachedNames.push(t.andMore(summary.unreached.length - namedUnits));
  const unitNames = units.slice(0, listedUnits).map((u) => escapeHtml(u.name));
  if (units.length > listedUnits) unitNames.push(t.andMore(units.length - listedUnits));
  const media = state.draft.photoFileId ? "photo" : state.draft.documentId ? "document" : null;
  const lines = [
    t.preview(escapeHtml(scope.name), audienceName(ctx.t, state.audience), excerpt(ctx.t, { text: state.draft.text, media }, 1000)),
    "",
    t.unitNames(units.length, unitNames.join(", ")),
    summary.people > 0 ? t.reach(summary.people, summary.unitsReached) : t.noRecipients,
    ...(summary.unreached.length ? [t.unreached(summary.unreached.length, unreachedNames.join(", "))] : []),
    ...(summary.blocked ? [t.blockedPeople(summary.blocked)] : []),
  ];
  await answer(
    ctx,
    lines.join("\n"),
    Markup.inlineKeyboard([...(summary.people > 0 ? [[button(t.send, "go")]] : []), [button(t.change, "chg"), button(t.cancel, "x")]]),
  );
}

/**
 * Kirim: the preview becomes the delivery report. The broadcast (pointing at that message) and
 * its outbox rows are written in one transaction, then the report shows its first counts and
 * the cancel button, and the outbox is woken. If the transaction fails nothing was written and
 * the message says nothing was sent.
 */
async function send(ctx: PantauContext, person: Person, state: StepState<"preview">) {
  const db = ctx.deps.db;
  await endFlow(db, person.id);
  const preview = ctx.callbackQuery!.message!;
  let created: Awaited<ReturnType<typeof createBroadcast>>;
  try {
    created = await createBroadcast(
      db,
      person,
      { programId: state.programId, ...state.draft, audience: state.audience },
      { chatId: preview.chat.id, messageId: preview.message_id },
      ctx.now,
    );
  } catch (err) {
    ctx.log.error({ err }, "broadcast could not be created");
    await answer(ctx, ctx.t.broadcast.prepareFailed);
    return;
  }
  if (!created.ok) {
    await answer(ctx, ctx.t.broadcast.notSent);
    return;
  }
  ctx.log.info({ broadcast: created.id, recipients: created.recipients, units: created.units }, "broadcast queued");
  const progress = await broadcastProgress(db, created.id, ctx.now);
  // The edit is queued before the outbox starts, so a later report never lands under this one.
  const editing = progress
    ? editReport(ctx.telegram, progress).catch((err: unknown) => ctx.log.warn({ err }, "could not show the broadcast report"))
    : undefined;
  ctx.deps.outbox.wake();
  await editing;
}

/** Batalkan on a delivery report: only its author or a coordinator of the whole program. */
broadcast.action(/^bcx:(\d+)$/, async (ctx) => {
  const person = await requireRole(ctx, "koordinator");
  if (!person) return;
  const id = Number(ctx.match[1]);
  const outcome = await cancelBroadcast(ctx.deps.db, person, id, ctx.now);
  if (outcome === "not_allowed") {
    ctx.log.warn({ broadcast: id }, "broadcast cancel refused");
    await ctx.answerCbQuery(ctx.t.broadcast.notYours, { show_alert: true });
    return;
  }
  await ctx.answerCbQuery(outcome === "cancelled" ? ctx.t.broadcast.cancelDone : ctx.t.broadcast.alreadyFinished, { show_alert: outcome !== "cancelled" });
  if (outcome === "cancelled") ctx.log.info({ broadcast: id }, "broadcast cancelled");
  const progress = await broadcastProgress(ctx.deps.db, id, ctx.now);
  if (progress) await editReport(ctx.telegram, progress).catch(ignoreNotModified);
});

// ---------------------------------------------------------------------------------------------
// The delivery report
// ---------------------------------------------------------------------------------------------

/** The delivery report as its author reads it, with the cancel button while it is sending. */
export function reportView(p: BroadcastProgress): { text: string; markup: InlineKeyboardMarkup | undefined } {
  const t = catalogue(p.language);
  const r = t.broadcast.report;
  const status = p.status === "cancelled" ? r.cancelled : p.status === "sending" ? r.sending : r.done;
  const lines = [
    r.title(escapeHtml(p.programName)),
    `<i>${excerpt(t, p, 80)}</i>`,
    status,
    // People known to have blocked the bot were not sent to; they count as blocked all the same.
    r.recipients(p.recipients + p.blockedBefore),
    "",
    r.sent(p.sent),
    r.failed(p.failed),
    r.blocked(p.blocked + p.blockedBefore),
    p.status === "cancelled" ? r.notSent(p.cancelled, p.sent) : r.pending(p.pending),
  ];
  if (p.unreached.length) {
    lines.push("", r.unreachedHeader(p.unreached.length));
    lines.push(...p.unreached.slice(0, reportUnits).map((u) => r.unreachedLine(escapeHtml(u.name), u.invited)));
    if (p.unreached.length > reportUnits) lines.push(r.more(p.unreached.length - reportUnits));
  }
  const markup = p.status === "sending" ? Markup.inlineKeyboard([[Markup.button.callback(t.broadcast.cancelButton, `bcx:${p.id}`)]]).reply_markup : undefined;
  return { text: lines.join("\n"), markup };
}

async function editReport(telegram: Telegram, p: BroadcastProgress): Promise<string | null> {
  if (p.reportChatId === null || p.reportMessageId === null) return null;
  const view = reportView(p);
  await telegram.editMessageText(p.reportChatId, p.reportMessageId, undefined, view.text, {
    parse_mode: "HTML",
    ...(view.markup ? { reply_markup: view.markup } : {}),
  });
  return view.text;
}

function ignoreNotModified(err: unknown): void {
  if (err instanceof TelegramError && err.description.includes("message is not modified")) return;
  throw err;
}

export interface BroadcastReporterOptions {
  /** The time the bot lives in (tests pass theirs); for invites still waiting. */
  clock: Clock;
  /** At most one edit of a report per this many milliseconds while it is sending. */
  intervalMs?: number;
  /** TELEGRAM_RATE_LIMIT: bounds how many broadcast messages wait at Telegram's door at once. */
  messagesPerSecond?: number;
}

export interface BroadcastReporter {
  /** For `dispatchOutbox`'s onBroadcastProgress: edits the delivery reports of these broadcasts. */
  progress(broadcastIds: number[]): Promise<void>;
  /**
   * Wraps the outbox sender so that a broadcast's message is checked against a cancel right
   * before it goes out, and only a few broadcast messages wait in the rate limiter at a time:
   * a cancel then stops everything but those few.
   */
  guard(send: OutboxSender): OutboxSender;
}

/**
 * Keeps coordinators' delivery reports current while the outbox sends their broadcasts: an
 * edit at most every `intervalMs` per broadcast while it is sending, and always one when it is
 * done or cancelled. A failing edit is logged and never stops the outbox.
 */
export function createBroadcastReporter(telegram: Telegram, db: Prisma, logger: Logger, options: BroadcastReporterOptions): BroadcastReporter {
  const clock = options.clock;
  const intervalMs = options.intervalMs ?? 2000;
  const lastEdit = new Map<number, { at: number; text: string }>();
  // A quarter of a second of broadcast messages waits at the rate limit, whatever the rate.
  const inFlight = Math.max(1, Math.ceil((options.messagesPerSecond ?? 28) / 4));

  return {
    async progress(broadcastIds) {
      for (const id of broadcastIds) {
        try {
          const p = await broadcastProgress(db, id, clock());
          if (!p) continue;
          const final = p.status !== "sending";
          const last = lastEdit.get(id);
          if (!final && last && wallClock() - last.at < intervalMs) continue;
          if (last && last.text === reportView(p).text) {
            if (final) lastEdit.delete(id);
            continue;
          }
          const text = await editReport(telegram, p).catch((err: unknown) => (ignoreNotModified(err), null));
          if (final) lastEdit.delete(id);
          else if (text) lastEdit.set(id, { at: wallClock(), text });
        } catch (err) {
          logger.warn({ err, broadcast: id }, "could not update a broadcast report");
        }
      }
    },

    guard(send) {
      let active = 0;
      const waiting: (() => void)[] = [];
      return async (message) => {
        if (message.type !== "broadcast") return send(message);
        if (active < inFlight) active++;
        else await new Promise<void>((resolve) => waiting.push(resolve));
        try {
          // Stays "cancelled": the outbox only frees a row it could not send, it keeps its status.
          if (await isBroadcastCancelled(db, message.broadcast.id)) throw new DeliveryFailure("retry", "broadcast cancelled");
          return await send(message);
        } finally {
          // The slot passes straight to the next in line.
          const next = waiting.shift();
          if (next) next();
          else active--;
        }
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// /ingatkan
// ---------------------------------------------------------------------------------------------

const unitLabel = (u: NudgeUnit) => escapeHtml(`${u.name} (${u.region})`);

function nudgeText(t: Catalogue, result: NudgeResult, query: string): string {
  const n = t.nudge;
  const unitLine = (u: NudgeUnit) => n.unitLine(escapeHtml(u.code), escapeHtml(u.name), escapeHtml(u.region));
  const stepLine = (s: NudgeStep) => n.stepLine(escapeHtml(s.title), escapeHtml(s.unit.name), escapeHtml(s.unit.code));
  switch (result.kind) {
    case "empty":
      return n.usage;
    case "not_found":
      return [
        n.notFound(echo(query)),
        ...(result.suggestions.length ? ["", n.suggestions, ...result.suggestions.map((s) => ("title" in s ? stepLine(s) : unitLine(s)))] : []),
      ].join("\n");
    case "ambiguous":
      return [n.ambiguous(echo(query)), ...result.units.map(unitLine), ...result.steps.map(stepLine), ...(result.steps.length ? ["", n.stepHint] : [])].join(
        "\n",
      );
    case "no_focal_point":
      return n.noFocalPoint(unitLabel(result.unit), escapeHtml(result.unit.code), result.invited);
    case "all_blocked":
      return n.allBlocked(unitLabel(result.unit));
    case "nothing_due":
      return n.nothingDue(unitLabel(result.unit));
    case "step_done":
      return n.stepDone(escapeHtml(result.step.title), unitLabel(result.step.unit));
    case "queued": {
      const target = result.target;
      if (result.people === 0)
        return n.already(target.type === "unit" ? unitLabel(target.unit) : `<b>${escapeHtml(target.step.title)}</b> (${unitLabel(target.step.unit)})`);
      return target.type === "unit"
        ? n.queuedUnit(result.people, result.steps, unitLabel(target.unit))
        : n.queuedStep(result.people, escapeHtml(target.step.title), unitLabel(target.step.unit));
    }
  }
}

broadcast.command(["ingatkan", "nudge"], async (ctx) => {
  const person = await requireRole(ctx, "koordinator");
  if (!person) return;
  const query = ctx.payload.trim();
  const result = await nudge(ctx.deps.db, person, query, ctx.now);
  ctx.log.info({ result: result.kind, ...(result.kind === "queued" ? { people: result.people, steps: result.steps } : {}) }, "nudge");
  for (const text of splitMessages([nudgeText(ctx.t, result, query)])) await ctx.reply(text, { parse_mode: "HTML" });
  if (result.kind === "queued" && result.people > 0) ctx.deps.outbox.wake();
});
