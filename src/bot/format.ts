/** Telegram's limit on one message's text. */
export const messageLimit = 4096;

/** Escapes text from users or files for Telegram's HTML parse mode. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** "▓▓▓▓▓▓░░░░" for 62%. */
export function progressBar(percent: number, width = 10): string {
  const filled = Math.round((Math.max(0, Math.min(100, percent)) / 100) * width);
  return "▓".repeat(filled) + "░".repeat(width - filled);
}

/**
 * Joins blocks (paragraphs) into messages that each fit Telegram's limit, never cutting a
 * block unless a single block is itself too long (then it is cut at line boundaries).
 */
export function splitMessages(blocks: string[], limit = messageLimit - 96): string[] {
  const messages: string[] = [];
  let current = "";
  const push = (piece: string) => {
    const joined = current ? `${current}\n\n${piece}` : piece;
    if (joined.length <= limit) {
      current = joined;
      return;
    }
    if (current) messages.push(current);
    current = piece;
  };
  for (const block of blocks) {
    if (block.length <= limit) {
      push(block);
      continue;
    }
    for (const line of block.split("\n")) push(line.slice(0, limit));
  }
  if (current) messages.push(current);
  return messages;
}
