import { Composer, Markup } from "telegraf";
import { message } from "telegraf/filters";
import { z } from "zod";
import { addDays, formatLongDate, formatShortDate, type CalendarDate } from "../../domain/dates.js";
import { maxAwayDays, parseLastDay } from "../../domain/leave.js";
import { endFlow } from "../../services/flows.js";
import { awayStatus, endAway, personToday, setAway } from "../../services/leave.js";
import { hasRole, type Person } from "../../services/people.js";
import type { PantauContext } from "../context.js";
import { defineFlow, FlowKind, personActor, show, type Place } from "../flows/flow.js";
import { echo } from "../format.js";
import { auditActor, requireRole } from "../guards.js";
import { language } from "../language.js";

/**
 * /cuti (/away): a focal point or head says they are away until a day (buttons, a typed date, or
 * `/cuti 12 Desember`), or back (`/cuti selesai`, `/away off`, the button). "cuti sampai 12
 * Desember" written in the private chat does the same. Not /keluar, which leaves a seat for good.
 */
export const away = new Composer<PantauContext>();

const awayState = z.discriminatedUnion("step", [z.object({ step: z.literal("choose") }), z.object({ step: z.literal("date") })]);

/** Callback data: "ct:<token>:d:<last day>", "ct:<token>:t" (type a date), "ct:<token>:r" (back), "ct:<token>:x". */
const flow = new FlowKind("away", "ct", awayState);

