/** Telegram's limit on one message's text. */
export const messageLimit = 4096;
/** What a composed text may take of a message: Telegram's limit with room to spare. */
export const messageBudget = messageLimit - 96;
/** Telegram's limit on the caption of a photo or a document. */
export const captionLimit = 1024;
/** A unit's or person's name in a list line: shortened so a page of ten lines fits one message. */
export const maxName = 80;

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * Text cut to at most `max` characters (UTF-16 units, as Telegram counts), ending with "…" when
 * cut (a button label, a name in a tight list). Cut between graphemes: half an emoji is a lone
 * surrogate, which Telegram refuses with a 400.
 */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = 0;
  for (const { index, segment } of graphemes.segment(text)) {
    if (index + segment.length > max - 1) break;
    end = index + segment.length;
  }
  return `${text.slice(0, end).trimEnd()}…`;
}

/** What a person typed, quoted back in an answer: at most a line's worth, escaped (it may be 4,000 characters). */
export function echo(text: string): string {
  return escapeHtml(shorten(text, 100));
}

/** Escapes text from users or files for Telegram's HTML parse mode. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** One page of a list (pages counted from 0; a page past either end shows the nearest one). */
export function pageOf<T>(items: T[], page: number, size: number): { items: T[]; start: number; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const current = Math.min(Math.max(0, page), pages - 1);
  return { items: items.slice(current * size, (current + 1) * size), start: current * size, page: current, pages };
}

/**
 * One page of a list of texts whose lengths vary: pages hold at most `size` items and, joined by
 * newlines, at most `budget` characters (an item longer than that stands alone). Counted from 0;
 * a page past either end shows the nearest one.
 */
export function packPages(items: string[], page: number, size: number, budget: number): { items: string[]; start: number; page: number; pages: number } {
  const pages: string[][] = [];
  let length = 0;
  for (const item of items) {
    const last = pages.at(-1);
    if (last && last.length < size && length + 1 + item.length <= budget) {
      last.push(item);
      length += 1 + item.length;
    } else {
      pages.push([item]);
      length = item.length;
    }
  }
  const current = Math.min(Math.max(0, page), Math.max(0, pages.length - 1));
  const start = pages.slice(0, current).reduce((sum, p) => sum + p.length, 0);
  return { items: pages[current] ?? [], start, page: current, pages: Math.max(1, pages.length) };
}

/** "▓▓▓▓▓▓░░░░" for 62%. */
export function progressBar(percent: number, width = 10): string {
  const filled = Math.round((Math.max(0, Math.min(100, percent)) / 100) * width);
  return "▓".repeat(filled) + "░".repeat(width - filled);
}

/**
 * Joins blocks (paragraphs) into messages that each fit Telegram's limit, never cutting a
 * block unless a single block is itself too long: then it is cut between its lines, and a line
 * too long for one message is cut at a space (at worst anywhere, but never inside an HTML tag
 * or entity, nor between the halves of an emoji). Nothing is ever dropped.
 */
export function splitMessages(blocks: string[], limit = messageBudget): string[] {
  const messages: string[] = [];
  let current = "";
  const push = (piece: string, separator: string) => {
    const joined = current ? `${current}${separator}${piece}` : piece;
    if (joined.length <= limit) {
      current = joined;
      return;
    }
    if (current) messages.push(current);
    current = piece;
  };
  for (const block of blocks) {
    if (block.length <= limit) {
      push(block, "\n\n");
      continue;
    }
    block.split("\n").forEach((line, i) => {
      cutLine(line, limit).forEach((piece, j) => push(piece, i === 0 && j === 0 ? "\n\n" : j === 0 ? "\n" : " "));
    });
  }
  if (current) messages.push(current);
  return messages;
}

/** A line in pieces of at most `limit` characters, cut where the text allows it. */
function cutLine(line: string, limit: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf(" ", limit);
    if (cut < limit / 2) cut = limit;
    const tag = rest.lastIndexOf("<", cut - 1);
    if (tag > rest.lastIndexOf(">", cut - 1)) cut = tag;
    const entity = rest.lastIndexOf("&", cut - 1);
    if (entity > rest.lastIndexOf(";", cut - 1) && cut - entity <= 10) cut = entity;
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut--;
    if (cut <= 0) cut = limit;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(rest[cut] === " " ? cut + 1 : cut);
  }
  pieces.push(rest);
  return pieces;
}
