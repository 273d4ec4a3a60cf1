import { statusForPercent } from "./progress.js";
import type { MilestoneStatus } from "./statuses.js";

/** What a focal point's plain-language reply to a reminder says. */
export type ParsedReply =
  { ok: true; percent: number | null; status: MilestoneStatus; note: string | null } | { ok: false; reason: "not_understood" | "percent_out_of_range" };

// A number with an optional decimal comma or point, not glued to a word or another number
// ("H-3", "v2.5%" are not percentages; "-5%" is, and is out of range).
const numberText = String.raw`(-?\d+(?:[.,]\d+)?)`;
const percentPattern = new RegExp(String.raw`(?<![\p{L}\p{N}_.,-])${numberText}\s*(?:%|persen\b|percent\b|pct\b)`, "giu");
const bareNumberPattern = new RegExp(String.raw`^(?:(?:progres|progress|capaian|realisasi|sudah|udah|sdh)\s*:?\s*)?${numberText}[.!]?$`, "i");

/** Words that only lead up to a percentage ("progres 40%", "sudah sekitar 60%"). */
const leadIn =
  /(?:^|\s)(?:progres|progress|capaian|realisasi|sudah|udah|sdh|telah|baru|sekitar|kurang lebih|kira-kira|kira2|sekarang|saat ini|mencapai|update|status|now|at|is|about|around|[±~])\s*[:=]?\s*$/i;

const doneWords = String.raw`(?:selesai|rampung|tuntas|beres|done|finished|completed?)`;
const doneAtStart = new RegExp(String.raw`^(?:(?:sudah|udah|sdh|telah|already)\s+)?${doneWords}\b`, "i");
const notDone = new RegExp(String.raw`\b(?:belum|blm|tidak|tak|not(?:\s+yet)?)\s+${doneWords}\b`, "i");

const blockWords = String.raw`(?:terkendala|kendala(?:nya)?|hambatan(?:nya)?|terhambat|blocked|stuck)`;
const blockedAtStart = new RegExp(
  String.raw`^(?:(?:ada|masih|sedang|lagi|still)\s+){0,2}${blockWords}\b(?:\s+(?:oleh|karena|krn|di|pada|dengan|dgn|by|on|because\s+of|due\s+to)\b)?`,
  "i",
);
// "tidak ada kendala", "tanpa hambatan", "not blocked" are not blocks.
const blockedAnywhere = new RegExp(String.raw`(?<!\b(?:tidak|tak|tanpa|bukan|no|not)\s+(?:ada\s+)?)\b${blockWords}\b`, "i");

/** "belum" alone, "belum mulai …", "not started": the step has not started. */
const belumOnly = /^(?:masih\s+)?(?:belum|blm)[.!]*$/i;
const notStartedAtStart =
  /^(?:masih\s+)?(?:belum|blm)\s+(?:mulai|dimulai|jalan|berjalan|dikerjakan|ada\s+progres|ada\s+progress|ada\s+kegiatan)\b|^not\s+(?:yet\s+started|started(?:\s+yet)?|yet)\b/i;

const inProgressPhrase =
  /^(?:(?:sedang|masih|lagi|dalam|still)\s+)?(?:berjalan|dikerjakan|diproses|proses|progres|on\s*progress|in\s*progress|on\s*going|ongoing)\b/i;
/** "sedang disusun", "masih menunggu tanda tangan": the progressive aspect says work goes on. */
const progressiveAspect = /^(?:sedang|masih|lagi)\s+\S/i;

/** A note that only repeats the status ("100% selesai", "0% belum mulai") is no note. */
const statusOnlyNote = new RegExp(String.raw`^(?:(?:sudah|telah)\s+)?${doneWords}$|^belum(?:\s+mulai)?$`, "i");

/** Trims spaces and punctuation at both ends and spaces before punctuation; null when empty. */
function clean(text: string): string | null {
  const trimmed = text
    .replace(/\s+([,.;:!?])/g, "$1")
    .replace(/^[\s.,:;!\-–—]+|[\s,:;\-–—]+$/g, "")
    .replace(/\.+$/, "")
    .trim();
  return trimmed || null;
}

/** Whole-percent value of a written number: rounded, but never to 0 or 100 unless written so. */
function wholePercent(raw: number): number {
  const rounded = Math.round(raw);
  if (rounded === 0 && raw > 0) return 1;
  if (rounded === 100 && raw < 100) return 99;
  return rounded;
}