/** The words that end a leave: "/cuti selesai", "/away off". */
const backWords = /^(selesai|kembali|sudah kembali|saya sudah kembali|berhenti|off|end|back|done|stop|i am back|i'm back)$/i;

/** "cuti sampai 12 Desember", "saya cuti s.d. 12/12", "away until 12 December", "I'm on leave till Friday 12 Dec". */
const freeText =
  /^(?:saya\s+)?cuti\s+(?:sampai(?:\s+dengan)?|hingga|s\.?\s?d\.?)\s+(?:tanggal\s+|tgl\.?\s+)?(.+?)[.!]?$|^(?:i\s+am\s+|i'm\s+)?(?:away|on\s+leave)\s+(?:until|till|through)\s+(.+?)[.!]?$/i;

const day = (ctx: PantauContext, date: CalendarDate) => formatLongDate(date, language(ctx));

/** The buttons' spans: days from today to the last day away. */
const spans = [
  { days: 3, label: (ctx: PantauContext, until: string) => ctx.t.away.days(3, until) },
  { days: 7, label: (ctx: PantauContext, until: string) => ctx.t.away.weeks(1, until) },
  { days: 14, label: (ctx: PantauContext, until: string) => ctx.t.away.weeks(2, until) },
];

away.command(["cuti", "away"], async (ctx) => {
  const person = await requireRole(ctx, "pic", "kepala");
  if (!person) return;
  const text = ctx.payload.trim();
  if (!text) return offer(ctx, person);
  if (backWords.test(text)) return back(ctx, person, "below");
  return declare(ctx, person, text, "below");
});

// A sentence in the private chat, not a reply to anything: after the flows, which take what they asked for.
away.on(message("text"), async (ctx, next) => {
  const match = ctx.chat.type === "private" && !ctx.message.reply_to_message ? freeText.exec(ctx.message.text.trim()) : null;
  if (!match || !ctx.person || !hasRole(ctx.person, "pic", "kepala")) return next();
  return declare(ctx, ctx.person, (match[1] ?? match[2])!, "below");
});

/** Where they stand, with the buttons: three spans, a date to type, and "I am back" when away. */
async function offer(ctx: PantauContext, person: Person): Promise<void> {
  const status = await awayStatus(ctx.deps.db, person, ctx.now, ctx.deps.defaultTimezone);
  const button = flow.buttons(await flow.save(ctx, person.id, { step: "choose" }));
  const short = (date: CalendarDate) => formatShortDate(date, language(ctx));
  const choices = spans.map((s) => {
    const until = addDays(status.today, s.days);
    return button(s.label(ctx, short(until)), "d", until);
  });
  const rows = [
    choices.slice(0, 2),
    [choices[2]!, button(ctx.t.away.pickDate, "t")],
    ...(status.lastDay ? [[button(ctx.t.away.backButton, "r")]] : []),
    [button(ctx.t.away.cancel, "x")],
  ];
  const text = ctx.t.away.status(status.lastDay && day(ctx, status.lastDay), status.lastDay && day(ctx, addDays(status.lastDay, 1)));
  await ctx.reply(text, { parse_mode: "HTML", ...Markup.inlineKeyboard(rows) });
}

/**
 * Declares the last day `text` means: a refusal (not a date, not after today, too far) says why
 * and changes nothing; else the leave is set. True when it was set.
 */
async function declare(ctx: PantauContext, person: Person, text: string, place: Place): Promise<boolean> {
  const t = ctx.t.away;
  const today = await personToday(ctx.deps.db, person, ctx.now, ctx.deps.defaultTimezone);
  const lastDay = parseLastDay(text, today);
  if (!lastDay) {
    await show(ctx, place, t.notADate(echo(text)), { parse_mode: "HTML" });
    return false;
  }
  return setTo(ctx, person, lastDay, place);
}

async function setTo(ctx: PantauContext, person: Person, lastDay: CalendarDate, place: Place): Promise<boolean> {
  const t = ctx.t.away;
  const result = await setAway(ctx.deps.db, person, lastDay, ctx.now, auditActor(ctx, person), ctx.deps.defaultTimezone);
  switch (result.kind) {
    case "not_a_date":
      await show(ctx, place, t.notADate(echo(result.lastDay)), { parse_mode: "HTML" });
      return false;
    case "not_after_today":
      await show(ctx, place, t.notAfterToday(day(ctx, result.today)));
      return false;
    case "too_far":
      await show(ctx, place, t.tooFar(maxAwayDays, day(ctx, result.latest)));
      return false;
    case "unchanged":
      await endFlow(ctx.deps.db, person.id);
      await show(ctx, place, t.unchanged(day(ctx, result.lastDay)), { parse_mode: "HTML" });
      return true;
    case "set":
      ctx.log.info({ lastDay: result.lastDay, before: result.before }, "away until");
      await endFlow(ctx.deps.db, person.id);
      await show(ctx, place, t.set(day(ctx, result.lastDay), day(ctx, addDays(result.lastDay, 1))), { parse_mode: "HTML" });
      return true;
  }
}

async function back(ctx: PantauContext, person: Person, place: Place): Promise<void> {
  const ended = await endAway(ctx.deps.db, person, ctx.now, auditActor(ctx, person), ctx.deps.defaultTimezone);
  if (ended) ctx.log.info("back from leave");
  await endFlow(ctx.deps.db, person.id);
  await show(ctx, place, ended ? ctx.t.away.ended : ctx.t.away.notAway);
}

export const awayFlow = defineFlow(flow, {
  actor: personActor((ctx) => requireRole(ctx, "pic", "kepala")),
  cancel: { place: "in-place", text: (t) => t.away.cancelled },
  press: async (ctx, { person }, state, press) => {
    if (state.step !== "choose") return "stale";
    // Whether the day is one the calendar has is `setAway`'s to check, whichever way it comes.
    if (press.action === "d" && press.arg) {
      await ctx.answerCbQuery();
      // A refusal (a button pressed days later) leaves the buttons to choose again.
      if (!(await setTo(ctx, person, press.arg, "in-place"))) await offer(ctx, person);
      return;
    }
    if (press.action === "r") {
      await ctx.answerCbQuery();
      return back(ctx, person, "in-place");
    }
    if (press.action !== "t") return "stale";
    await ctx.answerCbQuery();
    await flow.save(ctx, person.id, { step: "date" });
    await show(ctx, "in-place", ctx.t.away.askDate(maxAwayDays), { parse_mode: "HTML" });
  },
  // The day typed after "Sampai tanggal…": asked again until it is one that may be declared.
  message: async (ctx, person, live, msg) => {
    if (live.state.step !== "date" || !("text" in msg)) return "pass";
    await declare(ctx, person, msg.text, "below");
  },
});
