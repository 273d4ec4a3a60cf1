import { statusForPercent } from "./progress.js";
import type { MilestoneStatus } from "./statuses.js";
import { leadingName } from "./step-match.js";
import { withinOneEdit } from "./text.js";

/** What a focal point's plain-language reply to a reminder says. */
export type ParsedReply =
  { ok: true; percent: number | null; status: MilestoneStatus; note: string | null } | { ok: false; reason: "not_understood" | "percent_out_of_range" };

// A number with an optional decimal comma or point, not glued to a word or another number
// ("H-3", "v2.5%" are not percentages; "-5%" is, and is out of range).
const numberText = String.raw`(-?\d+(?:[.,]\d+)?)`;
const percentPattern = new RegExp(String.raw`(?<![\p{L}\p{N}_.,-])${numberText}\s*(?:%|persen\b|prosen\b|percent\b|pct\b)`, "giu");
const bareNumberPattern = new RegExp(String.raw`^(?:(?:progres|progress|capaian|realisasi|sudah|udah|udh|sdh|dah)\s*:?\s*)?${numberText}[.!]?$`, "i");
/** Half, in words: "setengah jalan", "separuh", "half way" (not "setengah hari": half a day is no progress). */
const halfPattern =
  /(?<!\p{L})(?:(?:setengah|separuh)(?:\s*(?:jalan|jadi|selesai|rampung)|nya)|half[\s-]*way(?:\s+(?:done|through))?|half[\s-]*(?:done|finished|completed?)|(?:setengah|separuh|half)(?=\s*(?:$|[,.;!])))(?!\p{L})/giu;

/** Words that only lead up to a percentage ("progres 40%", "sudah sekitar 60%"). */
const leadIn =
  /(?:^|\s)(?:progres|progress|capaian|realisasi|sudah|udah|udh|sdh|dah|telah|baru|sekitar|kurang lebih|kira-kira|kira2|sekarang|saat ini|mencapai|update|status|now|at|is|about|around|[±~])\s*[:=]?\s*$/i;

const already = String.raw`(?:sudah|udah|udh|sdh|dah|telah|already)`;
const doneWords = String.raw`(?:selesai|rampung|kelar|tuntas|beres|done|finished|completed?)`;
// "SK sudah terbit", "SOP sudah ditandatangani": a document issued or signed is the step done,
// but only after "sudah" ("ditandatangani" alone may be a wish).
const finishedDocument = String.raw`(?:terbit|diterbitkan|ditetapkan|ditandatangani|di-?ttd|ttd|disahkan|diundangkan|dilaksanakan|terlaksana|signed|issued)`;
const doneAtStart = new RegExp(
  String.raw`^(?:(?:is|are|was|were|has\s+been|have\s+been|now|all)\s+)?(?:(?:${already}\s+)?${doneWords}|${already}\s+${finishedDocument})\b`,
  "i",
);
const notDone = new RegExp(String.raw`\b(?:belum|blm|tidak|tak|not(?:\s+yet)?)\s+${doneWords}\b`, "i");

const blockWords = String.raw`(?:terkendala|kendala(?:nya)?|hambatan(?:nya)?|terhambat|blocked|stuck|on\s+hold)`;
const blockedAtStart = new RegExp(
  String.raw`^(?:(?:ada|masih|sedang|lagi|still|is|are)\s+){0,2}${blockWords}\b(?:\s+(?:oleh|karena|krn|di|pada|dengan|dgn|by|on|because\s+of|due\s+to)\b)?`,
  "i",
);
// "tidak ada kendala", "tanpa hambatan", "not blocked" are not blocks.
const blockedAnywhere = new RegExp(String.raw`(?<!\b(?:tidak|tak|tanpa|bukan|no|not)\s+(?:ada\s+)?)\b${blockWords}\b`, "i");

/** "belum" alone, "belum mulai …", "not started": the step has not started. */
const belumOnly = /^(?:masih\s+)?(?:belum|blm)[.!]*$/i;
const notStartedAtStart =
  /^(?:masih\s+)?(?:belum|blm)\s+(?:mulai|dimulai|jalan|berjalan|dikerjakan|ada\s+progres|ada\s+progress|ada\s+kegiatan)\b|^not\s+(?:yet\s+started|started(?:\s+yet)?|yet)\b|^(?:(?:have|has)\s+not|haven'?t|hasn'?t)\s+(?:yet\s+)?(?:started|begun)\b/i;

const inProgressPhrase =
  /^(?:(?:sedang|masih|lagi|dalam|still)\s+)?(?:berjalan|dikerjakan|diproses|proses|progres|on\s*progress|in\s*progress|on\s*going|ongoing|working\s+on\s+it)\b/i;
