/**
 * The emulated Telegram's memory: users, chats and their messages (who may write where), the
 * callback queries waiting for an answer, the command menus set per scope and language, and the
 * menu buttons set per private chat.
 */
import {
  ApiError,
  badRequest,
  clone,
  isObject,
  nowSeconds,
  num,
  type BotCommand,
  type BotCommandScope,
  type MessageContent,
  type Params,
  type TgChat,
  type TgMessage,
  type TgUser,
} from "./bot-api.js";
import { validateWebApp } from "./reply-markup.js";
import type { AsSent, CallbackAnswer, EmuChat, EmuUser, SentMessage } from "./types.js";

export interface ChatState {
  chat: TgChat;
  nextMessageId: number;
  /** Every live message in the chat (user and bot), as Telegram Message objects. */
  messages: Map<number, TgMessage>;
  /** Messages the bot sent, in order. */
  sent: SentMessage[];
  /** Private chats: the user has talked to the bot (the bot may write). */
  started: boolean;
  /** Group messages that privacy mode kept from the bot. */
  undelivered: number;
  chatInstance: string;
}

export class Chats {
  private readonly chats = new Map<number, ChatState>();
  private readonly users = new Map<number, TgUser>();
  readonly blocked = new Set<number>();
  /** Groups upgraded to supergroups: old id -> new id. */
  readonly migrated = new Map<number, number>();

  constructor(readonly botUser: TgUser) {}

  get(chatId: number): ChatState | undefined {
    return this.chats.get(chatId);
  }

  rememberUser(user: EmuUser): TgUser {
    if (!Number.isInteger(user.id) || user.id <= 0) throw new Error(`EmuUser.id must be a positive integer, got ${user.id}`);
    const tg: TgUser = { id: user.id, is_bot: false, first_name: user.first_name };
    if (user.username !== undefined) tg.username = user.username;
    if (user.language_code !== undefined) tg.language_code = user.language_code;
    this.users.set(user.id, tg);
    return tg;
  }

  privateChat(user: EmuUser): ChatState {
    let state = this.chats.get(user.id);
    if (!state) {
      const chat: TgChat = { id: user.id, first_name: user.first_name, type: "private" };
      if (user.username !== undefined) chat.username = user.username;
      state = this.newChatState(chat);
    }
    return state;
  }

  newChatState(chat: TgChat): ChatState {
    const state: ChatState = {
      chat,
      nextMessageId: 1,
      messages: new Map(),
      sent: [],
      started: chat.type !== "private",
      undelivered: 0,
      chatInstance: String(BigInt.asIntN(64, BigInt(chat.id) * 7919n + 1234567890123n)),
    };
    this.chats.set(chat.id, state);
    return state;
  }

  /** The chat a user writes in: their private chat, or a group created on first use. */
  ensureChat(from: EmuUser, chat: EmuChat | undefined): ChatState {
    if (!chat || chat.type === "private") {
      if (chat && chat.id !== from.id) throw new Error(`a private chat's id must be the user's id (${from.id}), got ${chat.id}`);
      return this.privateChat(from);
    }
    if (!Number.isInteger(chat.id) || chat.id >= 0) throw new Error(`group/supergroup chat ids must be negative, got ${chat.id}`);
    const existing = this.chats.get(chat.id);
    if (existing) return existing;
    return this.newChatState({ id: chat.id, title: chat.title ?? `Group ${-chat.id}`, type: chat.type });
  }

  storeMessage(chat: ChatState, from: TgUser, fields: MessageContent): TgMessage {
    const msg: TgMessage = { message_id: chat.nextMessageId++, from, chat: chat.chat, date: nowSeconds(), ...fields };
    const record = msg as unknown as Record<string, unknown>;
    for (const key of Object.keys(record)) if (record[key] === undefined) delete record[key];
    chat.messages.set(msg.message_id, msg);
    return msg;
  }

  /** A message as it appears inside reply_to_message (no nested reply). */
  preview(msg: TgMessage): TgMessage {
    const copy = clone(msg);
    delete copy.reply_to_message;
    return copy;
  }

  /** The chat a method targets; `write` applies the "may the bot send here" rules. */
  target(chatIdParam: unknown, write: boolean): ChatState {
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
    if (write && state.chat.type === "private" && this.blocked.has(state.chat.id)) {
      throw new ApiError(403, "Forbidden: bot was blocked by the user");
    }
    return state;
  }

