/** reply_markup checked as Telegram checks it, and the part of it a Message keeps. */
import { badRequest, isObject, type InlineKeyboardButton, type InlineKeyboardMarkup } from "./bot-api.js";

const BUTTON_ACTIONS = [
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
];

const isRows = (value: unknown): value is unknown[][] => Array.isArray(value) && value.every((row: unknown) => Array.isArray(row));

/** `chatType`: where the markup goes; Web App buttons work in private chats only (Telegram's BUTTON_TYPE_INVALID elsewhere). */
export function validateReplyMarkup(markup: unknown, chatType?: string): void {
  if (markup === undefined || markup === null) return;
  if (!isObject(markup)) throw badRequest("can't parse reply keyboard markup JSON object");
  if ("inline_keyboard" in markup) {
    if (!isRows(markup.inline_keyboard)) throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
    for (const row of markup.inline_keyboard) {
      for (const button of row) {
        if (typeof button !== "object" || button === null) throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
        validateButton(button as Record<string, unknown>, chatType);
      }
    }
    return;
  }
  if ("keyboard" in markup) {
    if (!isRows(markup.keyboard)) throw badRequest('field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays');
    return;
  }
  if ("remove_keyboard" in markup || "force_reply" in markup) return;
  throw badRequest('can\'t find field "inline_keyboard"');
}

function validateButton(button: Record<string, unknown>, chatType: string | undefined): void {
  if (typeof button.text !== "string") throw badRequest('can\'t parse inline keyboard button: Field "text" must be of type String');
  if (!BUTTON_ACTIONS.some((key) => button[key] !== undefined)) throw badRequest("text buttons are unallowed in the inline keyboard");
  if (button.callback_data !== undefined) {
    const data = button.callback_data;
    if (typeof data !== "string" || data.length === 0 || Buffer.byteLength(data, "utf8") > 64) throw badRequest("BUTTON_DATA_INVALID");
  }
  if (button.web_app !== undefined) {
    if (chatType !== undefined && chatType !== "private") throw badRequest("BUTTON_TYPE_INVALID");
    validateWebApp(button.web_app);
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

/** Message objects carry only inline keyboards (Telegram drops reply keyboards from Message). */
export function inlineMarkup(markup: unknown): InlineKeyboardMarkup | undefined {
  if (isObject(markup) && Array.isArray(markup.inline_keyboard)) {
    const rows = markup.inline_keyboard as InlineKeyboardButton[][];
    return rows.length > 0 ? { inline_keyboard: rows } : undefined;
  }
  return undefined;
}

/** `{ inline_keyboard: [] }` (or any inline keyboard): what an edit may pass to remove the buttons. */
export function isInlineKeyboard(markup: unknown): boolean {
  return isObject(markup) && Array.isArray(markup.inline_keyboard);
}

/** A WebAppInfo: an https URL, as Telegram opens nothing else. */
export function validateWebApp(webApp: unknown): void {
  const url = isObject(webApp) ? webApp.url : undefined;
  if (typeof url !== "string" || !URL.canParse(url) || new URL(url).protocol !== "https:") {
    throw badRequest(`inline keyboard button Web App URL '${String(url)}' is invalid: Only HTTPS links are allowed`);
  }
}
