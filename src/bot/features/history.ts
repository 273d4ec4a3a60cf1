import { Composer, Markup } from "telegraf";
import type { InlineKeyboardButton } from "telegraf/types";
import { formatMoment, formatShortDate } from "../../domain/dates.js";
import { reporterName } from "../../domain/text.js";
import {
  findHistoryTarget,
  historyScope,
  historyRange,
  parseHistoryArgs,
  regionToday,
  reportEvidence,
  reportHistory,
  type HistoryEntry,
  type HistoryTarget,
} from "../../services/history.js";
import type { Catalogue } from "../../i18n/index.js";
import { auditRead } from "../../services/audit.js";
import type { PantauContext } from "../context.js";
import { echo, escapeHtml, messageLimit, splitMessages } from "../format.js";
import { auditActor, requireRole } from "../guards.js";
import { language } from "../language.js";

/**
 * /riwayat (/history): the reports of a unit or an initiative over a date range, newest first.
 * One timeline rather than a section per step: "what happened this fortnight" reads top to bottom
 * on a phone, and each report names its step. Evidence is counted in the list, and a "Lihat bukti"
 * button per report has the bot send the files again (a bot cannot link to a message in someone
 * else's private chat). A group gets only the number of reports: notes and names stay private.
 */
export const history = new Composer<PantauContext>();

function reporterOf(entry: HistoryEntry, target: HistoryTarget, t: Catalogue): string {
  return entry.reporter ? escapeHtml(reporterName(entry.reporter, target.unit.name)) : t.history.unknownReporter;
}

function entryBlock(ctx: PantauContext, target: HistoryTarget, entry: HistoryEntry, n: number): string {
  const t = ctx.t;
  const lang = language(ctx);
  const lines = [
    t.history.entry(n, formatMoment(entry.createdAt, target.region.timezone, lang), reporterOf(entry, target, t)),
    t.history.step(escapeHtml(entry.milestone.title), target.kind === "unit" ? escapeHtml(entry.initiative.name) : null),
    t.history.progress(t.progressText(entry.percent, entry.status), entry.undone),
  ];
  if (entry.note) lines.push(t.history.note(escapeHtml(entry.note)));
  if (entry.photos + entry.documents > 0) lines.push(t.history.files(entry.photos, entry.documents));
  return lines.join("\n");
}

/** Sends blocks as few messages as fit, each carrying the evidence buttons of its own reports. */
async function sendBlocks(ctx: PantauContext, blocks: { text: string; button?: InlineKeyboardButton }[]) {
  const limit = messageLimit - 96;
  let text = "";
  let buttons: InlineKeyboardButton[] = [];
  const flush = async () => {
    if (!text) return;
    const rows = [];
    for (let i = 0; i < buttons.length; i += 2) rows.push(buttons.slice(i, i + 2));
    await ctx.reply(text, { parse_mode: "HTML", link_preview_options: { is_disabled: true }, ...(rows.length ? Markup.inlineKeyboard(rows) : {}) });
    text = "";
    buttons = [];
  };
  for (const block of blocks) {
    // A block is at most a note of 1000 characters and a few short lines: it always fits alone.
    const piece = block.text.slice(0, limit);
    if (text && text.length + 2 + piece.length > limit) await flush();
    text = text ? `${text}\n\n${piece}` : piece;
    if (block.button) buttons.push(block.button);
  }
  await flush();
}

