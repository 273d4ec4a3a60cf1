/**
 * parse_mode "HTML" rendered as Telegram renders it, modelled on tdlib's parser, error messages
 * included. Pantau sends HTML only, so MarkdownV2 and legacy Markdown are not emulated.
 */
import { badRequest, type MessageEntity } from "./bot-api.js";

export interface FormattedText {
  text: string;
  entities: MessageEntity[];
}

class EntityParseError extends Error {}

function byteOffset(text: string, index: number): number {
  return Buffer.byteLength(text.slice(0, index), "utf8");
}

function sortEntities(entities: MessageEntity[]): MessageEntity[] {
  return entities.filter((e) => e.length > 0).sort((a, b) => a.offset - b.offset || b.length - a.length);
}

const HTML_TAGS = new Set(["a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "tg-spoiler", "span", "tg-emoji", "code", "pre", "blockquote"]);

function parseHtml(text: string): FormattedText {
  let plain = "";
  const entities: MessageEntity[] = [];
  const stack: { tag: string; attrs: Record<string, string>; start: number }[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "&") {
      const m = /^&(?:(lt|gt|amp|quot)|#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6}));/.exec(text.slice(i, i + 12));
      if (m) {
        if (m[1]) plain += { lt: "<", gt: ">", amp: "&", quot: '"' }[m[1]]!;
        else plain += String.fromCodePoint(m[2] ? Number(m[2]) : parseInt(m[3]!, 16));
        i += m[0].length;
      } else {
        plain += "&";
        i++;
      }
      continue;
    }
    if (c !== "<") {
      plain += c;
      i++;
      continue;
    }
    const at = byteOffset(text, i);
    if (text[i + 1] === "/") {
      // tdlib: the end tag's name runs to the first space or '>'; "</>" closes the innermost tag
      const open = stack.pop();
      if (!open) throw new EntityParseError(`Unexpected end tag at byte offset ${at}`);
      let k = i + 2;
      while (k < text.length && !/\s/.test(text[k]!) && text[k] !== ">") k++;
      const name = text.slice(i + 2, k).toLowerCase();
      while (k < text.length && /\s/.test(text[k]!)) k++;
      if (text[k] !== ">") throw new EntityParseError(`Unclosed end tag at byte offset ${at}`);
      const end = k;
      if (name !== "" && open.tag !== name) {
        throw new EntityParseError(`Unmatched end tag at byte offset ${at}, expected "</${open.tag}>", found "</${name}>"`);
      }
      const offset = open.start;
      const length = plain.length - offset;
      const parent = stack[stack.length - 1];
      switch (open.tag) {
        case "b":
        case "strong":
          entities.push({ type: "bold", offset, length });
          break;
        case "i":
        case "em":
          entities.push({ type: "italic", offset, length });
          break;
        case "u":
        case "ins":
          entities.push({ type: "underline", offset, length });
          break;
        case "s":
        case "strike":
        case "del":
          entities.push({ type: "strikethrough", offset, length });
          break;
        case "tg-spoiler":
        case "span":
          entities.push({ type: "spoiler", offset, length });
          break;
        case "a": {
          const href = open.attrs.href ?? "";
          const mention = /^tg:\/\/user\?id=(\d+)$/.exec(href);
          if (mention) entities.push({ type: "text_mention", offset, length, user: { id: Number(mention[1]), is_bot: false, first_name: "" } });
          else if (href) entities.push({ type: "text_link", offset, length, url: href });
          break;
        }
        case "tg-emoji":
          entities.push({ type: "custom_emoji", offset, length, custom_emoji_id: open.attrs["emoji-id"] ?? "" });
          break;
        case "code": {
          const lang = /^language-(.+)$/.exec(open.attrs.class ?? "")?.[1];
          if (parent?.tag === "pre" && lang) parent.attrs["data-language"] = lang;
          else if (parent?.tag !== "pre") entities.push({ type: "code", offset, length });
          break;
        }
        case "pre": {
          const language = open.attrs["data-language"];
          entities.push(language ? { type: "pre", offset, length, language } : { type: "pre", offset, length });
          break;
        }
        case "blockquote":
          entities.push({ type: "expandable" in open.attrs ? "expandable_blockquote" : "blockquote", offset, length });
          break;
      }
      i = end + 1;
      continue;
    }
    // tdlib: the start tag's name runs to the first space or '>'
    let j = i + 1;
    while (j < text.length && !/\s/.test(text[j]!) && text[j] !== ">") j++;
    if (j >= text.length) throw new EntityParseError(`Unclosed start tag at byte offset ${at}`);
    const name = text.slice(i + 1, j).toLowerCase();
    if (!HTML_TAGS.has(name)) throw new EntityParseError(`Unsupported start tag "${name}" at byte offset ${at}`);
    // find the closing '>' of the start tag, skipping quoted attribute values
    let end = -1;
    let quote: string | null = null;
    for (let k = j; k < text.length; k++) {
      const ch = text[k]!;
      if (quote) {
        if (ch === quote) quote = null;
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === ">") {
        end = k;
        break;
      }
    }
    if (end === -1) throw new EntityParseError(`Unclosed start tag at byte offset ${at}`);
    const attrs: Record<string, string> = {};
    const attrRe = /([A-Za-z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
    for (const m of text.slice(j, end).matchAll(attrRe)) {
      attrs[m[1]!.toLowerCase()] = decodeHtmlAttr(m[2] ?? m[3] ?? m[4] ?? "");
    }
    if (name === "span" && attrs.class !== "tg-spoiler") {
      throw new EntityParseError(`Tag "span" must have class "tg-spoiler" at byte offset ${at}`);
    }
    stack.push({ tag: name, attrs, start: plain.length });
    i = end + 1;
  }
  const unclosed = stack[stack.length - 1];
  if (unclosed) throw new EntityParseError(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  return { text: plain, entities: sortEntities(entities) };
}

function decodeHtmlAttr(value: string): string {
  return value
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}

/**
 * Renders text the way Telegram does for the given parse_mode: returns the plain text and its
 * entities, or throws an Error whose message is Telegram's description
 * ("Bad Request: can't parse entities: ...").
 */
export function formatText(text: string, parseMode?: string, entities?: unknown): FormattedText {
  if (!parseMode) return { text, entities: Array.isArray(entities) ? (entities as MessageEntity[]) : [] };
  const mode = parseMode.toLowerCase();
  if (mode === "markdownv2" || mode === "markdown") throw badRequest(`parse_mode ${parseMode} is not emulated (Pantau sends HTML)`);
  if (mode !== "html") throw badRequest("unsupported parse_mode");
  try {
    return parseHtml(text);
  } catch (error) {
    if (error instanceof EntityParseError) throw badRequest(`can't parse entities: ${error.message}`);
    throw error;
  }
}