/**
 * Work goes on, said in passing; the whole reply is the note: the progressive aspect ("sedang
 * disusun", "masih menunggu tanda tangan"), waiting ("menunggu paraf"), almost done ("hampir
 * selesai" is not done), and what is left ("tinggal TTD", "SOP tinggal ditandatangani").
 */
const goingOn = new RegExp(
  String.raw`^(?:sedang|masih|lagi)\s+\S|^(?:menunggu|nunggu|waiting|awaiting)\b|^(?:hampir|nyaris|almost|nearly)\s+${doneWords}\b|\btinggal\s+(?:sedikit|dikit|ttd|tanda\s*tangan|ditandatangani|diteken|teken|paraf|diparaf|finalisasi|pengesahan|disahkan|diundangkan|penomoran|dinomori|cetak|dicetak|kirim|dikirim|upload|unggah|diunggah|menunggu|revisi)\b|\bonly\s+(?:the\s+)?signature\b|\b(?:awaiting|pending)\s+signature\b`,
  "i",
);

/** A note that only repeats the status ("100% selesai", "0% belum mulai", "setengah jalan") is no note. */
const statusOnlyNote = new RegExp(String.raw`^(?:${already}\s+)?${doneWords}$|^belum(?:\s+mulai)?$|^(?:setengah|separuh)(?:\s+jalan)?$|^half[\s-]*way$`, "i");

/**
 * Typing slips in the words the rules look for ("selsai", "terkendla", "60 persn", "SUDAH
 * SELSAI"), put right before reading; a real word one slip away from one of them is left alone
 * ("kendali" is not "kendala", "susah" not "sudah", "kampung" not "rampung"), and so is a name: a
 * capitalised word inside a sentence ("Bupati Kendal"), or a place's name anywhere ("Lampung").
 */
const keywords = `selesai rampung tuntas kendala terkendala hambatan terhambat persen prosen sudah belum mulai dimulai progres progress proses
  berjalan dikerjakan setengah tinggal menunggu ditandatangani finished completed blocked started`.split(/\s+/);
const realWords = new Set(["kendali", "person", "ramping", "kampung", "tunggal", "mulia", "belut", "susah", "protes", "locked", "starter"]);
/** Places one slip from a word looked for, left alone when written as names ("kendal dana" is still a slip). */
const placeNames = new Set(["kendal", "lampung"]);

function withoutSlips(text: string): string {
  return text.replace(/\p{L}{5,}/gu, (word, index: number) => {
    const lower = word.toLowerCase();
    if (keywords.includes(lower) || realWords.has(lower)) return word;
    const titled = word[0] !== lower[0] && word.slice(1) === lower.slice(1);
    const opensSentence = /(^|[.!?\n])\s*$/.test(text.slice(0, index));
    if (titled && (placeNames.has(lower) || !opensSentence)) return word;
    const near = keywords.filter((k) => withinOneEdit(lower, k));
    return near.length === 1 ? near[0]! : word;
  });
}

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
function blockedReason(body: string, whole: string): string | null | undefined {
  const start = blockedAtStart.exec(body);
  if (start) return clean(body.slice(start[0].length));
  return blockedAnywhere.test(body) ? clean(whole) : undefined;
}

/** Where the reply gives its progress as a number: "60%", "75 persen", "setengah jalan" (50). */
function percentages(text: string): { value: number; index: number; length: number }[] {
  const numbers = [...text.matchAll(percentPattern)].map((m) => ({ value: Number(m[1]!.replace(",", ".")), index: m.index, length: m[0].length }));
  const halves = [...text.matchAll(halfPattern)].map((m) => ({ value: 50, index: m.index, length: m[0].length }));
  return [...numbers, ...halves].sort((a, b) => a.index - b.index);
}

