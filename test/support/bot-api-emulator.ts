/**
 * A Telegram Bot API emulator for end-to-end tests.
 *
 * The real telegraf bot is pointed at it with `telegram: { apiRoot: emu.apiRoot }` and talks plain
 * HTTP to 127.0.0.1. Tests act as Telegram users (sendText, pressButton, ...) and observe what the
 * bot sent (messages, waitForMessage, calls, ...).
 *
 * It tries to fail the way Telegram fails, because those failures are where bots break:
 *  - HTML / MarkdownV2 / Markdown parse errors ("Bad Request: can't parse entities: ...");
 *  - texts over 4096 characters (counted after markup is removed), captions over 1024;
 *  - callback_data over 64 bytes ("BUTTON_DATA_INVALID");
 *  - "message is not modified" when an edit changes nothing, and editMessageText dropping the inline
 *    keyboard when no reply_markup is passed (exactly like Telegram);
 *  - answering a callback query twice or an unknown one;
 *  - writing first to a user ("chat not found" / "bot can't initiate conversation"), blocked users;
 *  - uploading bytes that are not an image with sendPhoto ("IMAGE_PROCESS_FAILED");
 *  - privacy mode in groups: only commands and replies to the bot reach the bot (see start()).
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { randomBytes } from "node:crypto";
import { isDeepStrictEqual } from "node:util";

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

export interface EmuUser {
  id: number;
  first_name: string;
  username?: string;
  language_code?: string;
  is_bot?: false;
}

export interface EmuChat {
  id: number;
  type: "private" | "group" | "supergroup";
  title?: string;
}

/** A message the bot sent (sendMessage, sendPhoto, sendDocument, copyMessage, forwardMessage). */
export interface SentMessage {
  message_id: number;
  chat_id: number;
  /** The text exactly as the bot sent it (markup included when parse_mode is set). */
  text?: string;
  /** The caption exactly as the bot sent it (markup included when parse_mode is set). */
  caption?: string;
  /** text/caption as Telegram renders it: markup removed, entities decoded. */
  plainText?: string;
  /** Entities of the rendered text/caption (computed from parse_mode or passed through). */
  entities?: TgObject[];
  parse_mode?: string;
  reply_markup?: TgObject;
  reply_to_message_id?: number;
  photo?: boolean;
  /** Set when the bot uploaded the photo (multipart). */
  photoBytes?: Buffer;
  document?: { file_name?: string; mime_type?: string; bytes?: Buffer };
  /** file_id (or URL) when the photo/document was sent by reference instead of uploaded. */
  file_id?: string;
  method: string;
  edits: number;
  /** true once the bot deleted the message (it stays in messages() for inspection). */
  deleted?: boolean;
  date: number;
}

export interface FaultSpec {
  times?: number;
  error_code: number;
  description: string;
  retry_after?: number;
  delayMs?: number;
  chatId?: number;
}

export interface CallRecord {
  method: string;
  params: TgObject;
  at: number;
  /** Present when the emulator answered with ok:false (validation error or injected fault). */
  error?: { error_code: number; description: string };
}

export interface EmulatorOptions {
  token?: string;
  botUsername?: string;
  botId?: number;
  /**
   * Telegram's group privacy mode (default true, as for every new bot): in groups/supergroups the
   * bot only receives commands (for it) and replies to its own messages. sendText/sendPhoto/
   * sendDocument return update_id -1 when the message is not delivered to the bot.
   */
  privacyMode?: boolean;
}

// Assembled at run time so that no token-shaped literal sits in the repository.
export const DEFAULT_TOKEN = ["123456789", "AAEmulatorTokenForTestsOnly_xxxxxxx"].join(":");

/** A valid 1x1 PNG (used as the content of user photos unless a test provides one). */
export const TINY_PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

// ---------------------------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------------------------

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Bot API JSON as it travels: the emulator checks fields at run time
type TgObject = Record<string, any>;

class ApiError extends Error {
  constructor(
    readonly error_code: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number; migrate_to_chat_id?: number },
  ) {
    super(`${error_code}: ${description}`);
  }
}

const badRequest = (what: string) => new ApiError(400, `Bad Request: ${what}`);

interface ChatState {
  chat: TgObject;
  nextMessageId: number;
  /** Every live message in the chat (user and bot), as Telegram Message objects. */
  messages: Map<number, TgObject>;
  /** Messages the bot sent, in order. */
  sent: SentMessage[];
  /** Private chats: the user has talked to the bot (the bot may write). */
  started: boolean;
  /** Group messages that privacy mode kept from the bot. */
  undelivered: number;
  chatInstance: string;
}

interface StoredFile {
  file_id: string;
  file_unique_id: string;
  kind: "photo" | "document";
  bytes: Buffer;
  file_path: string;
  file_name?: string;
  mime_type?: string;
  width?: number;
  height?: number;
}

interface UploadedPart {
  upload: true;
  filename?: string;
  contentType?: string;
  bytes: Buffer;
}

interface HeldPoll {
  res: http.ServerResponse;
  wake: () => void;
  conflict: () => void;
}

interface Waiter {
  check: () => void;
  fail: (error: Error) => void;
}

const JSON_FIELDS = new Set([
  "reply_markup",
  "reply_parameters",
  "entities",
  "caption_entities",
  "commands",
  "scope",
  "allowed_updates",
  "link_preview_options",
  "media",
  "results",
]);
const BOOLEAN_FIELDS = new Set([
  "show_alert",
  "disable_notification",
  "protect_content",
  "drop_pending_updates",
  "disable_web_page_preview",
  "allow_sending_without_reply",
  "has_spoiler",
  "disable_content_type_detection",
  "show_caption_above_media",
]);
const NUMERIC_FIELDS = new Set([
  "chat_id",
  "from_chat_id",
  "offset",
  "limit",
  "timeout",
  "message_id",
  "reply_to_message_id",
  "message_thread_id",
  "cache_time",
  "user_id",
  "max_connections",
]);

const CHAT_ACTIONS = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);

const MIME_BY_EXT: Record<string, string> = {
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  xls: "application/vnd.ms-excel",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  pdf: "application/pdf",
  csv: "text/csv",
  txt: "text/plain",
  json: "application/json",
  zip: "application/zip",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
};

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function clone<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

