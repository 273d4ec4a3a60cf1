/**
 * The Bot API methods Pantau calls, each checked the way Telegram checks it: texts over 4096
 * characters (after markup), captions over 1024, "message is not modified", editMessageText
 * dropping the keyboard when no reply_markup is passed, bytes that are not an image, and so on.
 */
import { isDeepStrictEqual } from "node:util";
import {
  badRequest,
  clone,
  nowSeconds,
  num,
  setOrDelete,
  str,
  type InlineKeyboardMarkup,
  type MessageContent,
  type Params,
  type TgMessage,
  type TgUser,
} from "./bot-api.js";
import { documentObject, imageInfo, type FileStore } from "./files.js";
import { formatText, type FormattedText } from "./html.js";
import { inlineMarkup, isInlineKeyboard, validateReplyMarkup } from "./reply-markup.js";
import { isUpload } from "./request.js";
import type { Method } from "./server.js";
import type { CallbackQueries, Chats, CommandMenus, MenuButtons } from "./state.js";
import { TINY_PNG, type AsSent, type SentMessage } from "./types.js";
import type { UpdateQueue } from "./updates.js";

/** Everything the methods read and change. */
export interface World {
  botUser: TgUser;
  privacyMode: boolean;
  chats: Chats;
  files: FileStore;
  updates: UpdateQueue;
  callbacks: CallbackQueries;
  menus: CommandMenus;
  menuButtons: MenuButtons;
}

const NOT_MODIFIED =
  "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

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