/**
 * Understands a focal point's reply to a reminder, in Indonesian or English (both always: no
 * phrase means one thing in one and another in the other). `step` is the title of the step the
 * reply is about, when known: a reply starting with the step's name says what follows of it
 * ("SK-nya sudah terbit" is the SK done; "draf SOP sudah selesai" is still only the draft).
 * Typing slips in the words below are forgiven ("selsai", "terkendla"). Rules, first match wins:
 *
 * 1. A percentage anywhere ("60% draf SOP selesai", "75 persen …", "progres 40%", "40 %"), or
 *    half in words ("setengah jalan", "half way": 50): that progress, the status following from
 *    it (0 not started, 100 done, else in progress), the rest of the text as the note; the
 *    percentage wins over status words in the note ("selesai" there is about the draft). A note
 *    saying it is blocked ("30% terkendala anggaran") makes it blocked at that percentage.
 *    Decimals ("62,5%") are rounded to the nearest whole percent (63), but never to 0 or 100
 *    unless written so (99,6% is 99). Below 0 or above 100: percent_out_of_range. Two different
 *    percentages ("dari 40% jadi 60%") are not understood: asking again beats recording the
 *    wrong one. A number without % or "persen" is not a percentage ("SK nomor 12 tahun 2022",
 *    "tanggal 14", "3 dari 5 kelurahan"), unless it is the whole reply:
 * 2. A reply that is only a number, possibly after "progres"/"sudah" ("60", "progres 40"):
 *    that percentage, as in 1.
 *
 * The rest read what follows the step's name when the reply starts with it:
 * 3. Starting with done words ("selesai", "udah beres", "sdh rampung", "kelar", "done"), or a
 *    document issued or signed ("sudah terbit", "sudah ditandatangani"): done at 100%, the rest
 *    as the note. Done words later in the text ("draf SOP sudah selesai") are not taken as the
 *    step being done: the reply is not understood.
 * 4. A blocking word not negated ("terkendala anggaran", "kendala dana belum cair", "blocked
 *    by budget", "ada hambatan …"; not "tidak ada kendala"): blocked, percent null, the note the
 *    reason (what follows the word when the reply starts with it, else the whole reply).
 * 5. "belum selesai" and the like: in progress, percent null.
 * 6. "belum", "belum mulai", "not started": not started at 0%, the rest as the note.
 * 7. "sedang berjalan", "masih proses", "on progress": in progress, percent null, the rest as
 *    the note; "sedang/masih/lagi …", "menunggu …", "hampir selesai", "tinggal TTD" anywhere:
 *    in progress, percent null, the whole reply as the note.
 * 8. Anything else ("ok siap", "terima kasih", "??", ""): not_understood.
 */
export function parseProgressReply(text: string, step?: string): ParsedReply {
  const s = withoutSlips(text.replace(/\s+/g, " ").trim());
  if (!s) return { ok: false, reason: "not_understood" };

  const mentions = percentages(s);
  // "dari 40% jadi 60%": which one is the progress? Better ask than record the wrong one.
  if (new Set(mentions.map((m) => m.value)).size > 1) return { ok: false, reason: "not_understood" };
  const bare = bareNumberPattern.exec(s);
  const mention = mentions[0] ?? (bare && { value: Number(bare[1]!.replace(",", ".")), index: bare.index, length: bare[0].length });
  if (mention) {
    const raw = mention.value;
    if (!(raw >= 0 && raw <= 100)) return { ok: false, reason: "percent_out_of_range" };
    const percent = wholePercent(raw);
    let before = s.slice(0, mention.index);
    for (let stripped = before.replace(leadIn, ""); stripped !== before; stripped = before.replace(leadIn, "")) before = stripped;
    let note = clean(`${before} ${s.slice(mention.index + mention.length)}`);
    let status = statusForPercent(percent);
    if (note && status !== "done") {
      const reason = blockedReason(note, note);
      if (reason !== undefined) {
        status = "blocked";
        note = reason;
      }
    }
    if (note && statusOnlyNote.test(note)) note = null;
    return { ok: true, percent, status, note };
  }

  const body = step ? clean(s.slice(leadingName(s, step))) : s;
  if (!body) return { ok: false, reason: "not_understood" };

  const done = doneAtStart.exec(body);
  if (done) return { ok: true, percent: 100, status: "done", note: clean(body.slice(done[0].length)) };

  const reason = blockedReason(body, s);
  if (reason !== undefined) return { ok: true, percent: null, status: "blocked", note: reason };

  const unfinished = notDone.exec(body);
  if (unfinished) return { ok: true, percent: null, status: "in_progress", note: unfinished[0].length === body.length ? null : clean(s) };

  if (belumOnly.test(body)) return { ok: true, percent: 0, status: "not_started", note: null };
  const notStarted = notStartedAtStart.exec(body);
  if (notStarted) return { ok: true, percent: 0, status: "not_started", note: clean(body.slice(notStarted[0].length)) };

  const going = inProgressPhrase.exec(body);
  if (going) return { ok: true, percent: null, status: "in_progress", note: clean(body.slice(going[0].length)) };
  if (goingOn.test(body)) return { ok: true, percent: null, status: "in_progress", note: clean(s) };

  return { ok: false, reason: "not_understood" };
}