function num(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

function randomId(prefix: string, length: number): string {
  return prefix + randomBytes(length).toString("base64url").slice(0, length);
}

function extOf(fileName: string | undefined): string | undefined {
  const m = fileName ? /\.([A-Za-z0-9]+)$/.exec(fileName) : null;
  return m?.[1]?.toLowerCase();
}

function isUpload(value: unknown): value is UploadedPart {
  return typeof value === "object" && value !== null && (value as UploadedPart).upload === true;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Image width/height of PNG or JPEG bytes, or null when the bytes are not a recognised image. */
export function imageInfo(bytes: Buffer): { format: string; width?: number; height?: number } | null {
  if (bytes.length >= 24 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return { format: "png", width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let i = 2;
    while (i + 9 < bytes.length) {
      if (bytes[i] !== 0xff) {
        i++;
        continue;
      }
      const marker = bytes[i + 1]!;
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { format: "jpeg", height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7) };
      }
      i += 2 + bytes.readUInt16BE(i + 2);
    }
    return { format: "jpeg" };
  }
  const head = bytes.subarray(0, 12).toString("latin1");
  if (head.startsWith("GIF8")) return { format: "gif", width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
  if (head.startsWith("RIFF") && head.slice(8, 12) === "WEBP") return { format: "webp" };
  if (head.startsWith("BM")) return { format: "bmp" };
  return null;
}

// ---------------------------------------------------------------------------------------------
// Formatting (parse_mode) — modelled on tdlib's parsers, including their error messages
// ---------------------------------------------------------------------------------------------

export interface FormattedText {
  text: string;
  entities: TgObject[];
}

class EntityParseError extends Error {}

function byteOffset(text: string, index: number): number {
  return Buffer.byteLength(text.slice(0, index), "utf8");
}

function sortEntities(entities: TgObject[]): TgObject[] {
  return entities.filter((e) => e.length > 0).sort((a, b) => a.offset - b.offset || b.length - a.length);
}

const HTML_TAGS = new Set(["a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "tg-spoiler", "span", "tg-emoji", "code", "pre", "blockquote"]);

function parseHtml(text: string): FormattedText {
  let plain = "";
  const entities: TgObject[] = [];
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

const MDV2_RESERVED = "_*[]()~`>#+-=|{}.!";
const MDV2_NAMES: Record<string, string> = {
  bold: "Bold",
  italic: "Italic",
  underline: "Underline",
  strikethrough: "Strikethrough",
  spoiler: "Spoiler",
  code: "Code",
  pre: "Pre",
  text_link: "TextUrl",
  custom_emoji: "CustomEmoji",
};

function parseMarkdownV2(text: string): FormattedText {
  let plain = "";
  const entities: TgObject[] = [];
  const stack: { type: string; start: number; at: number; language?: string }[] = [];
  let quoteStart: number | null = null;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const top = stack[stack.length - 1];
    if (c === "\\" && i + 1 < text.length) {
      const code = text.charCodeAt(i + 1);
      if (code > 0 && code <= 126) {
        plain += text[i + 1];
        i += 2;
        continue;
      }
    }
    if (top && (top.type === "code" || top.type === "pre")) {
      if (top.type === "code" && c === "`") {
        stack.pop();
        entities.push({ type: "code", offset: top.start, length: plain.length - top.start });
        i++;
        continue;
      }
      if (top.type === "pre" && text.startsWith("```", i)) {
        stack.pop();
        const e: TgObject = { type: "pre", offset: top.start, length: plain.length - top.start };
        if (top.language) e.language = top.language;
        entities.push(e);
        i += 3;
        continue;
      }
      plain += c;
      i++;
      continue;
    }
    if (c === "\n") {
      plain += c;
      i++;
      if (quoteStart !== null && text[i] !== ">") {
        entities.push({ type: "blockquote", offset: quoteStart, length: plain.length - 1 - quoteStart });
        quoteStart = null;
      }
      continue;
    }
    if (!MDV2_RESERVED.includes(c)) {
      plain += c;
      i++;
      continue;
    }
    if (top) {
      let endLength = 0;
      switch (top.type) {
        case "bold":
          endLength = c === "*" ? 1 : 0;
          break;
        case "italic":
          endLength = c === "_" && text[i + 1] !== "_" ? 1 : 0;
          break;
        case "underline":
          endLength = c === "_" && text[i + 1] === "_" ? 2 : 0;
          break;
        case "strikethrough":
          endLength = c === "~" ? 1 : 0;
          break;
        case "spoiler":
          endLength = c === "|" && text[i + 1] === "|" ? 2 : 0;
          break;
        case "text_link":
        case "custom_emoji":
          endLength = c === "]" ? 1 : 0;
          break;
      }
      if (endLength > 0) {
        stack.pop();
        i += endLength;
        const offset = top.start;
        const length = plain.length - offset;
        if (top.type === "text_link" || top.type === "custom_emoji") {
          let url = "";
          if (text[i] === "(") {
            let k = i + 1;
            while (k < text.length && text[k] !== ")") {
              if (text[k] === "\\" && k + 1 < text.length) {
                url += text[k + 1];
                k += 2;
              } else url += text[k++];
            }
            if (k >= text.length) throw new EntityParseError(`Can't find end of a URL at byte offset ${byteOffset(text, i)}`);
            i = k + 1;
          } else url = plain.slice(offset);
          if (top.type === "custom_emoji") entities.push({ type: "custom_emoji", offset, length, custom_emoji_id: url.replace(/^tg:\/\/emoji\?id=/, "") });
          else {
            const mention = /^tg:\/\/user\?id=(\d+)$/.exec(url);
            if (mention) entities.push({ type: "text_mention", offset, length, user: { id: Number(mention[1]), is_bot: false, first_name: "" } });
            else entities.push({ type: "text_link", offset, length, url });
          }
        } else entities.push({ type: top.type, offset, length });
        continue;
      }
    }
    const at = byteOffset(text, i);
    const reserved = () => new EntityParseError(`Character '${c}' is reserved and must be escaped with the preceding '\\'`);
    switch (c) {
      case "_":
        if (text[i + 1] === "_") {
          stack.push({ type: "underline", start: plain.length, at });
          i += 2;
        } else {
          stack.push({ type: "italic", start: plain.length, at });
          i++;
        }
        continue;
      case "*":
        stack.push({ type: "bold", start: plain.length, at });
        i++;
        continue;
      case "~":
        stack.push({ type: "strikethrough", start: plain.length, at });
        i++;
        continue;
      case "|":
        if (text[i + 1] !== "|") throw reserved();
        stack.push({ type: "spoiler", start: plain.length, at });
        i += 2;
        continue;
      case "[":
        stack.push({ type: "text_link", start: plain.length, at });
        i++;
        continue;
      case "!":
        if (text[i + 1] !== "[") throw reserved();
        stack.push({ type: "custom_emoji", start: plain.length, at });
        i += 2;
        continue;
      case "`":
        if (text.startsWith("```", i)) {
          i += 3;
          const newline = text.indexOf("\n", i);
          let language: string | undefined;
          if (newline !== -1) {
            const first = text.slice(i, newline);
            if (first.length > 0 && !/\s/.test(first)) {
              language = first;
              i = newline + 1;
            }
          }
          stack.push({ type: "pre", start: plain.length, at, ...(language ? { language } : {}) });
        } else {
          stack.push({ type: "code", start: plain.length, at });
          i++;
        }
        continue;
      case ">":
        if (i === 0 || text[i - 1] === "\n") {
          if (quoteStart === null) quoteStart = plain.length;
          i++;
          continue;
        }
        throw reserved();
      default:
        throw reserved();
    }
  }
  const open = stack[stack.length - 1];
  if (open) throw new EntityParseError(`Can't find end of ${MDV2_NAMES[open.type] ?? open.type} entity at byte offset ${open.at}`);
  if (quoteStart !== null) entities.push({ type: "blockquote", offset: quoteStart, length: plain.length - quoteStart });
  return { text: plain, entities: sortEntities(entities) };
}

function parseMarkdownLegacy(text: string): FormattedText {
  let plain = "";
  const entities: TgObject[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\\" && "_*`[".includes(text[i + 1] ?? "")) {
      plain += text[i + 1];
      i += 2;
      continue;
    }
    if (!"_*`[".includes(c)) {
      plain += c;
      i++;
      continue;
    }
    const missing = () => new EntityParseError(`Can't find end of the entity starting at byte offset ${byteOffset(text, i)}`);
    if (c === "[") {
      const close = text.indexOf("]", i + 1);
      if (close === -1) throw missing();
      const inner = text.slice(i + 1, close);
      const offset = plain.length;
      plain += inner;
      if (text[close + 1] === "(") {
        const urlEnd = text.indexOf(")", close + 2);
        if (urlEnd === -1) throw missing();
        entities.push({ type: "text_link", offset, length: inner.length, url: text.slice(close + 2, urlEnd) });
        i = urlEnd + 1;
      } else i = close + 1;
      continue;
    }
    if (c === "`" && text.startsWith("```", i)) {
      const close = text.indexOf("```", i + 3);
      if (close === -1) throw missing();
      let inner = text.slice(i + 3, close);
      let language: string | undefined;
      const newline = inner.indexOf("\n");
      if (newline > 0 && !/\s/.test(inner.slice(0, newline))) {
        language = inner.slice(0, newline);
        inner = inner.slice(newline + 1);
      }
      entities.push({ type: "pre", offset: plain.length, length: inner.length, ...(language ? { language } : {}) });
      plain += inner;
      i = close + 3;
      continue;
    }
    const close = text.indexOf(c, i + 1);
    if (close === -1) throw missing();
    const inner = text.slice(i + 1, close);
    entities.push({ type: c === "*" ? "bold" : c === "_" ? "italic" : "code", offset: plain.length, length: inner.length });
    plain += inner;
    i = close + 1;
  }
  return { text: plain, entities: sortEntities(entities) };
}

/**
 * Renders text the way Telegram does for the given parse_mode: returns the plain text and its
 * entities, or throws an Error whose message is Telegram's description
 * ("Bad Request: can't parse entities: ...").
 */
export function formatText(text: string, parseMode?: string, entities?: TgObject[]): FormattedText {
  if (!parseMode) return { text, entities: Array.isArray(entities) ? entities : [] };
  try {
    switch (parseMode.toLowerCase()) {
      case "html":
        return parseHtml(text);
      case "markdownv2":
        return parseMarkdownV2(text);
      case "markdown":
        return parseMarkdownLegacy(text);
      default:
        throw badRequest("unsupported parse_mode");
    }
  } catch (error) {
    if (error instanceof EntityParseError) throw badRequest(`can't parse entities: ${error.message}`);
    throw error;
  }
}

function validateReplyMarkup(markup: unknown): void {
  if (markup === undefined || markup === null) return;
  if (typeof markup !== "object" || Array.isArray(markup)) throw badRequest("can't parse reply keyboard markup JSON object");
  const m = markup as TgObject;
  if ("inline_keyboard" in m) {
    if (!Array.isArray(m.inline_keyboard) || !m.inline_keyboard.every((row: unknown) => Array.isArray(row))) {
      throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
    }
    for (const row of m.inline_keyboard as unknown[][]) {
      for (const raw of row) {
        if (typeof raw !== "object" || raw === null) throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
        const button = raw as TgObject;
        if (typeof button.text !== "string") throw badRequest('can\'t parse inline keyboard button: Field "text" must be of type String');
        const actions = [
          "url",
          "callback_data",
          "web_app",
          "login_url",
          "switch_inline_query",
          "switch_inline_query_current_chat",
          "switch_inline_query_chosen_chat",
          "callback_game",
          "pay",
          "copy_text",
        ].filter((key) => button[key] !== undefined);
        if (actions.length === 0) throw badRequest("text buttons are unallowed in the inline keyboard");
        if (button.callback_data !== undefined) {
          const data = button.callback_data;
          if (typeof data !== "string" || data.length === 0 || Buffer.byteLength(data, "utf8") > 64) throw badRequest("BUTTON_DATA_INVALID");
        }
        if (button.url !== undefined) {
          let ok: boolean;
          try {
            ok = ["http:", "https:", "tg:"].includes(new URL(String(button.url)).protocol);
          } catch {
            ok = false;
          }
          if (!ok) throw badRequest(`inline keyboard button URL '${String(button.url)}' is invalid: Wrong HTTP URL`);
        }
      }
    }
    return;
  }
  if ("keyboard" in m) {
    if (!Array.isArray(m.keyboard) || !m.keyboard.every((row: unknown) => Array.isArray(row))) {
      throw badRequest('field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays');
    }
    return;
  }
  if ("remove_keyboard" in m || "force_reply" in m) return;
  throw badRequest('can\'t find field "inline_keyboard"');
}

/** Message objects carry only inline keyboards (Telegram drops reply keyboards from Message). */
function inlineMarkup(markup: unknown): TgObject | undefined {
  if (typeof markup === "object" && markup !== null && Array.isArray((markup as TgObject).inline_keyboard)) {
    const m = markup as TgObject;
    return m.inline_keyboard.length > 0 ? { inline_keyboard: m.inline_keyboard } : undefined;
  }
  return undefined;
}

function parseMultipart(body: Buffer, boundary: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const delimiter = Buffer.from(`--${boundary}`);
  const separator = Buffer.from(`\r\n--${boundary}`);
  let pos = body.indexOf(delimiter);
  if (pos === -1) throw badRequest("can't parse multipart/form-data");
  pos += delimiter.length;
  for (;;) {
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break; // "--": end
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    const next = body.indexOf(separator, pos);
    if (next === -1) break;
    const part = body.subarray(pos, next);
    let headerEnd = part.indexOf("\r\n\r\n");
    let headerText = "";
    let content: Buffer;
    if (part[0] === 0x0d && part[1] === 0x0a) {
      content = part.subarray(2);
    } else {
      if (headerEnd === -1) headerEnd = part.length;
      headerText = part.subarray(0, headerEnd).toString("utf8");
      content = part.subarray(Math.min(part.length, headerEnd + 4));
    }
    const headers: Record<string, string> = {};
    for (const line of headerText.split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const disposition = headers["content-disposition"] ?? "";
    const name = /(?:^|;)\s*name="([^"]*)"/i.exec(disposition)?.[1];
    const filename = /(?:^|;)\s*filename="([^"]*)"/i.exec(disposition)?.[1];
    if (name !== undefined) {
      if (filename !== undefined) {
        const upload: UploadedPart = { upload: true, filename, bytes: Buffer.from(content) };
        if (headers["content-type"]) upload.contentType = headers["content-type"];
        out[name] = upload;
      } else out[name] = content.toString("utf8");
    }
    pos = next + separator.length;
  }
  return out;
}

function coerceParams(params: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(params)) {
    if (typeof value !== "string") continue;
    if (JSON_FIELDS.has(key) && /^\s*[[{]/.test(value)) {
      try {
        params[key] = JSON.parse(value);
      } catch {
        throw badRequest(`can't parse ${key} JSON object`);
      }
    } else if (BOOLEAN_FIELDS.has(key) && (value === "true" || value === "false")) {
      params[key] = value === "true";
    } else if (NUMERIC_FIELDS.has(key) && num(value) !== undefined) {
      params[key] = num(value);
    }
  }
  return params;
}

function describeMessage(m: SentMessage): string {
  const body = m.text ?? (m.caption !== undefined ? `[caption] ${m.caption}` : "");
  const kind = m.photo ? " [photo]" : m.document ? ` [document ${m.document.file_name ?? ""}]` : "";
  const keyboard = inlineMarkup(m.reply_markup)
    ? ` [buttons: ${(m.reply_markup!.inline_keyboard as TgObject[][])
        .flat()
        .map((b) => `${b.text}${b.callback_data ? `=${b.callback_data}` : ""}`)
        .join(", ")}]`
    : "";
  const extra = `${m.edits ? ` (edited ${m.edits}x)` : ""}${m.deleted ? " (deleted)" : ""}`;
  return `#${m.message_id} ${m.method}${kind}: ${JSON.stringify(body.length > 300 ? `${body.slice(0, 300)}…` : body)}${keyboard}${extra}`;
}

// ---------------------------------------------------------------------------------------------
// The emulator
// ---------------------------------------------------------------------------------------------

export class BotApiEmulator {
  readonly apiRoot: string;
  readonly token: string;
  readonly botUsername: string;
  readonly botId: number;
  readonly privacyMode: boolean;

  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly botUser: TgObject;
  private stopped = false;

  private readonly chats = new Map<number, ChatState>();
  private readonly users = new Map<number, TgObject>();
  private readonly blocked = new Set<number>();
  /** Groups upgraded to supergroups: old id -> new id. */
  private readonly migrated = new Map<number, number>();

  private updates: { update_id: number; update: TgObject }[] = [];
  private nextUpdateId = 1;
  private highestFetched = 0;
  private lastGetUpdatesAt = 0;
  private readonly heldPolls = new Set<HeldPoll>();
  private webhookUrl = "";

  private readonly files = new Map<string, StoredFile>();
  private readonly filesByPath = new Map<string, StoredFile>();
  private readonly photoSets = new Map<string, TgObject[]>();
  private fileCounter = 0;

  private readonly callbackQueries = new Map<string, { answered: boolean }>();
  private callbackCounter = 0;
  private readonly answers: { callback_query_id: string; text?: string; show_alert?: boolean; url?: string; cache_time?: number }[] = [];
  private readonly callLog: CallRecord[] = [];
  private readonly myCommands = new Map<string, TgObject>();
  private readonly faults: { method: string; spec: FaultSpec; remaining: number }[] = [];

  private readonly cursors = new Map<number, number>();
  private readonly waitChains = new Map<number, Promise<unknown>>();
  private readonly waiters = new Set<Waiter>();

  private constructor(server: http.Server, port: number, opts: EmulatorOptions) {
    this.server = server;
    this.apiRoot = `http://127.0.0.1:${port}`;
    this.token = opts.token ?? DEFAULT_TOKEN;
    this.botUsername = opts.botUsername ?? "pantau_test_bot";
    this.botId = opts.botId ?? (num(this.token.split(":")[0]) || 123456789);
    this.privacyMode = opts.privacyMode ?? true;
    this.botUser = { id: this.botId, is_bot: true, first_name: "Pantau", username: this.botUsername };
  }

  static async start(opts: EmulatorOptions = {}): Promise<BotApiEmulator> {
    const server = http.createServer();
    // Longer than Node's client keep-alive (5s) so the client, not the server, retires idle sockets
    // (otherwise a request can race a server-side close and fail with "socket hang up").
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    const emu = new BotApiEmulator(server, port, opts);
    server.on("connection", (socket) => {
      emu.sockets.add(socket);
      socket.on("close", () => emu.sockets.delete(socket));
    });
    server.on("request", (req, res) => {
      emu.handleRequest(req, res).catch((error: unknown) => {
        // Never let a bug in the emulator hang the bot: answer 500 and log.
        console.error("[bot-api-emulator] internal error", error);
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ ok: false, error_code: 500, description: "Internal Server Error" }));
        }
      });
    });
    return emu;
  }

  // ----------------------------------------------------------------------------- users act

  sendText(from: EmuUser, text: string, opts: { chat?: EmuChat; replyTo?: number } = {}): Promise<{ message_id: number; update_id: number }> {
    const fields: TgObject = { text };
    const command = /^\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])/.exec(text);
    if (command) fields.entities = [{ type: "bot_command", offset: 0, length: command[0].length }];
    return Promise.resolve(this.userMessage(from, opts, fields));
  }

  sendPhoto(
    from: EmuUser,
    opts: { chat?: EmuChat; caption?: string; replyTo?: number; content?: Buffer } = {},
  ): Promise<{ message_id: number; update_id: number }> {
    const bytes = opts.content ?? TINY_PNG;
    const sizes = this.registerPhoto(bytes);
    const fields: TgObject = { photo: sizes };
    if (opts.caption !== undefined) fields.caption = opts.caption;
    return Promise.resolve(this.userMessage(from, opts, fields));
  }

  sendDocument(
    from: EmuUser,
    opts: { fileName: string; mimeType: string; content: Buffer; chat?: EmuChat; caption?: string; replyTo?: number },
  ): Promise<{ message_id: number; update_id: number }> {
    const file = this.registerFile("document", opts.content, { file_name: opts.fileName, mime_type: opts.mimeType });
    const fields: TgObject = { document: this.documentObject(file) };
    if (opts.caption !== undefined) fields.caption = opts.caption;
    return Promise.resolve(this.userMessage(from, opts, fields));
  }

  pressButton(from: EmuUser, message: { chat_id: number; message_id: number }, data: string): Promise<{ callback_query_id: string; update_id: number }> {
    const chat = this.chats.get(message.chat_id);
    const msg = chat?.messages.get(message.message_id);
    if (!chat || !msg) {
      throw new Error(`pressButton: message #${message.message_id} not found in chat ${message.chat_id} (never sent, or deleted)`);
    }
    const user = this.rememberUser(from);
    const id = `${this.botId}${String(++this.callbackCounter).padStart(6, "0")}`;
    this.callbackQueries.set(id, { answered: false });
    const update_id = this.pushUpdate({
      callback_query: { id, from: user, message: clone(msg), chat_instance: chat.chatInstance, data },
    });
    return Promise.resolve({ callback_query_id: id, update_id });
  }

  blockBot(user: EmuUser): Promise<void> {
    const tgUser = this.rememberUser(user);
    const chat = this.privateChat(user);
    chat.started = true;
    if (!this.blocked.has(user.id)) {
      this.blocked.add(user.id);
      this.pushMyChatMember(chat, tgUser, "member", "kicked");
    }
    return Promise.resolve();
  }

  /** Also queues the my_chat_member update (kicked -> member) Telegram sends when a user unblocks. */
  unblockBot(user: EmuUser): Promise<void> {
    const tgUser = this.rememberUser(user);
    if (this.blocked.delete(user.id)) this.pushMyChatMember(this.privateChat(user), tgUser, "kicked", "member");
    return Promise.resolve();
  }

  /**
   * Marks the user's private chat as started without queuing any update — as if the user had
   * pressed Start before the test began — so the bot may write first (e.g. scheduled reminders to
   * people seeded in the database).
   */
  seedPrivateChat(user: EmuUser): void {
    this.rememberUser(user);
    this.privateChat(user).started = true;
  }

  /** Adds the bot to a group (queues my_chat_member left -> member, added by `by`). */
  addBotToGroup(by: EmuUser, chat: EmuChat): Promise<{ update_id: number }> {
    const tgUser = this.rememberUser(by);
    const state = this.ensureChat(by, chat);
    return Promise.resolve({ update_id: this.pushMyChatMember(state, tgUser, "left", "member") });
  }

  /**
   * Upgrades a group to a supergroup as Telegram does: the group gets a new id (-100…), a
   * service message with migrate_to_chat_id is delivered from the old chat, and any call to
   * the old id answers 400 with parameters.migrate_to_chat_id. Returns the new id.
   */
  migrateToSupergroup(by: EmuUser, groupId: number): number {
    const old = this.chats.get(groupId);
    if (!old || old.chat.type !== "group") throw new Error(`migrateToSupergroup: ${groupId} is not a known group`);
    const newId = -1_000_000_000_000 + groupId;
    this.newChatState({ id: newId, title: old.chat.title, type: "supergroup" });
    const user = this.rememberUser(by);
    const msg = this.storeMessage(old, user, { migrate_to_chat_id: newId });
    this.pushUpdate({ message: clone(msg) });
    this.migrated.set(groupId, newId);
    return newId;
  }

  // ----------------------------------------------------------------------------- observe

  messages(chatId: number): SentMessage[] {
    return (this.chats.get(chatId)?.sent ?? []).map((m) => this.snapshot(m));
  }

  waitForMessage(chatId: number, predicate?: (m: SentMessage) => boolean, timeoutMs = 5000): Promise<SentMessage> {
    const deadline = Date.now() + timeoutMs;
    const previous = this.waitChains.get(chatId) ?? Promise.resolve();
    const run = previous
      .catch(() => undefined)
      .then(() => {
        const from = this.cursors.get(chatId) ?? 0;
        return this.waitUntil(
          () => {
            const sent = this.chats.get(chatId)?.sent ?? [];
            let cursor = this.cursors.get(chatId) ?? 0;
            while (cursor < sent.length) {
              const candidate = this.snapshot(sent[cursor]!);
              cursor++;
              this.cursors.set(chatId, cursor);
              if (!predicate || predicate(candidate)) return candidate;
            }
            return undefined;
          },
          Math.max(0, deadline - Date.now()),
          () =>
            this.describeChat(
              chatId,
              `waitForMessage(chat ${chatId}) timed out after ${timeoutMs}ms: ${predicate ? `no message matched the predicate ${String(predicate).slice(0, 200)}` : "the bot sent no new message"}`,
              from,
            ),
        );
      });
    this.waitChains.set(chatId, run);
    return run;
  }

  /** Resolves with the message once it has been edited at least once and matches predicate. */
  waitForEdit(chatId: number, messageId: number, predicate: (m: SentMessage) => boolean, timeoutMs = 5000): Promise<SentMessage> {
    return this.waitUntil(
      () => {
        const m = this.chats.get(chatId)?.sent.find((s) => s.message_id === messageId);
        if (!m || m.edits < 1) return undefined;
        const copy = this.snapshot(m);
        return predicate(copy) ? copy : undefined;
      },
      timeoutMs,
      () => {
        const m = this.chats.get(chatId)?.sent.find((s) => s.message_id === messageId);
        const state = m ? `current state: ${describeMessage(m)}` : "the bot never sent that message";
        return this.describeChat(chatId, `waitForEdit(chat ${chatId}, message #${messageId}) timed out after ${timeoutMs}ms; ${state}`);
      },
    );
  }

  callbackAnswers(): { callback_query_id: string; text?: string; show_alert?: boolean; url?: string; cache_time?: number }[] {
    return this.answers.map((a) => ({ ...a }));
  }

  calls(method?: string): CallRecord[] {
    const wanted = method?.toLowerCase();
    return this.callLog.filter((c) => wanted === undefined || c.method.toLowerCase() === wanted).map((c) => ({ ...c }));
  }

  commands(): TgObject[] {
    return [...this.myCommands.values()].map((c) => clone(c));
  }

  /**
   * The command menu set for exactly this scope (default: Telegram's default scope) and
   * language_code (default: none), as getMyCommands answers it: [] when none was set.
   */
  menuFor(scope?: TgObject, languageCode?: string): { command: string; description: string }[] {
    return clone(this.myCommands.get(commandsKey({ scope, language_code: languageCode }))?.commands ?? []);
  }

  injectFault(method: string, fault: FaultSpec): void {
    this.faults.push({ method: method.toLowerCase(), spec: { ...fault }, remaining: fault.times ?? 1 });
  }

  pendingUpdates(): number {
    return this.updates.filter((u) => u.update_id > this.highestFetched).length;
  }

  /** Resolves once the bot has confirmed this update: it asked for the ones after it. */
  handled(updateId: number, timeoutMs = 5000): Promise<void> {
    return this.waitUntil(
      () => (updateId <= this.highestFetched && !this.updates.some((u) => u.update_id === updateId) ? true : undefined),
      timeoutMs,
      () => `handled(${updateId}) timed out after ${timeoutMs}ms: ${this.updates.length} update(s) not acknowledged by the bot`,
    ).then(() => undefined);
  }

  idle(timeoutMs = 5000): Promise<void> {
    return this.waitUntil(
      () => (this.updates.length === 0 ? true : undefined),
      timeoutMs,
      () =>
        `idle() timed out after ${timeoutMs}ms: ${this.updates.length} update(s) not acknowledged by the bot ` +
        `(${this.pendingUpdates()} never fetched; last getUpdates ${this.lastGetUpdatesAt ? `${Date.now() - this.lastGetUpdatesAt}ms ago` : "never"}). ` +
        "Is the bot launched, and is a handler stuck?",
    ).then(() => undefined);
  }

  fileUrl(fileId: string): string {
    const file = this.files.get(fileId);
    if (!file) throw new Error(`fileUrl: unknown file_id ${fileId}`);
    return `${this.apiRoot}/file/bot${this.token}/${file.file_path}`;
  }

  /** Bytes of a stored file (user uploads and bot uploads). */
  fileBytes(fileId: string): Buffer | undefined {
    return this.files.get(fileId)?.bytes;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const poll of [...this.heldPolls]) poll.wake();
    for (const waiter of [...this.waiters]) waiter.fail(new Error("BotApiEmulator stopped"));
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // give the answered long polls a moment to flush, then cut everything
    await delay(5);
    this.server.closeAllConnections();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  // ----------------------------------------------------------------------------- internals: state

  private rememberUser(user: EmuUser): TgObject {
    if (!Number.isInteger(user.id) || user.id <= 0) throw new Error(`EmuUser.id must be a positive integer, got ${user.id}`);
    const tg: TgObject = { id: user.id, is_bot: false, first_name: user.first_name };
    if (user.username !== undefined) tg.username = user.username;
    if (user.language_code !== undefined) tg.language_code = user.language_code;
    this.users.set(user.id, tg);
    return tg;
  }

  private privateChat(user: EmuUser): ChatState {
    let state = this.chats.get(user.id);
    if (!state) {
      const chat: TgObject = { id: user.id, first_name: user.first_name, type: "private" };
      if (user.username !== undefined) chat.username = user.username;
      state = this.newChatState(chat);
    }
    return state;
  }

  private newChatState(chat: TgObject): ChatState {
    const state: ChatState = {
      chat,
      nextMessageId: 1,
      messages: new Map(),
      sent: [],
      started: chat.type !== "private",
      undelivered: 0,
      chatInstance: String(BigInt.asIntN(64, BigInt(chat.id) * 7919n + 1234567890123n)),
    };
    this.chats.set(chat.id as number, state);
    return state;
  }

  private ensureChat(from: EmuUser, chat: EmuChat | undefined): ChatState {
    if (!chat || chat.type === "private") {
      if (chat && chat.id !== from.id) throw new Error(`a private chat's id must be the user's id (${from.id}), got ${chat.id}`);
      return this.privateChat(from);
    }
    if (!Number.isInteger(chat.id) || chat.id >= 0) throw new Error(`group/supergroup chat ids must be negative, got ${chat.id}`);
    const existing = this.chats.get(chat.id);
    if (existing) return existing;
    return this.newChatState({ id: chat.id, title: chat.title ?? `Group ${-chat.id}`, type: chat.type });
  }

  private userMessage(from: EmuUser, opts: { chat?: EmuChat; replyTo?: number }, fields: TgObject): { message_id: number; update_id: number } {
    const user = this.rememberUser(from);
    const chat = this.ensureChat(from, opts.chat);
    if (chat.chat.type === "private") {
      chat.started = true;
      // A blocked bot must be unblocked ("Restart") before the user can write to it.
      if (this.blocked.delete(from.id)) this.pushMyChatMember(chat, user, "kicked", "member");
    }
    const message: TgObject = { ...fields };
    let replyToBot = false;
    if (opts.replyTo !== undefined) {
      const target = chat.messages.get(opts.replyTo);
      if (!target) throw new Error(`replyTo: message #${opts.replyTo} not found in chat ${chat.chat.id as number}`);
      message.reply_to_message = this.preview(target);
      replyToBot = target.from?.id === this.botId;
    }
    const msg = this.storeMessage(chat, user, message);
    if (chat.chat.type !== "private" && this.privacyMode && !replyToBot && !this.commandForBot(fields)) {
      chat.undelivered++;
      return { message_id: msg.message_id as number, update_id: -1 };
    }
    return { message_id: msg.message_id as number, update_id: this.pushUpdate({ message: clone(msg) }) };
  }

  private commandForBot(fields: TgObject): boolean {
    const text: unknown = fields.text ?? fields.caption;
    if (typeof text !== "string") return false;
    const m = /^\/[A-Za-z0-9_]{1,32}(?:@([A-Za-z0-9_]+))?/.exec(text);
    if (!m) return false;
    return m[1] === undefined || m[1].toLowerCase() === this.botUsername.toLowerCase();
  }

  private storeMessage(chat: ChatState, from: TgObject, fields: TgObject): TgObject {
    const msg: TgObject = { message_id: chat.nextMessageId++, from, chat: chat.chat, date: nowSeconds(), ...fields };
    for (const key of Object.keys(msg)) if (msg[key] === undefined) delete msg[key];
    chat.messages.set(msg.message_id as number, msg);
    return msg;
  }

  /** A message as it appears inside reply_to_message (no nested reply). */
  private preview(msg: TgObject): TgObject {
    const copy = clone(msg);
    delete copy.reply_to_message;
    return copy;
  }

  private pushMyChatMember(chat: ChatState, from: TgObject, oldStatus: string, newStatus: string): number {
    const member = (status: string) => (status === "kicked" ? { user: this.botUser, status, until_date: 0 } : { user: this.botUser, status });
    return this.pushUpdate({
      my_chat_member: {
        chat: chat.chat,
        from,
        date: nowSeconds(),
        old_chat_member: member(oldStatus),
        new_chat_member: member(newStatus),
      },
    });
  }

  private pushUpdate(body: TgObject): number {
    if (this.stopped) throw new Error("BotApiEmulator is stopped");
    const update_id = this.nextUpdateId++;
    this.updates.push({ update_id, update: clone({ update_id, ...body }) });
    for (const poll of [...this.heldPolls]) poll.wake();
    this.notify();
    return update_id;
  }

  private registerFile(kind: StoredFile["kind"], bytes: Buffer, extra: Partial<StoredFile> = {}): StoredFile {
    const n = ++this.fileCounter;
    const ext = extOf(extra.file_name) ?? (kind === "photo" ? "jpg" : "dat");
    const file: StoredFile = {
      file_id: randomId(kind === "photo" ? "AgACAgUAAxkBAAI" : "BQACAgUAAxkBAAI", 48),
      file_unique_id: randomId(kind === "photo" ? "AQAD" : "AgAD", 12),
      kind,
      bytes: Buffer.from(bytes),
      file_path: `${kind === "photo" ? "photos" : "documents"}/file_${n}.${ext}`,
      ...extra,
    };
    if (kind === "document" && !file.mime_type) file.mime_type = MIME_BY_EXT[ext] ?? "application/octet-stream";
    this.files.set(file.file_id, file);
    this.filesByPath.set(file.file_path, file);
    return file;
  }

  /** Registers a photo in two sizes (thumbnail and full) and returns the PhotoSize array. */
  private registerPhoto(bytes: Buffer): TgObject[] {
    const info = imageInfo(bytes);
    const width = info?.width ?? 1280;
    const height = info?.height ?? 960;
    const scale = Math.min(1, 90 / Math.max(width, height, 1));
    const small = this.registerFile("photo", bytes, { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) });
    const large = this.registerFile("photo", bytes, { width, height });
    const sizes = [small, large].map((f) => ({
      file_id: f.file_id,
      file_unique_id: f.file_unique_id,
      file_size: f.bytes.length,
      width: f.width,
      height: f.height,
    }));
    this.photoSets.set(small.file_id, sizes);
    this.photoSets.set(large.file_id, sizes);
    return clone(sizes);
  }

  private documentObject(file: StoredFile): TgObject {
    const doc: TgObject = { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.bytes.length };
    if (file.file_name !== undefined) doc.file_name = file.file_name;
    if (file.mime_type !== undefined) doc.mime_type = file.mime_type;
    return doc;
  }

  private snapshot(m: SentMessage): SentMessage {
    const copy: SentMessage = { ...m };
    if (m.reply_markup !== undefined) copy.reply_markup = clone(m.reply_markup);
    if (m.entities !== undefined) copy.entities = clone(m.entities);
    if (m.document) copy.document = { ...m.document };
    return copy;
  }

  private describeChat(chatId: number, headline: string, cursor?: number): string {
    const chat = this.chats.get(chatId);
    const lines = [headline];
    const sent = chat?.sent ?? [];
    if (sent.length === 0) lines.push(`The bot sent nothing to chat ${chatId}.`);
    else {
      lines.push(`Messages the bot sent to chat ${chatId} (${sent.length}):`);
      sent.forEach((m, index) => {
        const marker = cursor === undefined ? "  " : index < cursor ? "  (before this wait) " : "  (checked, no match) ";
        lines.push(`${marker}${describeMessage(m)}`);
      });
    }
    const failures = this.callLog.filter((c) => c.error && num(c.params?.chat_id) === chatId);
    if (failures.length > 0) {
      lines.push("Failed Bot API calls for this chat:");
      for (const f of failures.slice(-10)) lines.push(`  ${f.method} -> ${f.error!.error_code} ${f.error!.description}`);
    }
    if (chat?.undelivered) lines.push(`Note: privacy mode kept ${chat.undelivered} user message(s) in this group from the bot.`);
    if (this.blocked.has(chatId)) lines.push("Note: this user has blocked the bot.");
    if (this.updates.length > 0) lines.push(`Note: ${this.updates.length} update(s) not yet acknowledged by the bot.`);
    return lines.join("\n");
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter.check();
  }

  private waitUntil<T>(check: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const finish = () => {
        done = true;
        clearTimeout(timer);
        clearInterval(interval);
        this.waiters.delete(waiter);
      };
      const waiter: Waiter = {
        check: () => {
          if (done) return;
          let result: T | undefined;
          try {
            result = check();
          } catch (error) {
            finish();
            reject(error instanceof Error ? error : new Error(String(error)));
            return;
          }
          if (result !== undefined) {
            finish();
            resolve(result);
          }
        },
        fail: (error) => {
          if (done) return;
          finish();
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        if (done) return;
        finish();
        reject(new Error(describe()));
      }, timeoutMs);
      const interval = setInterval(() => waiter.check(), 10);
      this.waiters.add(waiter);
      if (this.stopped) waiter.fail(new Error("BotApiEmulator stopped"));
      else waiter.check();
    });
  }

  // ----------------------------------------------------------------------------- internals: HTTP

  private async handleRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const body = await readBody(req);

    const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (fileMatch) {
      const file = fileMatch[1] === this.token ? this.filesByPath.get(decodeURIComponent(fileMatch[2]!)) : undefined;
      if (!file) return sendJson(res, 404, { ok: false, error_code: 404, description: "Not Found" });
      res.writeHead(200, { "content-type": file.mime_type ?? "application/octet-stream", "content-length": file.bytes.length });
      res.end(file.bytes);
      return;
    }

    const apiMatch = /^\/bot([^/]*)\/(?:test\/)?([A-Za-z]+)\/?$/.exec(url.pathname);
    if (!apiMatch) return sendJson(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    if (apiMatch[1] !== this.token) return sendJson(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });

    const requested = apiMatch[2]!;
    const method = METHOD_NAMES.get(requested.toLowerCase()) ?? requested;
    const record: CallRecord = { method, params: {}, at: Date.now() };
    this.callLog.push(record);

    try {
      const params = this.parseParams(req, url, body);
      record.params = params;
      const handler = METHOD_NAMES.has(requested.toLowerCase()) ? this.handlers[method] : undefined;
      if (!handler) throw new ApiError(404, "Not Found: method not found");
      await this.applyFault(method, params);
      const result = await handler(params, res);
      sendJson(res, 200, { ok: true, result });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      record.error = { error_code: error.error_code, description: error.description };
      const payload: TgObject = { ok: false, error_code: error.error_code, description: error.description };
      if (error.parameters) payload.parameters = error.parameters;
      sendJson(res, error.error_code >= 400 && error.error_code < 600 ? error.error_code : 400, payload);
    } finally {
      this.notify();
    }
  }

  private parseParams(req: http.IncomingMessage, url: URL, body: Buffer): Record<string, unknown> {
    const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
    const type = (req.headers["content-type"] ?? "").toLowerCase();
    if (body.length > 0) {
      if (type.startsWith("application/json")) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.toString("utf8"));
        } catch {
          throw badRequest("can't parse JSON object");
        }
        if (typeof parsed === "object" && parsed !== null) Object.assign(params, parsed);
      } else if (type.startsWith("multipart/form-data")) {
        const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(req.headers["content-type"] ?? "");
        if (!boundary) throw badRequest("can't parse multipart/form-data: no boundary");
        Object.assign(params, parseMultipart(body, boundary[1] ?? boundary[2]!));
        delete params.method; // telegraf puts the method name into the form
      } else if (type.startsWith("application/x-www-form-urlencoded")) {
        Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString("utf8"))));
      }
    }
    return coerceParams(params);
  }

  private async applyFault(method: string, params: TgObject): Promise<void> {
    const chatId = num(params.chat_id);
    const index = this.faults.findIndex((f) => f.method === method.toLowerCase() && (f.spec.chatId === undefined || f.spec.chatId === chatId));
    if (index === -1) return;
    const fault = this.faults[index]!;
    fault.remaining--;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    if (fault.spec.delayMs) await delay(fault.spec.delayMs);
    throw new ApiError(
      fault.spec.error_code,
      fault.spec.description,
      fault.spec.retry_after !== undefined ? { retry_after: fault.spec.retry_after } : undefined,
    );
  }

  /** The chat a method targets; `write` applies the "may the bot send here" rules. */
  private targetChat(chatIdParam: unknown, write: boolean): ChatState {
    const movedTo = this.migrated.get(num(chatIdParam) ?? 0);
    if (movedTo !== undefined) {
      throw new ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat", { migrate_to_chat_id: movedTo });
    }
    if (chatIdParam === undefined || chatIdParam === "") throw badRequest("chat_id is empty");
    let state: ChatState | undefined;
    if (typeof chatIdParam === "string" && chatIdParam.startsWith("@")) {
      const username = chatIdParam.slice(1).toLowerCase();
      state = [...this.chats.values()].find(
        (c) => typeof c.chat.username === "string" && c.chat.username.toLowerCase() === username && c.chat.type !== "private",
      );
      if (!state) throw badRequest("chat not found");
    } else {
      const id = num(chatIdParam);
      if (id === undefined || !Number.isInteger(id)) throw badRequest("chat not found");
      state = this.chats.get(id);
      if (!state || !state.started) {
        if (id > 0 && this.users.has(id)) throw new ApiError(403, "Forbidden: bot can't initiate conversation with a user");
        throw badRequest("chat not found");
      }
    }
    if (write && state.chat.type === "private" && this.blocked.has(state.chat.id as number)) {
      throw new ApiError(403, "Forbidden: bot was blocked by the user");
    }
    return state;
  }

  private replyTarget(chat: ChatState, p: TgObject): TgObject | undefined {
    let id: number | undefined;
    let allowMissing = p.allow_sending_without_reply === true;
    if (typeof p.reply_parameters === "object" && p.reply_parameters !== null) {
      id = num(p.reply_parameters.message_id);
      allowMissing = p.reply_parameters.allow_sending_without_reply === true;
    } else if (p.reply_to_message_id !== undefined) id = num(p.reply_to_message_id);
    if (id === undefined) return undefined;
    const target = chat.messages.get(id);
    if (!target) {
      if (allowMissing) return undefined;
      throw badRequest("message to be replied not found");
    }
    return target;
  }

  private renderCaption(p: TgObject): FormattedText | undefined {
    if (p.caption === undefined || p.caption === "") return undefined;
    const rendered = formatText(String(p.caption), p.parse_mode, p.caption_entities);
    if (rendered.text.length > 1024) throw badRequest("message caption is too long");
    return rendered;
  }

  private recordSent(chat: ChatState, msg: TgObject, p: TgObject, method: string, extra: Partial<SentMessage>): SentMessage {
    const sent: SentMessage = { message_id: msg.message_id as number, chat_id: chat.chat.id as number, method, edits: 0, date: msg.date as number, ...extra };
    if (p.parse_mode !== undefined) sent.parse_mode = String(p.parse_mode);
    if (p.reply_markup !== undefined) sent.reply_markup = clone(p.reply_markup);
    if (msg.reply_to_message) sent.reply_to_message_id = msg.reply_to_message.message_id as number;
    chat.sent.push(sent);
    return sent;
  }

  private sendMedia(kind: "photo" | "document", method: string, p: TgObject): TgObject {
    const chat = this.targetChat(p.chat_id, true);
    const input = p[kind];
    const extra: Partial<SentMessage> = {};
    let media: TgObject;
    if (isUpload(input)) {
      if (input.bytes.length === 0) throw badRequest("file must be non-empty");
      if (kind === "photo") {
        const info = imageInfo(input.bytes);
        if (!info) throw badRequest("IMAGE_PROCESS_FAILED");
        if (info.width !== undefined && info.height !== undefined) {
          const { width, height } = info;
          if (width + height > 10000 || Math.max(width, height) / Math.max(1, Math.min(width, height)) > 20) {
            throw badRequest("PHOTO_INVALID_DIMENSIONS");
          }
        }
        media = { photo: this.registerPhoto(input.bytes) };
        extra.photo = true;
        extra.photoBytes = Buffer.from(input.bytes);
      } else {
        const file = this.registerFile("document", input.bytes, { file_name: input.filename ?? "document.dat" });
        media = { document: this.documentObject(file) };
        extra.document = { bytes: Buffer.from(input.bytes) };
        if (file.file_name !== undefined) extra.document.file_name = file.file_name;
        if (file.mime_type !== undefined) extra.document.mime_type = file.mime_type;
      }
    } else if (typeof input === "string" && input !== "") {
      extra.file_id = input;
      if (/^https?:\/\//i.test(input)) {
        // Telegram would download it; the emulator has no internet, so it records an empty file.
        if (kind === "photo") {
          media = { photo: this.registerPhoto(TINY_PNG) };
          extra.photo = true;
        } else {
          const file = this.registerFile("document", Buffer.alloc(0), { file_name: input.split("/").pop() || "file" });
          media = { document: this.documentObject(file) };
          extra.document = { file_name: file.file_name! };
        }
      } else {
        const file = this.files.get(input);
        if (!file) throw badRequest("wrong file identifier/HTTP URL specified");
        if (file.kind !== kind) throw badRequest("type of file mismatch");
        if (kind === "photo") {
          media = { photo: clone(this.photoSets.get(input) ?? []) };
          extra.photo = true;
        } else {
          media = { document: this.documentObject(file) };
          extra.document = {};
          if (file.file_name !== undefined) extra.document.file_name = file.file_name;
          if (file.mime_type !== undefined) extra.document.mime_type = file.mime_type;
        }
      }
    } else {
      throw badRequest(`there is no ${kind} in the request`);
    }
    validateReplyMarkup(p.reply_markup);
    const caption = this.renderCaption(p);
    const replyTo = this.replyTarget(chat, p);
    const msg = this.storeMessage(chat, this.botUser, {
      ...media,
      caption: caption?.text,
      caption_entities: caption && caption.entities.length > 0 ? caption.entities : undefined,
      reply_markup: inlineMarkup(p.reply_markup),
      reply_to_message: replyTo ? this.preview(replyTo) : undefined,
    });
    if (p.caption !== undefined) {
      extra.caption = String(p.caption);
      extra.plainText = caption?.text ?? "";
      if (caption && caption.entities.length > 0) extra.entities = caption.entities;
    }
    this.recordSent(chat, msg, p, method, extra);
    return clone(msg);
  }

  private editTarget(p: TgObject): { chat: ChatState; msg: TgObject; sent: SentMessage | undefined } {
    if (p.inline_message_id !== undefined) throw badRequest("MESSAGE_ID_INVALID (inline messages are not emulated)");
    const chat = this.targetChat(p.chat_id, false);
    const id = num(p.message_id);
    if (id === undefined) throw badRequest("message identifier is not specified");
    const msg = chat.messages.get(id);
    if (!msg) throw badRequest("message to edit not found");
    if (msg.from?.id !== this.botId) throw badRequest("message can't be edited");
    return { chat, msg, sent: chat.sent.find((s) => s.message_id === id) };
  }

  private static readonly NOT_MODIFIED =
    "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

  private readonly handlers: Record<string, (p: TgObject, res: http.ServerResponse) => unknown> = {
    getMe: () => ({
      ...this.botUser,
      can_join_groups: true,
      can_read_all_group_messages: !this.privacyMode,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
    }),
    getUpdates: (p, res) => this.getUpdates(p, res),
    deleteWebhook: (p) => {
      this.webhookUrl = "";
      if (p.drop_pending_updates === true) this.updates = [];
      return true;
    },
    setWebhook: (p) => {
      this.webhookUrl = typeof p.url === "string" ? p.url : "";
      if (p.drop_pending_updates === true) this.updates = [];
      return true;
    },
    getWebhookInfo: () => ({ url: this.webhookUrl, has_custom_certificate: false, pending_update_count: this.updates.length }),
    setMyCommands: (p) => {
      if (!Array.isArray(p.commands)) throw badRequest("can't parse commands JSON object");
      if (p.commands.length > 100) throw badRequest("too many commands");
      for (const c of p.commands as TgObject[]) {
        if (typeof c?.command !== "string" || !/^[a-z0-9_]{1,32}$/.test(c.command)) throw badRequest("BOT_COMMAND_INVALID");
        if (typeof c.description !== "string" || c.description.length < 1 || c.description.length > 256) {
          throw badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
        }
      }
      const entry: TgObject = { commands: clone(p.commands) };
      if (p.scope !== undefined) entry.scope = clone(p.scope);
      if (p.language_code !== undefined) entry.language_code = p.language_code;
      const key = commandsKey(p);
      this.myCommands.delete(key);
      if (p.commands.length > 0) this.myCommands.set(key, entry);
      return true;
    },
    getMyCommands: (p) => clone(this.myCommands.get(commandsKey(p))?.commands ?? []),
    deleteMyCommands: (p) => {
      this.myCommands.delete(commandsKey(p));
      return true;
    },
    sendMessage: (p) => {
      const chat = this.targetChat(p.chat_id, true);
      if (p.text === undefined || String(p.text).trim() === "") throw badRequest("message text is empty");
      const rendered = formatText(String(p.text), p.parse_mode, p.entities);
      if (rendered.text.trim() === "") throw badRequest("message text is empty");
      if (rendered.text.length > 4096) throw badRequest("message is too long");
      validateReplyMarkup(p.reply_markup);
      const replyTo = this.replyTarget(chat, p);
      const msg = this.storeMessage(chat, this.botUser, {
        text: rendered.text,
        entities: rendered.entities.length > 0 ? rendered.entities : undefined,
        link_preview_options: p.link_preview_options,
        reply_markup: inlineMarkup(p.reply_markup),
        reply_to_message: replyTo ? this.preview(replyTo) : undefined,
      });
      const extra: Partial<SentMessage> = { text: String(p.text), plainText: rendered.text };
      if (rendered.entities.length > 0) extra.entities = rendered.entities;
      this.recordSent(chat, msg, p, "sendMessage", extra);
      return clone(msg);
    },
    sendPhoto: (p) => this.sendMedia("photo", "sendPhoto", p),
    sendDocument: (p) => this.sendMedia("document", "sendDocument", p),
    copyMessage: (p) => ({ message_id: this.copyOrForward(p, "copyMessage").message_id }),
    forwardMessage: (p) => this.copyOrForward(p, "forwardMessage"),
    editMessageText: (p) => {
      const { msg, sent } = this.editTarget(p);
      if (typeof msg.text !== "string") throw badRequest("there is no text in the message to edit");
      if (p.text === undefined || String(p.text).trim() === "") throw badRequest("message text is empty");
      const rendered = formatText(String(p.text), p.parse_mode, p.entities);
      if (rendered.text.trim() === "") throw badRequest("message text is empty");
      if (rendered.text.length > 4096) throw badRequest("MESSAGE_TOO_LONG");
      validateReplyMarkup(p.reply_markup);
      if (p.reply_markup !== undefined && inlineMarkup(p.reply_markup) === undefined && !isEmptyInline(p.reply_markup)) {
        throw badRequest("inline keyboard expected");
      }
      const markup = inlineMarkup(p.reply_markup);
      if (msg.text === rendered.text && sameEntities(msg.entities, rendered.entities) && isDeepStrictEqual(msg.reply_markup, markup)) {
        throw badRequest(BotApiEmulator.NOT_MODIFIED);
      }
      msg.text = rendered.text;
      setOrDelete(msg, "entities", rendered.entities.length > 0 ? rendered.entities : undefined);
      setOrDelete(msg, "reply_markup", markup);
      msg.edit_date = nowSeconds();
      if (sent) {
        sent.text = String(p.text);
        sent.plainText = rendered.text;
        setOrDelete(sent, "entities", rendered.entities.length > 0 ? rendered.entities : undefined);
        setOrDelete(sent, "parse_mode", p.parse_mode);
        setOrDelete(sent, "reply_markup", clone(p.reply_markup));
        sent.edits++;
      }
      return clone(msg);
    },
    editMessageCaption: (p) => {
      const { msg, sent } = this.editTarget(p);
      if (!msg.photo && !msg.document) throw badRequest("there is no caption in the message to edit");
      validateReplyMarkup(p.reply_markup);
      const caption = this.renderCaption(p);
      const markup = inlineMarkup(p.reply_markup);
      if (
        (msg.caption ?? "") === (caption?.text ?? "") &&
        sameEntities(msg.caption_entities, caption?.entities) &&
        isDeepStrictEqual(msg.reply_markup, markup)
      ) {
        throw badRequest(BotApiEmulator.NOT_MODIFIED);
      }
      setOrDelete(msg, "caption", caption?.text);
      setOrDelete(msg, "caption_entities", caption && caption.entities.length > 0 ? caption.entities : undefined);
      setOrDelete(msg, "reply_markup", markup);
      msg.edit_date = nowSeconds();
      if (sent) {
        setOrDelete(sent, "caption", p.caption === undefined ? undefined : String(p.caption));
        setOrDelete(sent, "plainText", caption?.text);
        setOrDelete(sent, "entities", caption && caption.entities.length > 0 ? caption.entities : undefined);
        setOrDelete(sent, "parse_mode", p.parse_mode);
        setOrDelete(sent, "reply_markup", clone(p.reply_markup));
        sent.edits++;
      }
      return clone(msg);
    },
    editMessageReplyMarkup: (p) => {
      const { msg, sent } = this.editTarget(p);
      validateReplyMarkup(p.reply_markup);
      if (p.reply_markup !== undefined && inlineMarkup(p.reply_markup) === undefined && !isEmptyInline(p.reply_markup)) {
        throw badRequest("inline keyboard expected");
      }
      const markup = inlineMarkup(p.reply_markup);
      if (isDeepStrictEqual(msg.reply_markup, markup)) throw badRequest(BotApiEmulator.NOT_MODIFIED);
      setOrDelete(msg, "reply_markup", markup);
      msg.edit_date = nowSeconds();
      if (sent) {
        setOrDelete(sent, "reply_markup", clone(p.reply_markup));
        sent.edits++;
      }
      return clone(msg);
    },
    answerCallbackQuery: (p) => {
      const id = p.callback_query_id === undefined ? "" : String(p.callback_query_id);
      const query = this.callbackQueries.get(id);
      if (!query || query.answered) throw badRequest("query is too old and response timeout expired or query ID is invalid");
      if (typeof p.text === "string" && p.text.length > 200) throw badRequest("MESSAGE_TOO_LONG");
      query.answered = true;
      const answer: { callback_query_id: string; text?: string; show_alert?: boolean; url?: string; cache_time?: number } = { callback_query_id: id };
      if (p.text !== undefined) answer.text = String(p.text);
      if (p.show_alert !== undefined) answer.show_alert = p.show_alert === true;
      if (p.url !== undefined) answer.url = String(p.url);
      if (p.cache_time !== undefined) answer.cache_time = num(p.cache_time) ?? 0;
      this.answers.push(answer);
      return true;
    },
    sendChatAction: (p) => {
      this.targetChat(p.chat_id, true);
      if (!CHAT_ACTIONS.has(String(p.action))) throw badRequest("wrong parameter action in request");
      return true;
    },
    deleteMessage: (p) => {
      const chat = this.targetChat(p.chat_id, false);
      const id = num(p.message_id);
      if (id === undefined || !chat.messages.has(id)) throw badRequest("message to delete not found");
      chat.messages.delete(id);
      const sent = chat.sent.find((s) => s.message_id === id);
      if (sent) sent.deleted = true;
      return true;
    },
    getFile: (p) => {
      const file = this.files.get(String(p.file_id ?? ""));
      if (!file) throw badRequest("invalid file_id");
      return { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.bytes.length, file_path: file.file_path };
    },
    getChat: (p) => {
      const chat = this.targetChat(p.chat_id, false);
      return { ...clone(chat.chat), accent_color_id: 0, max_reaction_count: 11 };
    },
    close: () => true,
    logOut: () => true,
    setMyDescription: () => true,
    setMyShortDescription: () => true,
    setMyName: () => true,
    setChatMenuButton: () => true,
  };

  private copyOrForward(p: TgObject, method: "copyMessage" | "forwardMessage"): TgObject {
    const chat = this.targetChat(p.chat_id, true);
    const source = this.targetChat(p.from_chat_id, false);
    const original = source.messages.get(num(p.message_id) ?? -1);
    if (!original) throw badRequest(method === "copyMessage" ? "message to copy not found" : "message to forward not found");
    const content: TgObject = {};
    for (const key of ["text", "entities", "photo", "document", "caption", "caption_entities"]) {
      if (original[key] !== undefined) content[key] = clone(original[key]);
    }
    const extra: Partial<SentMessage> = {};
    if (method === "copyMessage") {
      validateReplyMarkup(p.reply_markup);
      if (p.caption !== undefined && content.text === undefined) {
        const caption = this.renderCaption(p);
        setOrDelete(content, "caption", caption?.text);
        setOrDelete(content, "caption_entities", caption && caption.entities.length > 0 ? caption.entities : undefined);
      }
      const replyTo = this.replyTarget(chat, p);
      setOrDelete(content, "reply_markup", inlineMarkup(p.reply_markup));
      if (replyTo) content.reply_to_message = this.preview(replyTo);
    } else {
      const sender = original.from as TgObject | undefined;
      content.forward_origin =
        sender?.is_bot === false || sender?.id === this.botId
          ? { type: "user", sender_user: sender, date: original.date }
          : { type: "hidden_user", sender_user_name: "Unknown", date: original.date };
    }
    if (typeof content.text === "string") {
      extra.text = content.text;
      extra.plainText = content.text;
    }
    if (typeof content.caption === "string") {
      extra.caption = content.caption;
      extra.plainText = content.caption;
    }
    if (content.photo) {
      extra.photo = true;
      extra.file_id = (content.photo as TgObject[])[(content.photo as TgObject[]).length - 1]?.file_id;
    }
    if (content.document) {
      extra.document = { file_name: content.document.file_name, mime_type: content.document.mime_type };
      extra.file_id = content.document.file_id;
    }
    const msg = this.storeMessage(chat, this.botUser, content);
    this.recordSent(chat, msg, method === "copyMessage" ? p : {}, method, extra);
    return clone(msg);
  }

  private async getUpdates(p: TgObject, res: http.ServerResponse): Promise<TgObject[]> {
    if (this.webhookUrl)
      throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    this.lastGetUpdatesAt = Date.now();
    // Telegram ends an older long poll when a newer one arrives.
    for (const poll of [...this.heldPolls]) poll.conflict();
    const offset = num(p.offset) ?? 0;
    const limit = Math.min(100, Math.max(1, num(p.limit) ?? 100));
    const timeout = Math.max(0, num(p.timeout) ?? 0);
    if (offset > 0) {
      this.updates = this.updates.filter((u) => u.update_id >= offset);
    }
    const select = () => (offset < 0 ? this.updates.slice(offset) : this.updates).slice(0, limit);
    let batch = select();
    if (batch.length === 0 && timeout > 0 && !this.stopped) {
      let conflicted = false;
      await new Promise<void>((resolve) => {
        const poll: HeldPoll = {
          res,
          wake: () => {
            this.heldPolls.delete(poll);
            clearTimeout(timer);
            resolve();
          },
          conflict: () => {
            conflicted = true;
            poll.wake();
          },
        };
        const timer = setTimeout(poll.wake, Math.min(timeout, 1) * 1000);
        res.once("close", poll.wake);
        this.heldPolls.add(poll);
      });
      if (conflicted) throw new ApiError(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
      if (res.destroyed || this.stopped) return [];
      batch = select();
    }
    for (const u of batch) this.highestFetched = Math.max(this.highestFetched, u.update_id);
    return batch.map((u) => clone(u.update));
  }
}