/** The methods by their Bot API name (matched case-insensitively by the server). */
export function botApiMethods(world: World): Record<string, Method> {
  const { botUser, chats, files, updates } = world;
  return {
    getMe: () => ({
      ...botUser,
      can_join_groups: true,
      can_read_all_group_messages: !world.privacyMode,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
    }),
    getUpdates: (p, res) => updates.getUpdates(p, res),
    deleteWebhook: (p) => {
      updates.webhookUrl = "";
      if (p.drop_pending_updates === true) updates.dropPending();
      return true;
    },
    setWebhook: (p) => {
      updates.webhookUrl = str(p.url) ?? "";
      if (p.drop_pending_updates === true) updates.dropPending();
      return true;
    },
    getWebhookInfo: () => ({ url: updates.webhookUrl, has_custom_certificate: false, pending_update_count: updates.size }),
    setMyCommands: (p) => world.menus.set(p),
    getMyCommands: (p) => world.menus.get(p.scope, p.language_code),
    deleteMyCommands: (p) => world.menus.delete(p.scope, p.language_code),
    sendMessage: (p) => {
      const chat = chats.target(p.chat_id, true);
      if (p.text === undefined || String(p.text).trim() === "") throw badRequest("message text is empty");
      const rendered = formatText(String(p.text), str(p.parse_mode), p.entities);
      if (rendered.text.trim() === "") throw badRequest("message text is empty");
      if (rendered.text.length > 4096) throw badRequest("message is too long");
      validateReplyMarkup(p.reply_markup, chat.chat.type);
      const replyTo = chats.replyTarget(chat, p);
      const msg = chats.storeMessage(chat, botUser, {
        text: rendered.text,
        entities: rendered.entities.length > 0 ? rendered.entities : undefined,
        link_preview_options: p.link_preview_options,
        reply_markup: inlineMarkup(p.reply_markup),
        reply_to_message: replyTo ? chats.preview(replyTo) : undefined,
      });
      const extra: Partial<SentMessage> = { text: String(p.text), plainText: rendered.text };
      if (rendered.entities.length > 0) extra.entities = rendered.entities;
      chats.recordSent(chat, msg, p, "sendMessage", extra);
      return clone(msg);
    },
    sendPhoto: (p) => sendMedia(world, "photo", "sendPhoto", p),
    sendDocument: (p) => sendMedia(world, "document", "sendDocument", p),
    copyMessage: (p) => ({ message_id: copyOrForward(world, p, "copyMessage").message_id }),
    forwardMessage: (p) => copyOrForward(world, p, "forwardMessage"),
    editMessageText: (p) => {
      const { msg, sent } = chats.editTarget(p);
      if (typeof msg.text !== "string") throw badRequest("there is no text in the message to edit");
      if (p.text === undefined || String(p.text).trim() === "") throw badRequest("message text is empty");
      const rendered = formatText(String(p.text), str(p.parse_mode), p.entities);
      if (rendered.text.trim() === "") throw badRequest("message text is empty");
      if (rendered.text.length > 4096) throw badRequest("MESSAGE_TOO_LONG");
      const markup = editedMarkup(p);
      if (msg.text === rendered.text && sameEntities(msg.entities, rendered.entities) && isDeepStrictEqual(msg.reply_markup, markup)) {
        throw badRequest(NOT_MODIFIED);
      }
      msg.text = rendered.text;
      setOrDelete(msg, "entities", rendered.entities.length > 0 ? rendered.entities : undefined);
      if (sent) {
        sent.text = String(p.text);
        sent.plainText = rendered.text;
        setOrDelete(sent, "entities", rendered.entities.length > 0 ? rendered.entities : undefined);
        setOrDelete(sent, "parse_mode", str(p.parse_mode));
      }
      return edited(msg, sent, markup, p);
    },
    editMessageCaption: (p) => {
      const { msg, sent } = chats.editTarget(p);
      if (!msg.photo && !msg.document) throw badRequest("there is no caption in the message to edit");
      validateReplyMarkup(p.reply_markup);
      const caption = renderCaption(p);
      const markup = inlineMarkup(p.reply_markup);
      if (
        (msg.caption ?? "") === (caption?.text ?? "") &&
        sameEntities(msg.caption_entities, caption?.entities) &&
        isDeepStrictEqual(msg.reply_markup, markup)
      ) {
        throw badRequest(NOT_MODIFIED);
      }
      setOrDelete(msg, "caption", caption?.text);
      setOrDelete(msg, "caption_entities", caption && caption.entities.length > 0 ? caption.entities : undefined);
      if (sent) {
        setOrDelete(sent, "caption", p.caption === undefined ? undefined : String(p.caption));
        setOrDelete(sent, "plainText", caption?.text);
        setOrDelete(sent, "entities", caption && caption.entities.length > 0 ? caption.entities : undefined);
        setOrDelete(sent, "parse_mode", str(p.parse_mode));
      }
      return edited(msg, sent, markup, p);
    },
    editMessageReplyMarkup: (p) => {
      const { msg, sent } = chats.editTarget(p);
      const markup = editedMarkup(p);
      if (isDeepStrictEqual(msg.reply_markup, markup)) throw badRequest(NOT_MODIFIED);
      return edited(msg, sent, markup, p);
    },
    answerCallbackQuery: (p) => world.callbacks.answer(p),
    sendChatAction: (p) => {
      chats.target(p.chat_id, true);
      if (!CHAT_ACTIONS.has(String(p.action))) throw badRequest("wrong parameter action in request");
      return true;
    },
    deleteMessage: (p) => {
      const chat = chats.target(p.chat_id, false);
      const id = num(p.message_id);
      if (id === undefined || !chat.messages.has(id)) throw badRequest("message to delete not found");
      chat.messages.delete(id);
      const sent = chat.sent.find((s) => s.message_id === id);
      if (sent) sent.deleted = true;
      return true;
    },
    getFile: (p) => {
      const file = files.get(String(p.file_id ?? ""));
      if (!file) throw badRequest("invalid file_id");
      return { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.bytes.length, file_path: file.file_path };
    },
    getChat: (p) => {
      const chat = chats.target(p.chat_id, false);
      return { ...clone(chat.chat), accent_color_id: 0, max_reaction_count: 11 };
    },
    close: () => true,
    logOut: () => true,
    setMyDescription: () => true,
    setMyShortDescription: () => true,
    setMyName: () => true,
    setChatMenuButton: (p) => world.menuButtons.set(p, chats),
    getChatMenuButton: (p) => world.menuButtons.get(p.chat_id),
  };
}

/** The keyboard an edit of text or keyboard leaves: an inline one, or none (`{ inline_keyboard: [] }` or nothing given). */
function editedMarkup(p: Params): InlineKeyboardMarkup | undefined {
  validateReplyMarkup(p.reply_markup);
  if (p.reply_markup !== undefined && inlineMarkup(p.reply_markup) === undefined && !isInlineKeyboard(p.reply_markup)) {
    throw badRequest("inline keyboard expected");
  }
  return inlineMarkup(p.reply_markup);
}

/** The end of every edit: the keyboard set on the message and on the record of what was sent, the edit counted. */
function edited(msg: TgMessage, sent: SentMessage | undefined, markup: InlineKeyboardMarkup | undefined, p: Params): TgMessage {
  setOrDelete(msg, "reply_markup", markup);
  msg.edit_date = nowSeconds();
  if (sent) {
    setOrDelete(sent, "reply_markup", clone(p.reply_markup) as AsSent | undefined);
    sent.edits++;
  }
  return clone(msg);
}

function renderCaption(p: Params): FormattedText | undefined {
  if (p.caption === undefined || p.caption === "") return undefined;
  const rendered = formatText(String(p.caption), str(p.parse_mode), p.caption_entities);
  if (rendered.text.length > 1024) throw badRequest("message caption is too long");
  return rendered;
}

function sameEntities(a: unknown, b: unknown): boolean {
  const norm = (x: unknown) => (Array.isArray(x) && x.length > 0 ? x : undefined);
  return isDeepStrictEqual(norm(a), norm(b));
}

