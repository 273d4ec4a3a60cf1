/**
 * A Telegram Bot API emulator for end-to-end tests.
 *
 * The real telegraf bot is pointed at it with `telegram: { apiRoot: emu.apiRoot }` and talks plain
 * HTTP to 127.0.0.1. Tests act as Telegram users (sendText, pressButton, ...) and observe what the
 * bot sent (messages, waitForMessage, calls, ...).
 *
 * It tries to fail the way Telegram fails, because those failures are where bots break:
 *  - HTML parse errors ("Bad Request: can't parse entities: ..."); Pantau sends HTML only, so
 *    MarkdownV2 and legacy Markdown are refused as not emulated;
 *  - texts over 4096 characters (counted after markup is removed), captions over 1024;
 *  - callback_data over 64 bytes ("BUTTON_DATA_INVALID");
 *  - "message is not modified" when an edit changes nothing, and editMessageText dropping the inline
 *    keyboard when no reply_markup is passed (exactly like Telegram);
 *  - answering a callback query twice or an unknown one;
 *  - writing first to a user ("chat not found" / "bot can't initiate conversation"), blocked users;
 *  - uploading bytes that are not an image with sendPhoto ("IMAGE_PROCESS_FAILED");
 *  - privacy mode in groups: only commands and replies to the bot reach the bot (see userMessage).
 *
 * This file is the door tests import; the parts live in `emulator/`: the Bot API JSON
 * (`bot-api.ts`), HTML rendering (`html.ts`), reply markup (`reply-markup.ts`), request parsing
 * and multipart (`request.ts`), chats and menus (`state.ts`), files (`files.ts`), the update
 * queue and long polling (`updates.ts`), the methods (`methods.ts`), the HTTP server
 * (`server.ts`), injected faults (`faults.ts`) and waiting (`waits.ts`).
 */
import { clone, num, nowSeconds, type BotCommand, type BotCommandScope, type MessageContent, type TgUser, type UpdateBody } from "./emulator/bot-api.js";
import { Faults } from "./emulator/faults.js";
import { documentObject, FileStore } from "./emulator/files.js";
import { botApiMethods } from "./emulator/methods.js";
import { HttpServer } from "./emulator/server.js";
import { CallbackQueries, Chats, CommandMenus, MenuButtons, type ChatState, type MenuEntry } from "./emulator/state.js";
import {
  DEFAULT_TOKEN,
  TINY_PNG,
  type CallbackAnswer,
  type CallRecord,
  type EmuChat,
  type EmulatorOptions,
  type EmuUser,
  type FaultSpec,
  type SentMessage,
} from "./emulator/types.js";
import { UpdateQueue } from "./emulator/updates.js";
import { describeMessage, Waiters } from "./emulator/waits.js";

export { imageInfo } from "./emulator/files.js";
export { formatText, type FormattedText } from "./emulator/html.js";
export * from "./emulator/types.js";

export class BotApiEmulator {
  readonly token: string;
  readonly botUsername: string;
  readonly botId: number;
  readonly privacyMode: boolean;

  private stopped = false;
  private readonly botUser: TgUser;
  private readonly chats: Chats;
  private readonly files = new FileStore();
  private readonly waiters = new Waiters();
  private readonly updates = new UpdateQueue(() => this.waiters.notify());
  private readonly callbacks: CallbackQueries;
  private readonly menus = new CommandMenus();
  private readonly menuButtons = new MenuButtons();
  private readonly faults = new Faults();
  private readonly callLog: CallRecord[] = [];
  private server: HttpServer | undefined;

  private readonly cursors = new Map<number, number>();
  private readonly waitChains = new Map<number, Promise<unknown>>();

  private constructor(opts: EmulatorOptions) {
    this.token = opts.token ?? DEFAULT_TOKEN;
    this.botUsername = opts.botUsername ?? "pantau_test_bot";
    this.botId = opts.botId ?? (num(this.token.split(":")[0]) || 123456789);
    this.privacyMode = opts.privacyMode ?? true;
    this.botUser = { id: this.botId, is_bot: true, first_name: "Pantau", username: this.botUsername };
    this.chats = new Chats(this.botUser);
    this.callbacks = new CallbackQueries(this.botId);
  }

  static async start(opts: EmulatorOptions = {}): Promise<BotApiEmulator> {
    const emu = new BotApiEmulator(opts);
    const { botUser, privacyMode, chats, files, updates, callbacks, menus, menuButtons } = emu;
    emu.server = await HttpServer.listen({
      token: emu.token,
      files,
      methods: botApiMethods({ botUser, privacyMode, chats, files, updates, callbacks, menus, menuButtons }),
      faults: emu.faults,
      callLog: emu.callLog,
      afterCall: () => emu.waiters.notify(),
    });
    return emu;
  }

