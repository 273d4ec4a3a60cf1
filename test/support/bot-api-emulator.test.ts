import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Input, Markup, Telegraf, Telegram, TelegramError } from "telegraf";
import { message } from "telegraf/filters";
import { BotApiEmulator, TINY_PNG, formatText, type EmuUser } from "./bot-api-emulator.js";

/** A 2x3 PNG, built by hand so the bot's upload has recognisable dimensions. */
function pngHeaderOnly(width: number, height: number): Buffer {
  const png = Buffer.from(TINY_PNG);
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  return png;
}

let userSeq = 1000;
const newUser = (first_name: string, extra: Partial<EmuUser> = {}): EmuUser => ({ id: ++userSeq, first_name, ...extra });

describe("BotApiEmulator with a real telegraf bot", () => {
  let emu: BotApiEmulator;
  let bot: Telegraf;
  let launched: Promise<void>;
  const botErrors: unknown[] = [];
  const memberUpdates: { chat: number; old: string; new: string }[] = [];
  const chartPng = pngHeaderOnly(640, 480);

  beforeAll(async () => {
    emu = await BotApiEmulator.start();
    bot = new Telegraf(emu.token, { telegram: { apiRoot: emu.apiRoot, webhookReply: false } });

    bot.command("lapor", (ctx) => ctx.reply(`payload=[${ctx.payload}] args=${JSON.stringify(ctx.args)}`));
    bot.command("ask", (ctx) => ctx.reply("Siapa nama Anda?", { reply_markup: { force_reply: true } }));
    bot.command("menu", (ctx) =>
      ctx.reply("<b>Pilih</b> satu:", {
        parse_mode: "HTML",
        ...Markup.inlineKeyboard([[Markup.button.callback("A", "pick:a"), Markup.button.callback("B", "pick:b")]]),
      }),
    );
    bot.action(/^pick:(\w+)$/, async (ctx) => {
      await ctx.answerCbQuery(`ok ${ctx.match[1]}`);
      await ctx.editMessageText(`Dipilih: ${ctx.match[1]}`);
    });
    bot.command("chart", (ctx) => ctx.replyWithPhoto(Input.fromBuffer(chartPng, "chart.png"), { caption: "Grafik <i>progres</i>", parse_mode: "HTML" }));
    bot.command("export", (ctx) => ctx.replyWithDocument(Input.fromBuffer(Buffer.from("a,b\n1,2\n"), "rekap.csv")));
    bot.command("ping", (ctx) => ctx.reply("pong"));
    bot.command("bad", (ctx) => ctx.reply("<b>unclosed", { parse_mode: "HTML" }));
    bot.on(message("photo"), async (ctx) => {
      const largest = ctx.message.photo[ctx.message.photo.length - 1]!;
      const link = await ctx.telegram.getFileLink(largest.file_id);
      const bytes = Buffer.from(await (await fetch(link)).arrayBuffer());
      await ctx.reply(`photo ${largest.width}x${largest.height} ${bytes.length} bytes caption=${ctx.message.caption ?? "-"}`);
    });
    bot.on(message("document"), async (ctx) => {
      const link = await ctx.telegram.getFileLink(ctx.message.document.file_id);
      const text = await (await fetch(link)).text();
      await ctx.reply(`doc ${ctx.message.document.file_name} ${ctx.message.document.mime_type}: ${text}`);
    });
    bot.on(message("text"), async (ctx) => {
      const replied = ctx.message.reply_to_message;
      if (replied && "text" in replied && replied.from?.is_bot) {
        await ctx.reply(`Halo ${ctx.message.text} (re: ${replied.text})`, { reply_parameters: { message_id: ctx.message.message_id } });
      }
    });
    bot.on("my_chat_member", (ctx) => {
      memberUpdates.push({ chat: ctx.chat.id, old: ctx.myChatMember.old_chat_member.status, new: ctx.myChatMember.new_chat_member.status });
    });
    bot.catch((err) => {
      botErrors.push(err);
    });
    launched = bot.launch();
    launched.catch((error: unknown) => botErrors.push(error));
  });

  afterAll(async () => {
    bot.stop("test end");
    await launched.catch(() => undefined);
    await emu.stop();
  });

  it("delivers a command with its payload and records the reply", async () => {
    const budi = newUser("Budi", { language_code: "id" });
    await emu.sendText(budi, "/lapor 42 selesai");
    const m = await emu.waitForMessage(budi.id);
    expect(m).toMatchObject({ method: "sendMessage", chat_id: budi.id, text: 'payload=[42 selesai] args=["42","selesai"]', edits: 0 });

    await emu.sendText(budi, `/lapor@${emu.botUsername} x`);
    expect((await emu.waitForMessage(budi.id)).text).toBe('payload=[x] args=["x"]');
    // a command for another bot is not this bot's command
    await emu.sendText(budi, "/lapor@other_bot y");
    await emu.idle();
    expect(emu.messages(budi.id)).toHaveLength(2);
    // message ids are shared by the user and the bot in a chat
    expect(emu.messages(budi.id).map((x) => x.message_id)).toEqual([2, 4]);
  });

  it("gives the bot reply_to_message for a reply to its message and records reply_to_message_id", async () => {
    const sari = newUser("Sari");
    await emu.sendText(sari, "/ask");
    const question = await emu.waitForMessage(sari.id);
    expect(question.reply_markup).toEqual({ force_reply: true });
    const answer = await emu.sendText(sari, "Sari", { replyTo: question.message_id });
    const hello = await emu.waitForMessage(sari.id);
    expect(hello.text).toBe("Halo Sari (re: Siapa nama Anda?)");
    expect(hello.reply_to_message_id).toBe(answer.message_id);
  });

  it("handles a button press: callback answer and an edit that drops the keyboard", async () => {
    const ani = newUser("Ani");
    await emu.sendText(ani, "/menu");
    const menu = await emu.waitForMessage(ani.id, (m) => m.reply_markup?.inline_keyboard !== undefined);
    expect(menu).toMatchObject({ text: "<b>Pilih</b> satu:", plainText: "Pilih satu:", parse_mode: "HTML" });
    expect(menu.entities).toEqual([{ type: "bold", offset: 0, length: 5 }]);

    const { callback_query_id } = await emu.pressButton(ani, menu, "pick:b");
    const edited = await emu.waitForEdit(ani.id, menu.message_id, (m) => m.text === "Dipilih: b");
    expect(edited.edits).toBe(1);
    expect(edited.reply_markup).toBeUndefined(); // editMessageText without reply_markup removes the keyboard
    expect(emu.callbackAnswers()).toContainEqual({ callback_query_id, text: "ok b" });

    // Same edit again: Telegram refuses with "message is not modified".
    const errorsBefore = botErrors.length;
    await emu.pressButton(ani, menu, "pick:b");
    await emu.idle();
    const err = botErrors[errorsBefore];
    expect(err).toBeInstanceOf(TelegramError);
    expect((err as TelegramError).description).toMatch(/^Bad Request: message is not modified/);
    expect(emu.messages(ani.id)[0]!.edits).toBe(1);
  });

  it("lets the bot download a user's photo and document through getFile", async () => {
    const rudi = newUser("Rudi");
    await emu.sendPhoto(rudi, { caption: "bukti" });
    expect((await emu.waitForMessage(rudi.id)).text).toBe(`photo 1x1 ${TINY_PNG.length} bytes caption=bukti`);

    await emu.sendDocument(rudi, { fileName: "rencana.txt", mimeType: "text/plain", content: Buffer.from("isi berkas") });
    expect((await emu.waitForMessage(rudi.id)).text).toBe("doc rencana.txt text/plain: isi berkas");
    const getFile = emu.calls("getFile");
    expect(getFile).toHaveLength(2);
    expect(getFile[0]!.params.file_id).toEqual(expect.any(String));
  });

  it("stores bytes the bot uploads with sendPhoto / sendDocument (multipart)", async () => {
    const dewi = newUser("Dewi");
    await emu.sendText(dewi, "/chart");
    const photo = await emu.waitForMessage(dewi.id);
    expect(photo).toMatchObject({ method: "sendPhoto", photo: true, caption: "Grafik <i>progres</i>", plainText: "Grafik progres", parse_mode: "HTML" });
    expect(photo.photoBytes?.equals(chartPng)).toBe(true);

    await emu.sendText(dewi, "/export");
    const doc = await emu.waitForMessage(dewi.id);
    expect(doc.method).toBe("sendDocument");
    expect(doc.document).toMatchObject({ file_name: "rekap.csv", mime_type: "text/csv" });
    expect(doc.document?.bytes?.toString()).toBe("a,b\n1,2\n");
    // the multipart call's params carry the upload
    const call = emu.calls("sendDocument").at(-1)!;
    expect(call.params.chat_id).toBe(dewi.id);
    expect(call.params.document).toMatchObject({ upload: true, filename: "rekap.csv" });
  });

  it("answers 403 after the user blocks the bot and delivers my_chat_member", async () => {
    const eko = newUser("Eko");
    await emu.sendText(eko, "/ping");
    await emu.waitForMessage(eko.id, (m) => m.text === "pong");
    await emu.blockBot(eko);
    await emu.idle();
    expect(memberUpdates).toContainEqual({ chat: eko.id, old: "member", new: "kicked" });
    await expect(bot.telegram.sendMessage(eko.id, "halo?")).rejects.toMatchObject({
      code: 403,
      description: "Forbidden: bot was blocked by the user",
    });
    await emu.unblockBot(eko);
    await emu.idle();
    expect(memberUpdates).toContainEqual({ chat: eko.id, old: "kicked", new: "member" });
    await bot.telegram.sendMessage(eko.id, "halo lagi");
    expect((await emu.waitForMessage(eko.id)).text).toBe("halo lagi");
  });

  it("refuses to let the bot write first", async () => {
    await expect(bot.telegram.sendMessage(999_999, "hi")).rejects.toMatchObject({ code: 400, description: "Bad Request: chat not found" });
    const groupOnly = newUser("Grup");
    await emu.sendText(groupOnly, "/ping", { chat: { id: -100123, type: "supergroup", title: "OPD" } });
    expect((await emu.waitForMessage(-100123)).text).toBe("pong");
    await expect(bot.telegram.sendMessage(groupOnly.id, "hi")).rejects.toMatchObject({
      code: 403,
      description: "Forbidden: bot can't initiate conversation with a user",
    });
    // a chat seeded as "started before the test" may be written to first
    const seeded = newUser("Seed");
    emu.seedPrivateChat(seeded);
    await bot.telegram.sendMessage(seeded.id, "pengingat");
    expect(emu.messages(seeded.id).map((m) => m.text)).toEqual(["pengingat"]);
    // privacy mode: plain group chatter is not delivered
    expect((await emu.sendText(groupOnly, "obrolan biasa", { chat: { id: -100123, type: "supergroup" } })).update_id).toBe(-1);
  });

  it("records whether a message was sent without a notification sound, JSON and multipart alike", async () => {
    const gita = newUser("Gita");
    emu.seedPrivateChat(gita);
    await bot.telegram.sendMessage(gita.id, "pelan", { disable_notification: true });
    await bot.telegram.sendMessage(gita.id, "keras", { disable_notification: false });
    await bot.telegram.sendMessage(gita.id, "biasa");
    await bot.telegram.sendPhoto(gita.id, Input.fromBuffer(chartPng, "chart.png"), { disable_notification: true });
    expect(emu.messages(gita.id).map((m) => [m.text ?? m.method, m.disable_notification])).toEqual([
      ["pelan", true],
      ["keras", false],
      ["biasa", false],
      ["sendPhoto", true],
    ]);
  });

  it("injects a 429 fault that the bot sees as a TelegramError with retry_after", async () => {
    const fajar = newUser("Fajar");
    emu.injectFault("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 7", retry_after: 7, chatId: fajar.id });
    const errorsBefore = botErrors.length;
    await emu.sendText(fajar, "/ping");
    await emu.idle();
    const err = botErrors[errorsBefore] as TelegramError;
    expect(err).toBeInstanceOf(TelegramError);
    expect(err.code).toBe(429);
    expect(err.parameters?.retry_after).toBe(7);
    expect(emu.messages(fajar.id)).toEqual([]);
    expect(
      emu
        .calls("sendMessage")
        .filter((c) => c.params.chat_id === fajar.id)
        .at(-1)?.error?.error_code,
    ).toBe(429);
    // only once
    await emu.sendText(fajar, "/ping");
    expect((await emu.waitForMessage(fajar.id)).text).toBe("pong");
  });

  it("reports parse errors like Telegram and explains waitForMessage timeouts", async () => {
    const gita = newUser("Gita");
    await emu.sendText(gita, "/bad");
    const failure = await emu.waitForMessage(gita.id, undefined, 300).catch((e: unknown) => e as Error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toContain("timed out after 300ms");
    expect((failure as Error).message).toContain(`Can't find end tag corresponding to start tag "b"`);
  });

  it("rejects a wrong token with 401 and unknown methods with 404", async () => {
    const intruder = new Telegram("123:wrong", { apiRoot: emu.apiRoot });
    await expect(intruder.getMe()).rejects.toMatchObject({ code: 401, description: "Unauthorized" });
    const res = await fetch(`${emu.apiRoot}/bot${emu.token}/sendSticker`, { method: "POST" });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ ok: false, error_code: 404, description: "Not Found: method not found" });
  });

  it("records setMyCommands per scope and language", async () => {
    await bot.telegram.setMyCommands([{ command: "lapor", description: "Laporkan progres" }]);
    await bot.telegram.setMyCommands([{ command: "report", description: "Report progress" }], { language_code: "en" });
    await bot.telegram.setMyCommands([{ command: "lapor", description: "Laporkan" }]);
    expect(emu.commands()).toEqual([
      { commands: [{ command: "report", description: "Report progress" }], language_code: "en" },
      { commands: [{ command: "lapor", description: "Laporkan" }] },
    ]);
    await expect(bot.telegram.setMyCommands([{ command: "Bad-Name", description: "x" }])).rejects.toMatchObject({ code: 400 });
  });

  it("allows Web App buttons and menu buttons in private chats only, with https addresses only, and records each chat's menu button", async () => {
    const dewi = newUser("Dewi");
    await emu.sendText(dewi, "/ping");
    await emu.waitForMessage(dewi.id, (m) => m.text === "pong");
    const app = { url: "https://pantau.example.go.id/app/" };
    await bot.telegram.sendMessage(dewi.id, "Dasbor", Markup.inlineKeyboard([Markup.button.webApp("Buka", app.url)]));
    const plain = { url: "http://pantau.example.go.id/app/" };
    await expect(bot.telegram.sendMessage(dewi.id, "Dasbor", Markup.inlineKeyboard([Markup.button.webApp("Buka", plain.url)]))).rejects.toMatchObject({
      code: 400,
      description: expect.stringContaining("Only HTTPS links are allowed"),
    });
    const group = { id: -100456, type: "supergroup" as const, title: "OPD" };
    await emu.addBotToGroup(dewi, group);
    await expect(bot.telegram.sendMessage(group.id, "Dasbor", Markup.inlineKeyboard([Markup.button.webApp("Buka", app.url)]))).rejects.toMatchObject({
      code: 400,
      description: "Bad Request: BUTTON_TYPE_INVALID",
    });

    expect(emu.menuButtonFor(dewi.id)).toEqual({ type: "default" });
    await bot.telegram.setChatMenuButton({ chatId: dewi.id, menuButton: { type: "web_app", text: "Dasbor", web_app: app } });
    expect(emu.menuButtonFor(dewi.id)).toEqual({ type: "web_app", text: "Dasbor", web_app: app });
    expect(emu.menuButtonFor()).toEqual({ type: "default" });
    await expect(bot.telegram.setChatMenuButton({ chatId: group.id, menuButton: { type: "web_app", text: "Dasbor", web_app: app } })).rejects.toMatchObject({
      code: 400,
    });
    await expect(bot.telegram.setChatMenuButton({ chatId: dewi.id, menuButton: { type: "web_app", text: "Dasbor", web_app: plain } })).rejects.toMatchObject({
      code: 400,
    });
  });
});