/** sendPhoto / sendDocument: an upload (checked as Telegram checks images), a file_id, or a URL. */
function sendMedia(world: World, kind: "photo" | "document", method: string, p: Params): TgMessage {
  const { chats, files } = world;
  const chat = chats.target(p.chat_id, true);
  const input = p[kind];
  const extra: Partial<SentMessage> = {};
  let media: MessageContent;
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
      media = { photo: files.registerPhoto(input.bytes) };
      extra.photo = true;
      extra.photoBytes = Buffer.from(input.bytes);
    } else {
      const file = files.register("document", input.bytes, { file_name: input.filename ?? "document.dat" });
      media = { document: documentObject(file) };
      extra.document = { bytes: Buffer.from(input.bytes) };
      if (file.file_name !== undefined) extra.document.file_name = file.file_name;
      if (file.mime_type !== undefined) extra.document.mime_type = file.mime_type;
    }
  } else if (typeof input === "string" && input !== "") {
    extra.file_id = input;
    if (/^https?:\/\//i.test(input)) {
      // Telegram would download it; the emulator has no internet, so it records an empty file.
      if (kind === "photo") {
        media = { photo: files.registerPhoto(TINY_PNG) };
        extra.photo = true;
      } else {
        const file = files.register("document", Buffer.alloc(0), { file_name: input.split("/").pop() || "file" });
        media = { document: documentObject(file) };
        extra.document = { file_name: file.file_name! };
      }
    } else {
      const file = files.get(input);
      if (!file) throw badRequest("wrong file identifier/HTTP URL specified");
      if (file.kind !== kind) throw badRequest("type of file mismatch");
      if (kind === "photo") {
        media = { photo: files.photoSizes(input) };
        extra.photo = true;
      } else {
        media = { document: documentObject(file) };
        extra.document = {};
        if (file.file_name !== undefined) extra.document.file_name = file.file_name;
        if (file.mime_type !== undefined) extra.document.mime_type = file.mime_type;
      }
    }
  } else {
    throw badRequest(`there is no ${kind} in the request`);
  }
  validateReplyMarkup(p.reply_markup, chat.chat.type);
  const caption = renderCaption(p);
  const replyTo = chats.replyTarget(chat, p);
  const msg = chats.storeMessage(chat, world.botUser, {
    ...media,
    caption: caption?.text,
    caption_entities: caption && caption.entities.length > 0 ? caption.entities : undefined,
    reply_markup: inlineMarkup(p.reply_markup),
    reply_to_message: replyTo ? chats.preview(replyTo) : undefined,
  });
  if (p.caption !== undefined) {
    extra.caption = String(p.caption);
    extra.plainText = caption?.text ?? "";
    if (caption && caption.entities.length > 0) extra.entities = caption.entities;
  }
  chats.recordSent(chat, msg, p, method, extra);
  return clone(msg);
}

function copyOrForward(world: World, p: Params, method: "copyMessage" | "forwardMessage"): TgMessage {
  const { chats } = world;
  const chat = chats.target(p.chat_id, true);
  const source = chats.target(p.from_chat_id, false);
  const original = source.messages.get(num(p.message_id) ?? -1);
  if (!original) throw badRequest(method === "copyMessage" ? "message to copy not found" : "message to forward not found");
  const content: MessageContent = {};
  for (const key of ["text", "entities", "photo", "document", "caption", "caption_entities"] as const) {
    if (original[key] !== undefined) Object.assign(content, { [key]: clone(original[key]) });
  }
  const extra: Partial<SentMessage> = {};
  if (method === "copyMessage") {
    validateReplyMarkup(p.reply_markup);
    if (p.caption !== undefined && content.text === undefined) {
      const caption = renderCaption(p);
      setOrDelete(content, "caption", caption?.text);
      setOrDelete(content, "caption_entities", caption && caption.entities.length > 0 ? caption.entities : undefined);
    }
    const replyTo = chats.replyTarget(chat, p);
    setOrDelete(content, "reply_markup", inlineMarkup(p.reply_markup));
    if (replyTo) content.reply_to_message = chats.preview(replyTo);
  } else {
    const sender = original.from;
    content.forward_origin =
      sender?.is_bot === false || sender?.id === world.botUser.id
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
    extra.file_id = content.photo[content.photo.length - 1]?.file_id;
  }
  if (content.document) {
    extra.document = { file_name: content.document.file_name, mime_type: content.document.mime_type };
    extra.file_id = content.document.file_id;
  }
  const msg = chats.storeMessage(chat, world.botUser, content);
  chats.recordSent(chat, msg, method === "copyMessage" ? p : {}, method, extra);
  return clone(msg);
}
