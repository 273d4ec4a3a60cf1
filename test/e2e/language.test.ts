import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandsFor } from "../../src/bot/features/help.js";
import { en } from "../../src/i18n/en.js";
import { id } from "../../src/i18n/id.js";
import { findPerson } from "../../src/services/people.js";
import type { EmuUser, SentMessage } from "../support/bot-api-emulator.js";
import { buttons, databaseKinds, examplePlan, Harness } from "../support/harness.js";

// /bahasa (/language) and the command menus (setMyCommands), through the real bot and the
// Bot API emulator, on SQLite and PostgreSQL.

const rina: EmuUser = { id: 7001, first_name: "Rina", language_code: "id" }; // focal point
const budi: EmuUser = { id: 7002, first_name: "Budi", language_code: "id" }; // coordinator
const john: EmuUser = { id: 7003, first_name: "John", language_code: "en" }; // focal point, English phone
const sari: EmuUser = { id: 7004, first_name: "Sari", language_code: "id" }; // head of unit
const stranger: EmuUser = { id: 7005, first_name: "Orang", language_code: "en" };

const chatScope = (user: EmuUser) => ({ type: "chat", chat_id: user.id });
const names = (menu: { command: string }[]) => menu.map((c) => c.command);
const inviteCode = (stdout: string) => /start=([A-Za-z0-9_-]+)/.exec(stdout)?.[1] ?? "";

/** Words only the Indonesian catalogue uses (the action plan's own names are Indonesian too). */
const indonesian =
  /\b(Ketik|Anda|Tenggat|Progres|Pengingat|Tahapan|Simpan|Lewati|Batal|Tersimpan|terlambat|hari lagi|belum|sudah|Tidak ada|Pilih|Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu|Januari|Februari|Maret)\b/;
const expectEnglish = (m: SentMessage) => expect(m.plainText ?? "").not.toMatch(indonesian);

