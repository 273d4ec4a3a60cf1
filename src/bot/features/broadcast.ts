import { Composer, Markup, TelegramError } from "telegraf";
import { message } from "telegraf/filters";
import type { InlineKeyboardMarkup } from "telegraf/types";
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
import { claimFlowStep, endFlow, getFlow, saveFlow } from "../../services/flows.js";
import type { Person } from "../../services/people.js";
import { coordinatedProgram, coordinatedPrograms, programUnits, type CoordinatedProgram } from "../../services/scope.js";
import type { PantauContext } from "../context.js";
import { editReport, excerpt, ignoreNotModified } from "../delivery-report.js";
import { escapeHtml, messageLimit, shorten } from "../format.js";
import { requireRole } from "../guards.js";

/**
 * /siaran (/broadcast): compose (text, or a photo/document with a caption), pick the audience,
 * see who it reaches, send; then a delivery report edited as it goes (see delivery-report.ts),
 * with a cancel button.
 *
 * The guided flow lives in the database (ChatFlow) like /lapor: every button carries the flow's
 * current token and is checked again on the server, and units out of the coordinator's reach
 * are refused whatever a button says.
 */
export const broadcast = new Composer<PantauContext>();

interface Draft {
  text: string;
  photoFileId: string | null;
  documentId: string | null;
}

type BroadcastState =
  | { step: "program" }
  | { step: "compose"; programId: number }
  | { step: "audience"; programId: number; draft: Draft }
  | { step: "units"; programId: number; draft: Draft; selected: number[]; page: number }
  | { step: "preview"; programId: number; draft: Draft; audience: Audience };

const kind = "broadcast";
const unitsPerPage = 8;
/** Units named in a preview line before "and N more". */
const namedUnits = 5;
/** Units of the audience listed in a preview before "and N more". */
const listedUnits = 12;

/** Callback data: "bc:<token>:<action>[:<number>]". */
const button = (text: string, token: string, action: string, arg?: number) =>
  Markup.button.callback(text, ["bc", token, action, ...(arg === undefined ? [] : [String(arg)])].join(":"));

/**
 * The longest text a broadcast may have: recipients read it below the header (in Indonesian or
 * English) and it must fit one Telegram message (a longer caption goes as a message of its own).
 */
export function maxBroadcastLength(senderName: string): number {
  const placeholder = "x".repeat(senderName.length);
  const header = Math.max(...[catalogue("id"), catalogue("en")].map((t) => t.broadcast.header(placeholder).replace(/<[^>]+>/g, "").length));
  return messageLimit - header - 2;
}

/**
 * Shows a step of the flow in place of the message whose button was pressed (one message goes
 * from the audience question to the preview to the delivery report, and each press costs one
 * call against the chat's rate limit), or as a new message after a command or a typed message.
 */
async function show(ctx: PantauContext, text: string, keyboard?: Markup.Markup<InlineKeyboardMarkup>): Promise<void> {
  const extra = { parse_mode: "HTML" as const, ...(keyboard ? { reply_markup: keyboard.reply_markup } : {}) };
  if (ctx.callbackQuery?.message) {
    try {
      await ctx.editMessageText(text, extra);
      return;
    } catch (err) {
      if (err instanceof TelegramError && err.description.includes("message is not modified")) return;
      ctx.log.warn({ err }, "could not edit the broadcast flow message; sending a new one");
    }
  }
  await ctx.reply(text, extra);
}

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
  if (programs.length === 1) return askCompose(ctx, person, programs[0]!);
  const token = await saveFlow<BroadcastState>(ctx.deps.db, person.id, kind, { step: "program" }, ctx.now);
  await ctx.reply(
    ctx.t.broadcast.pickProgram,
    Markup.inlineKeyboard([...programs.map((p) => [button(shorten(p.name, 60), token, "p", p.id)]), [button(ctx.t.broadcast.cancel, token, "x")]]),
  );
});

async function askCompose(ctx: PantauContext, person: Person, program: CoordinatedProgram) {
  await saveFlow<BroadcastState>(ctx.deps.db, person.id, kind, { step: "compose", programId: program.id }, ctx.now);
  await show(ctx, ctx.t.broadcast.compose(escapeHtml(program.name)));
}