  /** Where the bot points telegraf (`telegram: { apiRoot }`). */
  get apiRoot(): string {
    return `http://127.0.0.1:${this.server!.port}`;
  }

  // ----------------------------------------------------------------------------- users act

  sendText(from: EmuUser, text: string, opts: { chat?: EmuChat; replyTo?: number } = {}): Promise<{ message_id: number; update_id: number }> {
    const fields: MessageContent = { text };
    const command = /^\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])/.exec(text);
    if (command) fields.entities = [{ type: "bot_command", offset: 0, length: command[0].length }];
    return Promise.resolve(this.userMessage(from, opts, fields));
  }

  sendPhoto(
    from: EmuUser,
    opts: { chat?: EmuChat; caption?: string; replyTo?: number; content?: Buffer } = {},
  ): Promise<{ message_id: number; update_id: number }> {
    const fields: MessageContent = { photo: this.files.registerPhoto(opts.content ?? TINY_PNG) };
    if (opts.caption !== undefined) fields.caption = opts.caption;
    return Promise.resolve(this.userMessage(from, opts, fields));
  }

  sendDocument(
    from: EmuUser,
    opts: { fileName: string; mimeType: string; content: Buffer; chat?: EmuChat; caption?: string; replyTo?: number },
  ): Promise<{ message_id: number; update_id: number }> {
    const file = this.files.register("document", opts.content, { file_name: opts.fileName, mime_type: opts.mimeType });
    const fields: MessageContent = { document: documentObject(file) };
    if (opts.caption !== undefined) fields.caption = opts.caption;
    return Promise.resolve(this.userMessage(from, opts, fields));
  }

  pressButton(from: EmuUser, message: { chat_id: number; message_id: number }, data: string): Promise<{ callback_query_id: string; update_id: number }> {
    const chat = this.chats.get(message.chat_id);
    const msg = chat?.messages.get(message.message_id);
    if (!chat || !msg) {
      throw new Error(`pressButton: message #${message.message_id} not found in chat ${message.chat_id} (never sent, or deleted)`);
    }
    const user = this.chats.rememberUser(from);
    const id = this.callbacks.raise();
    const update_id = this.updates.push({
      callback_query: { id, from: user, message: clone(msg), chat_instance: chat.chatInstance, data },
    });
    return Promise.resolve({ callback_query_id: id, update_id });
  }

  blockBot(user: EmuUser): Promise<void> {
    const tgUser = this.chats.rememberUser(user);
    const chat = this.chats.privateChat(user);
    chat.started = true;
    if (!this.chats.blocked.has(user.id)) {
      this.chats.blocked.add(user.id);
      this.pushMyChatMember(chat, tgUser, "member", "kicked");
    }
    return Promise.resolve();
  }

  /** Also queues the my_chat_member update (kicked -> member) Telegram sends when a user unblocks. */
  unblockBot(user: EmuUser): Promise<void> {
    const tgUser = this.chats.rememberUser(user);
    if (this.chats.blocked.delete(user.id)) this.pushMyChatMember(this.chats.privateChat(user), tgUser, "kicked", "member");
    return Promise.resolve();
  }

  /**
   * Marks the user's private chat as started without queuing any update — as if the user had
   * pressed Start before the test began — so the bot may write first (e.g. scheduled reminders to
   * people seeded in the database).
   */
  seedPrivateChat(user: EmuUser): void {
    this.chats.rememberUser(user);
    this.chats.privateChat(user).started = true;
  }

  /** Adds the bot to a group (queues my_chat_member left -> member, added by `by`). */
  addBotToGroup(by: EmuUser, chat: EmuChat): Promise<{ update_id: number }> {
    const tgUser = this.chats.rememberUser(by);
    const state = this.chats.ensureChat(by, chat);
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
    this.chats.newChatState({ id: newId, title: old.chat.title, type: "supergroup" });
    const user = this.chats.rememberUser(by);
    const msg = this.chats.storeMessage(old, user, { migrate_to_chat_id: newId });
    this.updates.push({ message: clone(msg) });
    this.chats.migrated.set(groupId, newId);
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
        return this.waiters.until(
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
    return this.waiters.until(
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

  callbackAnswers(): CallbackAnswer[] {
    return this.callbacks.answers.map((a) => ({ ...a }));
  }

  calls(method?: string): CallRecord[] {
    const wanted = method?.toLowerCase();
    return this.callLog.filter((c) => wanted === undefined || c.method.toLowerCase() === wanted).map((c) => ({ ...c }));
  }

  /** Every command menu set: its commands, and its scope and language_code when given. */
  commands(): MenuEntry[] {
    return this.menus.all();
  }

  /**
   * The command menu set for exactly this scope (default: Telegram's default scope) and
   * language_code (default: none), as getMyCommands answers it: [] when none was set.
   */
  menuFor(scope?: BotCommandScope, languageCode?: string): BotCommand[] {
    return this.menus.get(scope, languageCode);
  }

  /** The menu button a private chat shows, as getChatMenuButton answers it (no chat: the bot's default). */
  menuButtonFor(chatId?: number): Record<string, unknown> {
    return this.menuButtons.get(chatId);
  }

  injectFault(method: string, fault: FaultSpec): void {
    this.faults.inject(method, fault);
  }

  pendingUpdates(): number {
    return this.updates.pending();
  }

  /** Resolves once the bot has confirmed this update: it asked for the ones after it. */
  handled(updateId: number, timeoutMs = 5000): Promise<void> {
    return this.waiters
      .until(
        () => (this.updates.acknowledged(updateId) ? true : undefined),
        timeoutMs,
        () => `handled(${updateId}) timed out after ${timeoutMs}ms: ${this.updates.size} update(s) not acknowledged by the bot`,
      )
      .then(() => undefined);
  }

  idle(timeoutMs = 5000): Promise<void> {
    return this.waiters
      .until(
        () => (this.updates.size === 0 ? true : undefined),
        timeoutMs,
        () =>
          `idle() timed out after ${timeoutMs}ms: ${this.updates.size} update(s) not acknowledged by the bot ` +
          `(${this.pendingUpdates()} never fetched; last getUpdates ${this.updates.lastGetUpdatesAt ? `${Date.now() - this.updates.lastGetUpdatesAt}ms ago` : "never"}). ` +
          "Is the bot launched, and is a handler stuck?",
      )
      .then(() => undefined);
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
    this.updates.stop();
    this.waiters.stop();
    await this.server?.close();
  }

  // ----------------------------------------------------------------------------- internals

  /** A user's message: stored in the chat, and queued for the bot unless privacy mode keeps it. */
  private userMessage(from: EmuUser, opts: { chat?: EmuChat; replyTo?: number }, fields: MessageContent): { message_id: number; update_id: number } {
    const user = this.chats.rememberUser(from);
    const chat = this.chats.ensureChat(from, opts.chat);
    if (chat.chat.type === "private") {
      chat.started = true;
      // A blocked bot must be unblocked ("Restart") before the user can write to it.
      if (this.chats.blocked.delete(from.id)) this.pushMyChatMember(chat, user, "kicked", "member");
    }
    const message: MessageContent = { ...fields };
    let replyToBot = false;
    if (opts.replyTo !== undefined) {
      const target = chat.messages.get(opts.replyTo);
      if (!target) throw new Error(`replyTo: message #${opts.replyTo} not found in chat ${chat.chat.id}`);
      message.reply_to_message = this.chats.preview(target);
      replyToBot = target.from?.id === this.botId;
    }
    const msg = this.chats.storeMessage(chat, user, message);
    if (chat.chat.type !== "private" && this.privacyMode && !replyToBot && !this.commandForBot(fields)) {
      chat.undelivered++;
      return { message_id: msg.message_id, update_id: -1 };
    }
    return { message_id: msg.message_id, update_id: this.updates.push({ message: clone(msg) }) };
  }

  private commandForBot(fields: MessageContent): boolean {
    const text = fields.text ?? fields.caption;
    if (typeof text !== "string") return false;
    const m = /^\/[A-Za-z0-9_]{1,32}(?:@([A-Za-z0-9_]+))?/.exec(text);
    if (!m) return false;
    return m[1] === undefined || m[1].toLowerCase() === this.botUsername.toLowerCase();
  }

  private pushMyChatMember(chat: ChatState, from: TgUser, oldStatus: string, newStatus: string): number {
    const member = (status: string) => (status === "kicked" ? { user: this.botUser, status, until_date: 0 } : { user: this.botUser, status });
    const body: UpdateBody = {
      my_chat_member: { chat: chat.chat, from, date: nowSeconds(), old_chat_member: member(oldStatus), new_chat_member: member(newStatus) },
    };
    return this.updates.push(body);
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
    if (this.chats.blocked.has(chatId)) lines.push("Note: this user has blocked the bot.");
    if (this.updates.size > 0) lines.push(`Note: ${this.updates.size} update(s) not yet acknowledged by the bot.`);
    return lines.join("\n");
  }
}