describe.each(await databaseKinds())("language and command menus on %s", (kind) => {
  let h: Harness;
  const codes = { rina: "", budi: "", john: "", sari: "" };

  const languageOf = async (user: EmuUser) => (await h.db.person.findUniqueOrThrow({ where: { telegramId: BigInt(user.id) } })).language;
  const menuCalls = () => h.emulator.calls("setMyCommands").length;
  /** Sends a command and returns the bot's answer, once the update is fully handled. */
  const ask = async (user: EmuUser, text: string) => {
    await h.emulator.sendText(user, text);
    const answer = await h.emulator.waitForMessage(user.id);
    await h.answered();
    return answer;
  };

  beforeAll(async () => {
    h = await Harness.create(kind);
    expect((await h.cli("import", examplePlan)).code).toBe(0);
    codes.rina = inviteCode((await h.cli("invite", "--unit", "BABAR-DISPARBUD")).stdout);
    codes.budi = inviteCode((await h.cli("invite", "--role", "koordinator")).stdout);
    codes.john = inviteCode((await h.cli("invite", "--unit", "BABAR-DISTANPANGAN")).stdout);
    codes.sari = inviteCode((await h.cli("invite", "--unit", "BABAR-DISPARBUD", "--role", "kepala")).stdout);
    expect(Object.values(codes).every((c) => c.length > 10)).toBe(true);
    await h.startBot();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("registers at start the stranger's menu by default (Indonesian, English for English apps) and a menu for groups", () => {
    const fallback = h.emulator.menuFor();
    expect(names(fallback)).toEqual(["start", "bantuan", "privasi", "dataku", "batal"]);
    expect(fallback.map((c) => c.description)).toEqual([id.commands.start, id.commands.bantuan, id.commands.privasi, id.commands.dataku, id.commands.batal]);
    const english = h.emulator.menuFor(undefined, "en");
    expect(names(english)).toEqual(["start", "help", "privacy", "mydata", "cancel"]);
    expect(english.map((c) => c.description)).toEqual([en.commands.start, en.commands.bantuan, en.commands.privasi, en.commands.dataku, en.commands.batal]);

    expect(names(h.emulator.menuFor({ type: "all_group_chats" }))).toEqual(["bantuan", "status", "rekap", "terlambat"]);
    expect(names(h.emulator.menuFor({ type: "all_group_chats" }, "en"))).toEqual(["help", "status", "summary", "overdue"]);
    expect(h.emulator.menuFor({ type: "all_group_chats" }, "en")[2]!.description).toBe(en.commands.rekap);
    expect(h.emulator.calls("setMyCommands").filter((c) => c.error)).toEqual([]);
  });

  it("tells a stranger that /bahasa is for registered people, and their button press changes nothing", async () => {
    const answer = await ask(stranger, "/language en");
    expect(answer.plainText).toContain("not registered");
    await h.emulator.pressButton(stranger, answer, "lang:id");
    await h.answered();
    expect(h.emulator.callbackAnswers().at(-1)?.text).toContain("not registered");
    expect(await h.db.person.count()).toBe(0);
  });

  it("gives a focal point who joins a menu of exactly a focal point's commands, in Indonesian", async () => {
    const joined = await ask(rina, `/start ${codes.rina}`);
    expect(joined.plainText).toContain("Dinas Pariwisata dan Kebudayaan");
    expect(await languageOf(rina)).toBe("id");

    const menu = h.emulator.menuFor(chatScope(rina));
    const person = (await findPerson(h.db, rina.id))!;
    expect(names(menu)).toEqual(commandsFor(person).map((e) => e.command));
    expect(names(menu)).toEqual(expect.arrayContaining(["bantuan", "tugas", "lapor", "status", "bahasa", "batal"]));
    for (const other of ["start", "rekap", "terlambat", "siaran", "undang", "help", "tasks"]) expect(names(menu)).not.toContain(other);
    expect(menu.find((c) => c.command === "tugas")?.description).toBe(id.commands.tugas);
    // Everyone else's menus are untouched.
    expect(names(h.emulator.menuFor())).toEqual(["start", "bantuan", "privasi", "dataku", "batal"]);
  });

  it("gives a coordinator who joins the coordinator's commands (rekap, siaran…) and not the focal point's", async () => {
    expect((await ask(budi, `/start ${codes.budi}`)).plainText).toContain("koordinator");
    const menu = names(h.emulator.menuFor(chatScope(budi)));
    expect(menu).toEqual(commandsFor((await findPerson(h.db, budi.id))!).map((e) => e.command));
    expect(menu).toEqual(expect.arrayContaining(["bantuan", "status", "rekap", "terlambat", "siaran", "ingatkan", "undang", "bahasa", "batal"]));
    expect(menu).not.toContain("tugas");
    expect(menu).not.toContain("lapor");
  });

  it("starts a person whose Telegram speaks English in English: the welcome, their menu and /bantuan", async () => {
    const joined = await ask(john, `/start ${codes.john}`);
    expect(joined.plainText).toContain("Welcome");
    expect(joined.plainText).toContain("focal point");
    expect(await languageOf(john)).toBe("en");
    const menu = h.emulator.menuFor(chatScope(john));
    expect(names(menu)).toEqual(commandsFor((await findPerson(h.db, john.id))!).map((e) => e.alias ?? e.command));
    expect(names(menu)).toEqual(expect.arrayContaining(["help", "tasks", "report", "status", "language", "cancel"]));
    expect(menu.find((c) => c.command === "tasks")?.description).toBe(en.commands.tugas);

    const help = await ask(john, "/bantuan");
    expect(help.plainText).toContain("Commands you can use");
    expect(help.plainText).toContain("/tasks");
    expectEnglish(help);
  });

  it("switches to English with /bahasa en: the answer, the menu, /bantuan and /tugas", async () => {
    const calls = menuCalls();
    const switched = await ask(rina, "/bahasa en");
    expect(switched.plainText).toContain("English");
    expect(switched.plainText).toContain("/help");
    expectEnglish(switched);
    expect(await languageOf(rina)).toBe("en");
    expect(menuCalls()).toBe(calls + 1);
    const menu = h.emulator.menuFor(chatScope(rina));
    expect(names(menu)).toEqual(expect.arrayContaining(["help", "tasks", "report", "status", "language", "cancel"]));
    expect(names(menu)).not.toContain("tugas");
    expect(menu.find((c) => c.command === "report")?.description).toBe(en.commands.lapor);

    const help = await ask(rina, "/bantuan");
    expect(help.plainText).toContain("Commands you can use");
    for (const alias of ["/help", "/tasks", "/report", "/status", "/language", "/cancel"]) expect(help.plainText).toContain(alias);
    expect(help.plainText).not.toContain("/tugas");
    expectEnglish(help);

    const tasks = await ask(rina, "/tugas");
    expect(tasks.plainText).toContain("Your unit's open steps");
    expect(tasks.plainText).toContain("Friday, 14 January 2022 (in 3 days)");
    expect(tasks.plainText).toContain("/report");
    expectEnglish(tasks);
  });

  it("speaks English in the report flow, /status and the reminders after /bahasa en", async () => {
    await h.emulator.sendText(rina, "/report");
    const pick = await h.emulator.waitForMessage(rina.id);
    expect(pick.plainText).toContain("Which step");
    await h.emulator.pressButton(rina, pick, buttons(pick).find((b) => b.text.includes("Penyusunan SOP layanan"))!.callback_data);
    const percent = await h.emulator.waitForMessage(rina.id);
    expect(percent.plainText).toContain("Last progress: 0%");
    expect(buttons(percent).map((b) => b.text)).toContain("⚠️ Blocked");
    await h.emulator.pressButton(rina, percent, buttons(percent).find((b) => b.text === "50%")!.callback_data);
    const note = await h.emulator.waitForMessage(rina.id);
    expect(note.plainText).toContain("note");
    await h.emulator.pressButton(rina, note, buttons(note).find((b) => b.text === "Skip")!.callback_data);
    const confirm = await h.emulator.waitForMessage(rina.id);
    expect(confirm.plainText).toContain("Save?");
    await h.emulator.pressButton(rina, confirm, buttons(confirm).find((b) => b.text.includes("Save"))!.callback_data);
    const saved = await h.emulator.waitForMessage(rina.id);
    expect(saved.plainText).toContain("Saved");
    for (const m of [pick, percent, note, confirm, saved]) expectEnglish(m);

    const status = await ask(rina, "/status");
    expect(status.plainText).toContain("Progress of the innovations");
    expectEnglish(status);

    const pass = await h.cli("remind", "--at", "2022-01-11T08:05:00+07:00");
    expect(pass.code).toBe(0);
    const reminder = await h.emulator.waitForMessage(rina.id, (m) => !!m.plainText?.includes("Penyusunan SOP layanan"));
    expect(reminder.plainText).toContain("Reminder: 2 steps");
    expect(reminder.plainText).toContain("Due: Friday, 14 January 2022 (in 3 days)");
    expectEnglish(reminder);
  });

  it("switches back with /bahasa id", async () => {
    const switched = await ask(rina, "/language id");
    expect(switched.plainText).toContain("Bahasa Indonesia");
    expect(switched.plainText).toContain("/bantuan");
    expect(await languageOf(rina)).toBe("id");
    expect(names(h.emulator.menuFor(chatScope(rina)))).toEqual(expect.arrayContaining(["bantuan", "tugas", "lapor", "bahasa", "batal"]));
    expect(names(h.emulator.menuFor(chatScope(rina)))).not.toContain("tasks");
    const help = await ask(rina, "/help");
    expect(help.plainText).toContain("Perintah yang bisa Anda pakai");
    expect(help.plainText).toContain("/tugas");
    expect(help.plainText).not.toContain("/tasks");
  });

  it("explains the choices for a wrong value and changes nothing", async () => {
    const calls = menuCalls();
    const answer = await ask(rina, "/bahasa fr");
    expect(answer.plainText).toContain('"fr" bukan pilihan bahasa');
    expect(answer.plainText).toContain("id (Bahasa Indonesia) atau en (English)");
    expect(answer.plainText).toContain("Tidak ada yang diubah");
    expect(answer.plainText).toContain("Bahasa pesan bot untuk Anda: Bahasa Indonesia");
    expect(buttons(answer).map((b) => b.text)).toEqual(["Bahasa Indonesia", "English"]);
    expect(await languageOf(rina)).toBe("id");
    expect(menuCalls()).toBe(calls);

    // Markup in the value is shown as typed, not parsed.
    const markup = await ask(rina, "/bahasa <b>jawa</b>");
    expect(markup.plainText).toContain('"<b>jawa</b>" bukan pilihan bahasa');
    expect(await languageOf(rina)).toBe("id");
  });

  it("switches with the buttons, and a forged button changes nothing", async () => {
    const offer = await ask(rina, "/bahasa");
    expect(offer.plainText).toContain("Bahasa pesan bot untuk Anda: Bahasa Indonesia");
    expect(offer.plainText).not.toContain("bukan pilihan");
    const [indonesianButton, englishButton] = buttons(offer);
    expect(englishButton?.text).toBe("English");

    await h.emulator.pressButton(rina, offer, englishButton!.callback_data);
    const switched = await h.emulator.waitForMessage(rina.id);
    await h.answered();
    expect(switched.plainText).toContain("now in English");
    expect(await languageOf(rina)).toBe("en");
    expect(names(h.emulator.menuFor(chatScope(rina)))).toContain("tasks");
    // The offer lost its buttons once used.
    expect(buttons(h.emulator.messages(rina.id).find((m) => m.message_id === offer.message_id)!)).toEqual([]);

    const calls = menuCalls();
    for (const forged of ["lang:fr", "lang:", "lang:en:admin", "lang:EN"]) {
      await h.emulator.pressButton(rina, offer, forged);
      await h.answered();
      expect(h.emulator.callbackAnswers().at(-1)?.text).toBe(en.access.staleButton);
      expect(await languageOf(rina)).toBe("en");
    }
    expect(menuCalls()).toBe(calls);

    await h.emulator.pressButton(rina, offer, indonesianButton!.callback_data);
    expect((await h.emulator.waitForMessage(rina.id)).plainText).toContain("Bahasa pesan bot sekarang: Bahasa Indonesia");
    await h.answered();
    expect(await languageOf(rina)).toBe("id");
    expect(names(h.emulator.menuFor(chatScope(rina)))).toContain("tugas");
  });

  it("never lets a failing menu break a join or a language change", async () => {
    h.emulator.injectFault("setMyCommands", { error_code: 400, description: "Bad Request: chat not found" });
    const joined = await ask(sari, `/start ${codes.sari}`);
    expect(joined.plainText).toContain("kepala unit");
    expect(await h.db.membership.count({ where: { person: { telegramId: BigInt(sari.id) }, role: "kepala" } })).toBe(1);
    expect(h.emulator.menuFor(chatScope(sari))).toEqual([]);
    expect(h.emulator.messages(sari.id)).toHaveLength(1); // no error message after the welcome

    h.emulator.injectFault("setMyCommands", { error_code: 400, description: "Bad Request: chat not found" });
    const switched = await ask(sari, "/bahasa en");
    expect(switched.plainText).toContain("now in English");
    expect(await languageOf(sari)).toBe("en");
    expect(h.emulator.messages(sari.id)).toHaveLength(2);
    expect(h.logs.filter((l) => l.includes("could not set the person's command menu"))).toHaveLength(2);

    // Asking for help repairs the menu: the head's commands, in English.
    const help = await ask(sari, "/help");
    expect(help.plainText).toContain("Commands you can use");
    expect(names(h.emulator.menuFor(chatScope(sari)))).toEqual(commandsFor((await findPerson(h.db, sari.id))!).map((e) => e.alias ?? e.command));
    expect(names(h.emulator.menuFor(chatScope(sari)))).not.toContain("tasks");
    // So does asking for the language already chosen, which changes nothing else.
    const calls = menuCalls();
    const again = await ask(sari, "/language en");
    expect(again.plainText).toContain("already in English");
    expect(await languageOf(sari)).toBe("en");
    expect(menuCalls()).toBe(calls + 1);
  });
});