/** The message to broadcast, while the flow waits for it; anything else goes on. */
async function takeDraft(ctx: PantauContext, next: () => Promise<void>, draft: Draft | "empty" | "no_caption") {
  if (!ctx.person || ctx.chat?.type !== "private") return next();
  const flow = await getFlow<BroadcastState>(ctx.deps.db, ctx.person.id, ctx.now);
  if (!flow || flow.kind !== kind || flow.state.step !== "compose") return next();
  if (draft === "empty") return void (await ctx.reply(ctx.t.broadcast.empty));
  if (draft === "no_caption") return void (await ctx.reply(ctx.t.broadcast.needCaption));
  const max = maxBroadcastLength(ctx.person.firstName ?? "");
  if (draft.text.length > max) return void (await ctx.reply(ctx.t.broadcast.tooLong(draft.text.length, max)));
  await showAudience(ctx, ctx.person, { step: "audience", programId: flow.state.programId, draft });
}

broadcast.on(message("text"), async (ctx, next) => {
  if (ctx.message.text.startsWith("/")) return next();
  const text = ctx.message.text.trim();
  await takeDraft(ctx, next, text ? { text, photoFileId: null, documentId: null } : "empty");
});

broadcast.on(message("photo"), async (ctx, next) => {
  const text = ctx.message.caption?.trim() ?? "";
  const largest = ctx.message.photo.at(-1)!;
  await takeDraft(ctx, next, text ? { text, photoFileId: largest.file_id, documentId: null } : "no_caption");
});

broadcast.on(message("document"), async (ctx, next) => {
  const text = ctx.message.caption?.trim() ?? "";
  await takeDraft(ctx, next, text ? { text, photoFileId: null, documentId: ctx.message.document.file_id } : "no_caption");
});

async function showAudience(ctx: PantauContext, person: Person, state: Extract<BroadcastState, { step: "audience" }>, intro?: string) {
  const token = await saveFlow<BroadcastState>(ctx.deps.db, person.id, kind, state, ctx.now);
  const t = ctx.t.broadcast;
  await show(
    ctx,
    intro ? `${intro}\n\n${t.pickAudience}` : t.pickAudience,
    Markup.inlineKeyboard([
      [button(t.audienceProgram, token, "all")],
      [button(t.audienceOverdue, token, "late")],
      silentDayChoices.map((days) => button(t.audienceSilent(days), token, "sil", days)),
      [button(t.audienceUnits, token, "pick")],
      [button(t.cancel, token, "x")],
    ]),
  );
}

function unitsView(t: Catalogue, token: string, units: Awaited<ReturnType<typeof programUnits>>, selected: Set<number>, page: number) {
  const pages = Math.max(1, Math.ceil(units.length / unitsPerPage));
  const current = Math.min(Math.max(0, page), pages - 1);
  const manyRegions = new Set(units.map((u) => u.region)).size > 1;
  const rows = units
    .slice(current * unitsPerPage, (current + 1) * unitsPerPage)
    .map((u) => [button(`${selected.has(u.id) ? "✅ " : ""}${shorten(manyRegions ? `${u.name} · ${u.region}` : u.name, 60)}`, token, "u", u.id)]);
  const nav = [
    ...(current > 0 ? [button(t.paging.previous, token, "pg", current - 1)] : []),
    ...(current < pages - 1 ? [button(t.paging.next, token, "pg", current + 1)] : []),
  ];
  if (nav.length) rows.push(nav);
  rows.push([button(t.broadcast.unitsDone(selected.size), token, "ok"), button(t.broadcast.cancel, token, "x")]);
  return { text: t.broadcast.pickUnits(selected.size, current + 1, pages), keyboard: Markup.inlineKeyboard(rows) };
}

/** The unit chooser, shown again after every toggle or page turn. */
async function showUnits(ctx: PantauContext, person: Person, scope: CoordinatedProgram, state: Extract<BroadcastState, { step: "units" }>) {
  const units = await programUnits(ctx.deps.db, scope);
  const token = await saveFlow<BroadcastState>(ctx.deps.db, person.id, kind, state, ctx.now);
  const view = unitsView(ctx.t, token, units, new Set(state.selected), state.page);
  await show(ctx, view.text, view.keyboard);
}

function audienceName(t: Catalogue, audience: Audience): string {
  const names = t.broadcast.audienceName;
  if (audience.kind === "program") return names.program;
  if (audience.kind === "overdue") return names.overdue;
  if (audience.kind === "silent") return names.silent(audience.days);
  return names.units(audience.unitIds.length);
}

async function showPreview(ctx: PantauContext, person: Person, scope: CoordinatedProgram, state: Extract<BroadcastState, { step: "preview" }>) {
  const t = ctx.t.broadcast;
  const units = await audienceUnits(ctx.deps.db, scope, state.audience, ctx.now);
  if (units.length === 0) return showAudience(ctx, person, { step: "audience", programId: state.programId, draft: state.draft }, t.noUnits);
  const summary = await summarizeAudience(ctx.deps.db, scope.id, units, ctx.now);
  const token = await saveFlow<BroadcastState>(ctx.deps.db, person.id, kind, state, ctx.now);
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
  await show(
    ctx,
    lines.join("\n"),
    Markup.inlineKeyboard([...(summary.people > 0 ? [[button(t.send, token, "go")]] : []), [button(t.change, token, "chg"), button(t.cancel, token, "x")]]),
  );
}

