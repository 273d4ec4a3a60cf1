/**
 * The Bot API JSON the emulator keeps and answers with: the subset of Telegram's types Pantau's
 * bot meets, the error it answers with, and the small coercions every method needs.
 */

/** Parameters of one call as they arrived (JSON, form or multipart), checked field by field. */
export type Params = Record<string, unknown>;

export interface TgUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  username?: string;
  language_code?: string;
}

export interface TgChat {
  id: number;
  type: "private" | "group" | "supergroup";
  title?: string;
  first_name?: string;
  username?: string;
}

export interface MessageEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  user?: TgUser;
  language?: string;
  custom_emoji_id?: string;
}

/** An inline button as the bot sent it: text and one action (callback_data, url, …). */
export interface InlineKeyboardButton {
  text: string;
  callback_data?: string;
  url?: string;
}

export interface InlineKeyboardMarkup {
  inline_keyboard: InlineKeyboardButton[][];
}

export interface PhotoSize {
  file_id: string;
  file_unique_id: string;
  file_size: number;
  width?: number;
  height?: number;
}

export interface TgDocument {
  file_id: string;
  file_unique_id: string;
  file_size: number;
  file_name?: string;
  mime_type?: string;
}

export type MessageOrigin = { type: "user"; sender_user: TgUser; date: number } | { type: "hidden_user"; sender_user_name: string; date: number };

export interface TgMessage {
  message_id: number;
  from: TgUser;
  chat: TgChat;
  date: number;
  text?: string;
  entities?: MessageEntity[];
  caption?: string;
  caption_entities?: MessageEntity[];
  photo?: PhotoSize[];
  document?: TgDocument;
  reply_markup?: InlineKeyboardMarkup;
  reply_to_message?: TgMessage;
  link_preview_options?: unknown;
  forward_origin?: MessageOrigin;
  migrate_to_chat_id?: number;
  edit_date?: number;
}

/** What a message carries beyond its id, sender, chat and date. */
export type MessageContent = Omit<TgMessage, "message_id" | "from" | "chat" | "date">;

export interface ChatMember {
  user: TgUser;
  status: string;
  until_date?: number;
}

export type UpdateBody =
  | { message: TgMessage }
  | { callback_query: { id: string; from: TgUser; message: TgMessage; chat_instance: string; data: string } }
  | { my_chat_member: { chat: TgChat; from: TgUser; date: number; old_chat_member: ChatMember; new_chat_member: ChatMember } };

export type Update = { update_id: number } & UpdateBody;

export interface BotCommand {
  command: string;
  description: string;
}

/** A BotCommandScope (`{ type: "chat", chat_id }`, …), compared as JSON. */
export type BotCommandScope = { type: string } & Record<string, unknown>;

export class ApiError extends Error {
  constructor(
    readonly error_code: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number; migrate_to_chat_id?: number },
  ) {
    super(`${error_code}: ${description}`);
  }
}

export const badRequest = (what: string) => new ApiError(400, `Bad Request: ${what}`);

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export function clone<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

/** A number given as a number or a numeric string (form fields arrive as text). */
export function num(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

/** A string field, or undefined when absent or not a string. */
export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function setOrDelete<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