describe("BotApiEmulator without a bot", () => {
  it("parses HTML like Telegram", () => {
    expect(formatText('a &lt;b&gt; &amp; <a href="https://x.id">link</a>', "HTML")).toEqual({
      text: "a <b> & link",
      entities: [{ type: "text_link", offset: 8, length: 4, url: "https://x.id" }],
    });
    expect(() => formatText("1 < 2", "HTML")).toThrow(`Bad Request: can't parse entities: Unsupported start tag "" at byte offset 2`);
    expect(() => formatText("<b>x</i>", "HTML")).toThrow(/Unmatched end tag/);
    expect(() => formatText("<br>", "HTML")).toThrow(/Unsupported start tag "br"/);
    expect(() => formatText("*tebal*", "MarkdownV2")).toThrow(/not emulated/);
  });

  it("serves long polls, acknowledges by offset, and stops promptly while a poll is held", async () => {
    const emu = await BotApiEmulator.start({ token: "42:AAAnotherTokenForTheSecondEmulator_x", botUsername: "other_bot" });
    const api = (method: string, body: object = {}) =>
      fetch(`${emu.apiRoot}/bot${emu.token}/${method}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<{ result: { update_id: number }[] }>);
    expect((await api("getMe")).result).toMatchObject({ id: 42, is_bot: true, username: "other_bot" });

    const user = newUser("Hana");
    const poll = api("getUpdates", { timeout: 30 });
    await new Promise((r) => setTimeout(r, 50));
    const { update_id } = await emu.sendText(user, "halo");
    const first = await poll;
    expect(first.result).toHaveLength(1);
    expect(first.result[0]).toMatchObject({ update_id, message: { text: "halo", chat: { id: user.id, type: "private" } } });
    expect(emu.pendingUpdates()).toBe(0);
    const idle = emu.idle();
    expect((await api("getUpdates", { offset: update_id + 1, timeout: 0 })).result).toEqual([]);
    await idle;

    // a fresh long poll is held; stop() must end it and close the server quickly
    const held = api("getUpdates", { offset: update_id + 1, timeout: 50 }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await emu.stop();
    expect(Date.now() - t0).toBeLessThan(500);
    await held;
  });
});