broadcast.action(/^bc:([\w-]+):(\w+)(?::(\d+))?$/, async (ctx) => {
  const person = await requireRole(ctx, "koordinator");
  if (!person) return;
  const db = ctx.deps.db;
  const [, token, action, arg] = ctx.match;
  const flow = await getFlow<BroadcastState>(db, person.id, ctx.now);
  if (!flow || flow.kind !== kind || flow.token !== token || !(await claimFlowStep(db, person.id, token, ctx.now))) {
    ctx.log.info({ action }, "stale or forged broadcast button");
    await ctx.answerCbQuery(ctx.t.access.staleButton, { show_alert: true });
    return;
  }
  const state = flow.state;
  const t = ctx.t.broadcast;
  // Answered once the press is known to be valid (the next step replaces its keyboard).
  const acknowledge = () => ctx.answerCbQuery();

  if (action === "x") {
    await acknowledge();
    await endFlow(db, person.id);
    await show(ctx, t.cancelled);
    return;
  }
  const programId = state.step === "program" ? Number(arg) : state.programId;
  const scope = await coordinatedProgram(db, person, programId);
  if (!scope) {
    await endFlow(db, person.id);
    await ctx.answerCbQuery(ctx.t.access.notAllowed, { show_alert: true });
    return;
  }

  if (state.step === "program" && action === "p") {
    await acknowledge();
    return askCompose(ctx, person, scope);
  }
  if (state.step === "preview" && action === "chg") {
    await acknowledge();
    return showAudience(ctx, person, { step: "audience", programId, draft: state.draft });
  }
  if (state.step === "audience") {
    if (action === "pick") {
      await acknowledge();
      return showUnits(ctx, person, scope, { step: "units", programId, draft: state.draft, selected: [], page: 0 });
    }
    const days = Number(arg);
    const audience: Audience | null =
      action === "all"
        ? { kind: "program" }
        : action === "late"
          ? { kind: "overdue" }
          : action === "sil" && (silentDayChoices as readonly number[]).includes(days)
            ? { kind: "silent", days }
            : null;
    if (audience) {
      await acknowledge();
      return showPreview(ctx, person, scope, { step: "preview", programId, draft: state.draft, audience });
    }
  }
  if (state.step === "units") {
    if (action === "u" || action === "pg") {
      const units = await programUnits(db, scope);
      if (action === "u" && !units.some((u) => u.id === Number(arg))) {
        // Out of reach (another region, another program): refused; the chooser stays usable.
        ctx.log.warn({ unitId: Number(arg) }, "broadcast to a unit out of reach refused");
        await ctx.answerCbQuery(t.unitOutOfReach, { show_alert: true });
        return showUnits(ctx, person, scope, state);
      }
      await ctx.answerCbQuery();
      const unitId = Number(arg);
      const selected =
        action === "u" ? (state.selected.includes(unitId) ? state.selected.filter((id) => id !== unitId) : [...state.selected, unitId]) : state.selected;
      return showUnits(ctx, person, scope, { ...state, selected, page: action === "pg" ? Number(arg) : state.page });
    }
    if (action === "ok") {
      if (state.selected.length === 0) {
        await ctx.answerCbQuery(t.noneSelected, { show_alert: true });
        return showUnits(ctx, person, scope, state);
      }
      await acknowledge();
      return showPreview(ctx, person, scope, { step: "preview", programId, draft: state.draft, audience: { kind: "units", unitIds: state.selected } });
    }
  }
  if (state.step === "preview" && action === "go") {
    await acknowledge();
    return send(ctx, person, state);
  }
  ctx.log.info({ action, step: state.step }, "broadcast button out of place");
  await ctx.answerCbQuery(ctx.t.access.staleButton, { show_alert: true });
});

/**
 * Kirim: the preview becomes the delivery report. The broadcast (pointing at that message) and
 * its outbox rows are written in one transaction, then the report shows its first counts and
 * the cancel button, and the outbox is woken. If the transaction fails nothing was written and
 * the message says nothing was sent.
 */
async function send(ctx: PantauContext, person: Person, state: Extract<BroadcastState, { step: "preview" }>) {
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
    await show(ctx, ctx.t.broadcast.prepareFailed);
    return;
  }
  if (!created.ok) {
    await show(ctx, ctx.t.broadcast.notSent);
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