/** The reason of a blocked report (null when none is given); undefined when not blocked. */
function blockedReason(text: string): string | null | undefined {
  const start = blockedAtStart.exec(text);
  if (start) return clean(text.slice(start[0].length));
  return blockedAnywhere.test(text) ? clean(text) : undefined;
}

/**
 * Understands a focal point's reply to a reminder. Rules, first match wins:
 *
 * 1. A percentage anywhere ("60% draf SOP selesai", "75 persen …", "progres 40%", "40 %"):
 *    that progress, the status following from it (0 not started, 100 done, else in
 *    progress), the rest of the text as the note; the percentage wins over status words in
 *    the note ("selesai" there is about the draft). A note saying it is blocked ("30%
 *    terkendala anggaran") makes it blocked at that percentage. Decimals ("62,5%") are
 *    rounded to the nearest whole percent (63), but never to 0 or 100 unless written so
 *    (99,6% is 99). Below 0 or above 100: percent_out_of_range. Two different percentages
 *    ("dari 40% jadi 60%") are not understood: asking again beats recording the wrong one.
 * 2. A reply that is only a number, possibly after "progres"/"sudah" ("60", "progres 40"):
 *    that percentage, as in 1.
 * 3. Starting with done words ("selesai", "sudah selesai", "rampung", "tuntas", "done"):
 *    done at 100%, the rest as the note. Done words later in the text ("draf SOP sudah
 *    selesai") are not taken as the step being done: the reply is not understood.
 * 4. A blocking word not negated ("terkendala anggaran", "kendala: …", "blocked by budget",
 *    "ada hambatan …"; not "tidak ada kendala"): blocked, percent null, the note the reason
 *    (what follows the word when the reply starts with it, else the whole reply).
 * 5. "belum selesai" and the like: in progress, percent null.
 * 6. "belum", "belum mulai", "not started": not started at 0%, the rest as the note.
 * 7. "sedang berjalan", "masih proses", "on progress", or "sedang/masih/lagi …": in progress,
 *    percent null.
 * 8. Anything else ("ok siap", "terima kasih", "??", ""): not_understood.
 */
export function parseProgressReply(text: string): ParsedReply {
  const s = text.replace(/\s+/g, " ").trim();
  if (!s) return { ok: false, reason: "not_understood" };

  const percents = [...s.matchAll(percentPattern)];
  // "dari 40% jadi 60%": which one is the progress? Better ask than record the wrong one.
  if (new Set(percents.map((m) => Number(m[1]!.replace(",", ".")))).size > 1) return { ok: false, reason: "not_understood" };
  const percentMatch = percents[0] ?? bareNumberPattern.exec(s);
  if (percentMatch) {
    const raw = Number(percentMatch[1]!.replace(",", "."));
    if (!(raw >= 0 && raw <= 100)) return { ok: false, reason: "percent_out_of_range" };
    const percent = wholePercent(raw);
    let before = s.slice(0, percentMatch.index);
    for (let stripped = before.replace(leadIn, ""); stripped !== before; stripped = before.replace(leadIn, "")) before = stripped;
    let note = clean(`${before} ${s.slice(percentMatch.index + percentMatch[0].length)}`);
    let status = statusForPercent(percent);
    if (note && status !== "done") {
      const reason = blockedReason(note);
      if (reason !== undefined) {
        status = "blocked";
        note = reason;
      }
    }
    if (note && statusOnlyNote.test(note)) note = null;
    return { ok: true, percent, status, note };
  }

  const done = doneAtStart.exec(s);
  if (done) return { ok: true, percent: 100, status: "done", note: clean(s.slice(done[0].length)) };

  const reason = blockedReason(s);
  if (reason !== undefined) return { ok: true, percent: null, status: "blocked", note: reason };

  const unfinished = notDone.exec(s);
  if (unfinished) return { ok: true, percent: null, status: "in_progress", note: unfinished[0].length === s.length ? null : clean(s) };

  if (belumOnly.test(s)) return { ok: true, percent: 0, status: "not_started", note: null };
  const notStarted = notStartedAtStart.exec(s);
  if (notStarted) return { ok: true, percent: 0, status: "not_started", note: clean(s.slice(notStarted[0].length)) };

  const going = inProgressPhrase.exec(s);
  if (going) return { ok: true, percent: null, status: "in_progress", note: clean(s.slice(going[0].length)) };
  if (progressiveAspect.test(s)) return { ok: true, percent: null, status: "in_progress", note: clean(s) };

  return { ok: false, reason: "not_understood" };
}