  /** The message a send replies to (reply_parameters or the older reply_to_message_id). */
  replyTarget(chat: ChatState, p: Params): TgMessage | undefined {
    let id: number | undefined;
    let allowMissing = p.allow_sending_without_reply === true;
    if (isObject(p.reply_parameters)) {
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

  recordSent(chat: ChatState, msg: TgMessage, p: Params, method: string, extra: Partial<SentMessage>): SentMessage {
    // Telegram notifies with sound unless told not to.
    const disable_notification = p.disable_notification === true;
    const sent: SentMessage = { message_id: msg.message_id, chat_id: chat.chat.id, method, edits: 0, date: msg.date, ...extra, disable_notification };
    if (p.parse_mode !== undefined) sent.parse_mode = String(p.parse_mode);
    if (p.reply_markup !== undefined) sent.reply_markup = clone(p.reply_markup) as AsSent;
    if (msg.reply_to_message) sent.reply_to_message_id = msg.reply_to_message.message_id;
    chat.sent.push(sent);
    return sent;
  }

  /** The bot's own message an edit names, with its record of what was sent. */
  editTarget(p: Params): { chat: ChatState; msg: TgMessage; sent: SentMessage | undefined } {
    if (p.inline_message_id !== undefined) throw badRequest("MESSAGE_ID_INVALID (inline messages are not emulated)");
    const chat = this.target(p.chat_id, false);
    const id = num(p.message_id);
    if (id === undefined) throw badRequest("message identifier is not specified");
    const msg = chat.messages.get(id);
    if (!msg) throw badRequest("message to edit not found");
    if (msg.from?.id !== this.botUser.id) throw badRequest("message can't be edited");
    return { chat, msg, sent: chat.sent.find((s) => s.message_id === id) };
  }
}

/** Callback queries users raised, and how the bot answered them (each at most once). */
export class CallbackQueries {
  private readonly open = new Map<string, { answered: boolean }>();
  private counter = 0;
  readonly answers: CallbackAnswer[] = [];

  constructor(private readonly botId: number) {}

  raise(): string {
    const id = `${this.botId}${String(++this.counter).padStart(6, "0")}`;
    this.open.set(id, { answered: false });
    return id;
  }

  answer(p: Params): true {
    const id = p.callback_query_id === undefined ? "" : String(p.callback_query_id);
    const query = this.open.get(id);
    if (!query || query.answered) throw badRequest("query is too old and response timeout expired or query ID is invalid");
    if (typeof p.text === "string" && p.text.length > 200) throw badRequest("MESSAGE_TOO_LONG");
    query.answered = true;
    const answer: CallbackAnswer = { callback_query_id: id };
    if (p.text !== undefined) answer.text = String(p.text);
    if (p.show_alert !== undefined) answer.show_alert = p.show_alert === true;
    if (p.url !== undefined) answer.url = String(p.url);
    if (p.cache_time !== undefined) answer.cache_time = num(p.cache_time) ?? 0;
    this.answers.push(answer);
    return true;
  }
}

export interface MenuEntry {
  commands: BotCommand[];
  scope?: BotCommandScope;
  language_code?: string;
}

/** Command menus as setMyCommands leaves them: one per scope and language_code. */
export class CommandMenus {
  private readonly menus = new Map<string, MenuEntry>();

  static key(scope: unknown, languageCode: unknown): string {
    return `${JSON.stringify(scope ?? { type: "default" })}|${typeof languageCode === "string" ? languageCode : ""}`;
  }

  set(p: Params): true {
    if (!Array.isArray(p.commands)) throw badRequest("can't parse commands JSON object");
    if (p.commands.length > 100) throw badRequest("too many commands");
    for (const c of p.commands as unknown[]) {
      const command = isObject(c) ? c : {};
      if (typeof command.command !== "string" || !/^[a-z0-9_]{1,32}$/.test(command.command)) throw badRequest("BOT_COMMAND_INVALID");
      if (typeof command.description !== "string" || command.description.length < 1 || command.description.length > 256) {
        throw badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
      }
    }
    const entry: MenuEntry = { commands: clone(p.commands as BotCommand[]) };
    if (p.scope !== undefined) entry.scope = clone(p.scope as BotCommandScope);
    if (typeof p.language_code === "string") entry.language_code = p.language_code;
    const key = CommandMenus.key(p.scope, p.language_code);
    this.menus.delete(key);
    if (p.commands.length > 0) this.menus.set(key, entry);
    return true;
  }

  get(scope: unknown, languageCode: unknown): BotCommand[] {
    return clone(this.menus.get(CommandMenus.key(scope, languageCode))?.commands ?? []);
  }

  delete(scope: unknown, languageCode: unknown): true {
    this.menus.delete(CommandMenus.key(scope, languageCode));
    return true;
  }

  all(): MenuEntry[] {
    return [...this.menus.values()].map((entry) => clone(entry));
  }
}

/** Menu buttons as setChatMenuButton leaves them: the default one (key 0) and one per private chat. */
export class MenuButtons {
  private readonly buttons = new Map<number, Record<string, unknown>>();

  set(p: Params, chats: Chats): true {
    const chatId = p.chat_id === undefined ? 0 : Number(p.chat_id);
    if (chatId !== 0 && chats.get(chatId)?.chat.type !== "private") throw badRequest("chat not found");
    const button = p.menu_button === undefined ? { type: "default" } : p.menu_button;
    if (!isObject(button) || !["default", "commands", "web_app"].includes(String(button.type))) throw badRequest("can't parse menu button JSON object");
    if (button.type === "web_app") {
      if (typeof button.text !== "string" || button.text.length === 0) throw badRequest("BUTTON_TEXT_INVALID");
      validateWebApp(button.web_app);
    }
    this.buttons.set(chatId, clone(button));
    return true;
  }

  /** The menu button a chat shows (the default one when none of its own was set). */
  get(chatId: unknown): Record<string, unknown> {
    const own = chatId === undefined ? undefined : this.buttons.get(Number(chatId));
    return clone(own ?? this.buttons.get(0) ?? { type: "default" });
  }
}
