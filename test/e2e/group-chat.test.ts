import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmuChat, EmuUser, SentMessage } from "../support/bot-api-emulator.js";
import { buttons, databaseKinds, examplePlan, Harness } from "../support/harness.js";

// The bot in a coordinators' group (privacy mode on, as for every new bot): what reads well in
// front of the group answers there, personal flows point to the private chat, nothing private
// is posted, and chatter is left alone.

const pic: EmuUser = { id: 7101, first_name: "Rina", language_code: "id" };
const coordinator: EmuUser = { id: 7102, first_name: "Budi", language_code: "id" };
const group: EmuChat = { id: -1001777000111, type: "supergroup", title: "Koordinasi Inovasi Bangka Barat" };
const bot = "pantau_test_bot";

/** The URL buttons of a message. */
const urls = (m: SentMessage): string[] =>
  (m.reply_markup?.inline_keyboard ?? [])
    .flat()
    .map((b: { url?: string }) => b.url)
    .filter(Boolean);
/** A group answer: the group gets one message every three seconds. */
const inGroup = (h: Harness) => h.emulator.waitForMessage(group.id, undefined, 12_000);

describe.each(await databaseKinds())("a group chat on %s", (kind) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.create(kind);
    expect((await h.cli("import", examplePlan)).code).toBe(0);
    const code = (stdout: string) => /start=([\w-]+)/.exec(stdout)![1];
    const picInvite = await h.cli("invite", "--unit", "BABAR-DISPARBUD");
    const coordInvite = await h.cli("invite", "--role", "koordinator");
    await h.startBot();
    await h.emulator.sendText(pic, `/start ${code(picInvite.stdout)}`);
    expect((await h.emulator.waitForMessage(pic.id)).plainText).toContain("narahubung");
    await h.emulator.sendText(coordinator, `/start ${code(coordInvite.stdout)}`);
    expect((await h.emulator.waitForMessage(coordinator.id)).plainText).toContain("koordinator");
    await h.emulator.addBotToGroup(coordinator, group);
    await h.answered();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("when a coordinator sends /rekap@bot in the group, then the recap is posted there, its chart a press away, and no export button", async () => {
    await h.emulator.sendText(coordinator, `/rekap@${bot}`, { chat: group });
    const text = await inGroup(h);
    expect(text.plainText).toContain("Rekap Replikasi Inovasi 2022 Kabupaten Bangka Barat");
    expect(text.plainText).toContain("Dinas Pariwisata dan Kebudayaan");
    // The file names notes and reporters: it is not offered in front of the group.
    expect(buttons(text).map((b) => b.text)).toEqual(["📈 Grafik"]);
    await h.emulator.pressButton(coordinator, text, buttons(text)[0]!.callback_data);
    const chart = await inGroup(h);
    expect(chart.photo).toBe(true);
    expect(h.emulator.messages(coordinator.id).some((m) => m.plainText?.includes("Rekap"))).toBe(false);
  });

  it("when /bantuan@bot is sent in the group, then the help is posted there", async () => {
    await h.emulator.sendText(coordinator, `/bantuan@${bot}`, { chat: group });
    expect((await inGroup(h)).plainText).toContain("/rekap");
  });

  it("when a focal point sends /lapor in the group, then a button opens the private chat and no flow starts", async () => {
    const before = h.emulator.messages(pic.id).length;
    await h.emulator.sendText(pic, "/lapor", { chat: group });
    const pointer = await inGroup(h);
    expect(pointer.plainText).toContain("chat pribadi");
    expect(urls(pointer)).toEqual([`https://t.me/${bot}?start=lapor`]);
    expect(buttons(pointer).map((b) => b.text)).toEqual(["Buka chat pribadi"]);
    expect(await h.db.chatFlow.count()).toBe(0);
    expect(h.emulator.messages(pic.id)).toHaveLength(before);
  });

  it("when the focal point opens the button's link (/start lapor), then the report flow starts privately", async () => {
    await h.emulator.sendText(pic, "/start lapor");
    // (A reminder may arrive in between: the scheduler runs too.)
    const pick = await h.emulator.waitForMessage(pic.id, (m) => !!m.plainText?.includes("Tahapan mana"));
    expect(pick.plainText).toContain("Tahapan mana");
    expect(buttons(pick).some((b) => b.text.includes("Penyusunan SOP layanan"))).toBe(true);
    expect((await h.db.chatFlow.findFirstOrThrow()).kind).toBe("report");
    await h.emulator.sendText(pic, "/batal");
    expect((await h.emulator.waitForMessage(pic.id, (m) => m.plainText === "Dibatalkan.")).plainText).toBe("Dibatalkan.");
  });

  it("when /tugas@bot is sent in the group, then its steps are listed only privately, after /start tugas", async () => {
    await h.emulator.sendText(pic, `/tugas@${bot}`, { chat: group });
    const pointer = await inGroup(h);
    expect(urls(pointer)).toEqual([`https://t.me/${bot}?start=tugas`]);
    expect(pointer.plainText).not.toContain("Penyusunan SOP layanan");
    await h.emulator.sendText(pic, "/start tugas");
    const tasks = await h.emulator.waitForMessage(pic.id, (m) => !!m.plainText?.includes("Tahapan terbuka"));
    expect(tasks.plainText).toContain("Penyusunan SOP layanan");
    // An invite code still joins (the words are not codes): see the setup above.
  });

  it("when a coordinator sends /jangkauan@bot or /ekspor@bot in the group, then names and notes stay out of it", async () => {
    for (const command of ["jangkauan", "ekspor"]) {
      await h.emulator.sendText(coordinator, `/${command}@${bot}`, { chat: group });
      const pointer = await inGroup(h);
      expect(urls(pointer)).toEqual([`https://t.me/${bot}?start=${command}`]);
    }
    expect(h.emulator.messages(group.id).some((m) => m.method === "sendDocument")).toBe(false);
  });

  it("when a coordinator sends /undang@bot in the group, then no invite link is posted there", async () => {
    await h.emulator.sendText(coordinator, `/undang@${bot} BABAR-DISTANPANGAN`, { chat: group });
    expect((await inGroup(h)).plainText).toContain("pesan pribadi");
    expect((await h.emulator.waitForMessage(coordinator.id)).plainText).toMatch(/start=[\w-]{20,}/);
    await h.answered();
    for (const m of h.emulator.messages(group.id)) {
      expect(m.text ?? m.caption ?? "").not.toContain("start=");
      // The only links in the group open a command in the private chat, never an invite code.
      for (const url of urls(m)) expect(url).toMatch(/\?start=(lapor|tugas|jangkauan|ekspor)$/);
    }
  });

  it("when many people each send commands in the group faster than it can be answered, then it gets a few answers and no notice, and the bot goes on answering elsewhere", async () => {
    // A group of its own: its limit is judged as commands arrive, and starts rested.
    const busy: EmuChat = { id: -1001777000222, type: "supergroup", title: "Forum OPD Bangka Barat" };
    await h.emulator.addBotToGroup(coordinator, busy);
    await h.answered();
    const started = Date.now();
    // Thirty people, each well under their own limit: together three times what a group may get.
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 30; i++)
        await h.emulator.sendText({ id: 7300 + i, first_name: `Anggota ${i}`, language_code: "id" }, `/bantuan@${bot}`, { chat: busy });
    }
    const tasks = h.emulator.messages(pic.id).length;
    await h.emulator.sendText(pic, "/tugas");
    expect(
      (await h.emulator.waitForMessage(pic.id, (m) => m.message_id > (h.emulator.messages(pic.id)[tasks - 1]?.message_id ?? 0), 30_000)).plainText,
    ).toContain("Tahapan");
    const arrived = Date.now();
    await h.answered(60_000);
    const answers = h.emulator.messages(busy.id);
    // A burst of five, then one for every three seconds the sixty took to arrive.
    expect(answers.length).toBeGreaterThanOrEqual(5);
    expect(answers.length).toBeLessThanOrEqual(5 + Math.ceil((arrived - started) / 3000));
    // The group is never told off: nobody in it sent too much.
    expect(answers.some((m) => m.plainText?.includes("terlalu cepat"))).toBe(false);
  }, 90_000);

  it("when people chat in the group, reply to the bot or use other bots' commands, then the bot stays silent", async () => {
    await h.answered();
    const posted = h.emulator.messages(group.id).length;
    // Privacy mode keeps plain chatter from the bot; a reply to it and a bare command still come.
    expect((await h.emulator.sendText(pic, "Selamat pagi semua", { chat: group })).update_id).toBe(-1);
    const recap = h.emulator.messages(group.id)[0]!;
    expect((await h.emulator.sendText(pic, "Terima kasih, Pak", { chat: group, replyTo: recap.message_id })).update_id).not.toBe(-1);
    expect((await h.emulator.sendText(pic, "60% draf SOP selesai", { chat: group, replyTo: recap.message_id })).update_id).not.toBe(-1);
    await h.emulator.sendText(pic, "/foo", { chat: group });
    await h.emulator.sendText(pic, "/rekap@bot_lain", { chat: group });
    await h.answered();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(h.emulator.messages(group.id)).toHaveLength(posted);
    expect(await h.db.progressReport.count()).toBe(0);

    // A command addressed to this bot by name that it does not know gets the pointer to help.
    await h.emulator.sendText(pic, `/foo@${bot}`, { chat: group });
    expect((await inGroup(h)).plainText).toContain(`/bantuan@${bot}`);
  });
});
