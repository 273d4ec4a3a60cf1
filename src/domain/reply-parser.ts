import type { MilestoneStatus } from "./statuses.js";

/** What a focal point's plain-language reply to a reminder says. */
export type ParsedReply =
  | { ok: true; percent: number | null; status: MilestoneStatus; note: string | null }
  | { ok: false; reason: "not_understood" | "percent_out_of_range" };

const percentPattern = /(-?\d{1,3}(?:[.,]\d+)?)\s*(?:%|persen\b|percent\b)/i;
const donePattern = /^(?:sudah\s+|telah\s+)?(?:selesai|rampung|tuntas|beres|done|finished|completed?)\b[\s.!,:-]*/i;
const blockedPattern = /^(?:ter)?kendala\b|^hambatan\b|^blocked\b|^stuck\b/i;
const notStartedPattern = /^belum(?:\s+(?:mulai|dimulai|jalan|berjalan))?\b[\s.!]*$|^not\s+started\b/i;
const inProgressPattern = /^(?:sedang\s+)?(?:berjalan|dikerjakan|proses|on\s*progress|in\s*progress|ongoing)\b[\s.!,:-]*/i;

function rest(text: string): string | null {
  const trimmed = text.replace(/^[\s.,:;!-]+|[\s.,;]+$/g, "").trim();
  return trimmed || null;
}

/**
 * Understands a reply such as "60% draf SOP selesai", "75 persen SOP tinggal tanda tangan",
 * "sudah selesai", "terkendala anggaran", "belum mulai" or "sedang berjalan". A percentage
 * wins over status words in the note; decimals are rounded ("62,5%" is 63). A bare number
 * is not taken as progress: too many replies are dates or counts.
 */
export function parseProgressReply(text: string): ParsedReply {
  const s = text.trim().replace(/\s+/g, " ");
  if (!s) return { ok: false, reason: "not_understood" };

  const percent = percentPattern.exec(s);
  if (percent) {
    const value = Math.round(Number(percent[1]!.replace(",", ".")));
    if (!(value >= 0 && value <= 100)) return { ok: false, reason: "percent_out_of_range" };
    const note = rest(s.slice(0, percent.index) + " " + s.slice(percent.index + percent[0].length));
    const cleaned = note?.replace(/^(?:progres(?:s)?|progress|capaian)\b[\s:]*/i, "") ?? null;
    const status: MilestoneStatus = value === 100 ? "done" : value === 0 ? "not_started" : "in_progress";
    return { ok: true, percent: value, status, note: rest(cleaned ?? "") };
  }
  if (blockedPattern.test(s)) {
    return { ok: true, percent: null, status: "blocked", note: rest(s.replace(/^(?:ter)?kendala\b|^hambatan\b|^blocked(?:\s+by)?\b|^stuck\b/i, "")) };
  }
  const done = donePattern.exec(s);
  if (done) return { ok: true, percent: 100, status: "done", note: rest(s.slice(done[0].length)) };
  if (notStartedPattern.test(s)) return { ok: true, percent: 0, status: "not_started", note: null };
  const going = inProgressPattern.exec(s);
  if (going) return { ok: true, percent: null, status: "in_progress", note: rest(s.slice(going[0].length)) };
  return { ok: false, reason: "not_understood" };
}