history.command(["riwayat", "history"], async (ctx) => {
  const person = await requireRole(ctx, "koordinator", "kepala");
  if (!person) return;
  const t = ctx.t;
  const lang = language(ctx);
  const args = parseHistoryArgs(ctx.payload);
  if (!args.ok) return void (await ctx.reply(t.history.badDate(args.badDate)));
  if (!args.query) return void (await ctx.reply(t.history.usage));

  const lookup = await findHistoryTarget(ctx.deps.db, person, args.query);
  if (lookup.kind === "none") return void (await ctx.reply(t.history.notFound(echo(args.query)), { parse_mode: "HTML" }));
  if (lookup.kind === "ambiguous") {
    const lines = lookup.matches.map((m) =>
      m.kind === "unit"
        ? t.history.matchUnit(escapeHtml(m.name), escapeHtml(m.unit.code), escapeHtml(m.region.name))
        : t.history.matchInitiative(escapeHtml(m.name), escapeHtml(m.unit.name), escapeHtml(m.unit.code)),
    );
    if (lookup.more > 0) lines.push(t.history.moreMatches(lookup.more));
    for (const text of splitMessages([[t.history.ambiguous(echo(args.query)), ...lines].join("\n")])) await ctx.reply(text, { parse_mode: "HTML" });
    return;
  }

  const target = lookup.target;
  const range = historyRange(args.dates, regionToday(target, ctx.now));
  if (!range.ok) return void (await ctx.reply(t.history.fromAfterTo(formatShortDate(range.from, lang), formatShortDate(range.to, lang))));

  const found = await reportHistory(ctx.deps.db, historyScope(person), target, range.from, range.to);
  const name =
    target.kind === "unit"
      ? t.history.targetUnit(escapeHtml(target.name), escapeHtml(target.unit.code))
      : t.history.targetInitiative(escapeHtml(target.name), escapeHtml(target.unit.name));
  const header = t.history.header(name, formatShortDate(found.from, lang), formatShortDate(found.to, lang), found.entries.length + found.more);
  // A group sees how many reports there were; notes, reporters and evidence stay private.
  if (ctx.chat.type !== "private") return void (await ctx.reply(`${header}\n\n${t.history.groupHint}`, { parse_mode: "HTML" }));
  // Reading other people's reports and notes is recorded (a group above sees only the count).
  await auditRead(ctx.deps.db, {
    actor: auditActor(ctx, person),
    action: "history.read",
    entity: target.kind,
    entityId: target.id,
    targetName: target.name,
    programIds: target.programIds,
    regionId: target.region.id,
    detail: { from: found.from, to: found.to, reports: found.entries.length + found.more },
    at: ctx.now,
  });
  const blocks: { text: string; button?: InlineKeyboardButton }[] = [{ text: found.entries.length ? header : `${header}\n\n${t.history.none}` }];
  found.entries.forEach((entry, i) => {
    const withFiles = entry.photos + entry.documents > 0;
    blocks.push({
      text: entryBlock(ctx, target, entry, i + 1),
      ...(withFiles ? { button: Markup.button.callback(t.history.evidenceButton(i + 1), `hb:${entry.id}`) } : {}),
    });
  });
  if (found.more > 0) blocks.push({ text: t.history.more(found.more) });
  await sendBlocks(ctx, blocks);
});

// "Lihat bukti": the report's files again, by Telegram's file id, in the asker's private chat only.
history.action(/^hb:(\d+)$/, async (ctx) => {
  const person = await requireRole(ctx, "koordinator", "kepala");
  if (!person) return;
  const t = ctx.t;
  if (ctx.chat?.type !== "private") return void (await ctx.answerCbQuery(t.history.privateOnly, { show_alert: true }));
  const evidence = await reportEvidence(ctx.deps.db, person, Number(ctx.match[1]));
  if (!evidence) return void (await ctx.answerCbQuery(t.history.notVisible, { show_alert: true }));
  if (evidence.files.length === 0) return void (await ctx.answerCbQuery(t.history.noEvidence, { show_alert: true }));
  await ctx.answerCbQuery(t.history.sending(evidence.files.length));
  await auditRead(ctx.deps.db, {
    actor: auditActor(ctx, person),
    action: "evidence.read",
    entity: "report",
    entityId: evidence.reportId,
    targetName: evidence.title,
    programIds: [evidence.programId],
    regionId: evidence.regionId,
    detail: { files: evidence.files.length },
    at: ctx.now,
  });
  const when = formatMoment(evidence.createdAt, evidence.timezone, language(ctx));
  for (const [i, file] of evidence.files.entries()) {
    const caption = t.history.caption(escapeHtml(evidence.title), when, i + 1, evidence.files.length);
    try {
      if (file.kind === "photo") await ctx.replyWithPhoto(file.fileId, { caption, parse_mode: "HTML" });
      else await ctx.replyWithDocument(file.fileId, { caption, parse_mode: "HTML" });
    } catch (err) {
      // A file Telegram no longer has (or a wrong id) should not hide the others.
      ctx.log.warn({ err, reportId: evidence.reportId }, "could not send evidence again");
      await ctx.reply(t.history.sendFailed(file.fileName ?? `${i + 1}`));
    }
  }
});
