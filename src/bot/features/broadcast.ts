import { Composer, Markup } from "telegraf";
import type { InlineKeyboardMarkup } from "telegraf/types";
import { z } from "zod";
import { catalogue, type Catalogue } from "../../i18n/index.js";
import {
  audienceUnits,
  broadcastProgress,
  cancelBroadcast,
  createBroadcast,
  silentDayChoices,
  summarizeAudience,
  type Audience,
} from "../../services/broadcasts.js";
import { endFlow } from "../../services/flows.js";
import type { Person } from "../../services/people.js";
import { coordinatedProgram, coordinatedPrograms, programUnits, type CoordinatedProgram, type ScopeUnit } from "../../services/scope.js";
import type { PantauContext } from "../context.js";
import { editReport, excerpt, ignoreNotModified } from "../delivery-report.js";
import { defineFlow, FlowKind, idOf, personActor, show, type FlowMessage, type Press } from "../flows/flow.js";
import { escapeHtml, messageLimit, shorten } from "../format.js";
import { auditActor, requireRole } from "../guards.js";

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
      auditActor(ctx, person),
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
  const outcome = await cancelBroadcast(ctx.deps.db, person, id, ctx.now, auditActor(ctx, person));
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