const METHOD_NAMES = new Map<string, string>(
  [
    "getMe",
    "getUpdates",
    "deleteWebhook",
    "setWebhook",
    "getWebhookInfo",
    "setMyCommands",
    "getMyCommands",
    "deleteMyCommands",
    "sendMessage",
    "sendPhoto",
    "sendDocument",
    "copyMessage",
    "forwardMessage",
    "editMessageText",
    "editMessageCaption",
    "editMessageReplyMarkup",
    "answerCallbackQuery",
    "sendChatAction",
    "deleteMessage",
    "getFile",
    "getChat",
    "close",
    "logOut",
    "setMyDescription",
    "setMyShortDescription",
    "setMyName",
    "setChatMenuButton",
  ].map((name) => [name.toLowerCase(), name]),
);

function commandsKey(p: TgObject): string {
  return `${JSON.stringify(p.scope ?? { type: "default" })}|${typeof p.language_code === "string" ? p.language_code : ""}`;
}

function sameEntities(a: unknown, b: unknown): boolean {
  const norm = (x: unknown) => (Array.isArray(x) && x.length > 0 ? x : undefined);
  return isDeepStrictEqual(norm(a), norm(b));
}

function isEmptyInline(markup: unknown): boolean {
  return typeof markup === "object" && markup !== null && Array.isArray((markup as TgObject).inline_keyboard);
}

function setOrDelete(target: object, key: string, value: unknown): void {
  const record = target as Record<string, unknown>;
  if (value === undefined) delete record[key];
  else record[key] = value;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, payload: unknown): void {
  if (res.headersSent || res.destroyed || res.writableEnded) return;
  const body = JSON.stringify(payload);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}
