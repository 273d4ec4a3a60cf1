import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmuChat, EmuUser } from "../support/bot-api-emulator.js";
import { buttons, databaseKinds, examplePlan, Harness, has, press } from "../support/harness.js";

// /riwayat (/history) through the real bot and the Bot API emulator: the reports of a unit or an
// initiative over a date range, who made them, undone ones marked, and the evidence sent again
// on request in a private chat; a group gets only the number of reports.

const pic: EmuUser = { id: 7301, first_name: "Rina", username: "rina_disparbud", language_code: "id" };
const coordinator: EmuUser = { id: 7302, first_name: "Budi", language_code: "id" };
const head: EmuUser = { id: 7303, first_name: "Hendra", language_code: "id" };
const group: EmuChat = { id: -1001777000333, type: "supergroup", title: "Koordinasi Inovasi Bangka Barat" };
const bot = "pantau_test_bot";
const unit = "BABAR-DISPARBUD";

const code = (stdout: string) => /start=([\w-]+)/.exec(stdout)![1]!;

describe.each(await databaseKinds())("report history on %s", (kind) => {
  let h: Harness;
  let undoneId = 0;
  const step = (title: string, unitCode = unit) => h.db.milestone.findFirstOrThrow({ where: { title, initiative: { unit: { code: unitCode } } } });

  beforeAll(async () => {
    h = await Harness.create(kind);
    expect((await h.cli("import", examplePlan)).code).toBe(0);
    const picInvite = await h.cli("invite", "--unit", unit);
    const headInvite = await h.cli("invite", "--unit", unit, "--role", "kepala");
    const coordInvite = await h.cli("invite", "--role", "koordinator");
    await h.startBot();
    await h.emulator.sendText(pic, `/start ${code(picInvite.stdout)}`);
    await h.emulator.sendText(head, `/start ${code(headInvite.stdout)}`);
    await h.emulator.sendText(coordinator, `/start ${code(coordInvite.stdout)}`);
    // The pass the bot runs at start may tell the head of what fell due before they joined meanwhile.
    await h.emulator.waitForMessage(pic.id, has("narahubung"));
    await h.emulator.waitForMessage(head.id, has("kepala unit"));
    await h.emulator.waitForMessage(coordinator.id, has("koordinator"));
    await h.emulator.addBotToGroup(coordinator, group);

    // One report through the bot, with a photo (its file id is the emulator's own): 11 Jan 09.00 WIB.
    await h.emulator.sendText(pic, "/lapor");
    const pick = await h.emulator.waitForMessage(pic.id);
    await h.emulator.pressButton(pic, pick, press("Penyusunan SOP layanan")(pick));
    const percent = await h.emulator.waitForMessage(pic.id);
    await h.emulator.pressButton(pic, percent, press("50%")(percent));
    await h.emulator.waitForMessage(pic.id, has("catatan"));
    await h.emulator.sendText(pic, "Draf SOP dibahas <b>tim</b>");
    await h.emulator.waitForMessage(pic.id, has("Simpan?"));
    await h.emulator.sendPhoto(pic);
    const confirm = await h.emulator.waitForMessage(pic.id, has("Bukti dukung: 1 berkas"));
    await h.emulator.pressButton(pic, confirm, press("Simpan")(confirm));
    await h.emulator.waitForMessage(pic.id, has("Tersimpan"));

    // Older and later ones straight into the database.
    const rina = await h.db.person.findUniqueOrThrow({ where: { telegramId: BigInt(pic.id) } });
    const report = (milestoneId: number, at: string, percent: number, status: string, note: string, undone = false) =>
      h.db.progressReport.create({
        data: { milestoneId, personId: rina.id, percent, status, note, source: "reply", createdAt: new Date(at), undoneAt: undone ? new Date(at) : null },
      });
    undoneId = (await report((await step("SK tim replikasi")).id, "2022-01-05T10:30:00+07:00", 100, "done", "SK sudah diteken", true)).id;
    await report((await step("Studi tiru ke Kota Batu")).id, "2022-01-20T14:00:00+07:00", 20, "in_progress", "Jadwal studi tiru dibahas");
    await report((await step("SK tim replikasi", "BABAR-DISKOPUKMPERIN")).id, "2022-01-06T08:00:00+07:00", 40, "in_progress", "Catatan Dinas Koperasi");
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("when a coordinator asks for a unit and a date range, then only that range's reports are listed, newest first, with who and what", async () => {
    await h.emulator.sendText(coordinator, `/riwayat ${unit} 01/01/2022 15/01/2022`);
    const list = await h.emulator.waitForMessage(coordinator.id);
    const text = list.plainText!;
    expect(text).toContain("Dinas Pariwisata dan Kebudayaan");
    expect(text).toContain("2 laporan");
    expect(text).toContain("Sel, 11 Jan 2022 09.00 WIB · Rina");
    expect(text).toContain("SIP Banget › Penyusunan SOP layanan");
    expect(text).toContain("Draf SOP dibahas <b>tim</b>"); // the note as typed, not as markup
    expect(text).toContain("📎 1 foto");
    expect(text).toMatch(/selesai \(100%\) \(dibatalkan\)/);
    expect(text.indexOf("Penyusunan SOP")).toBeLessThan(text.indexOf("SK tim replikasi"));
    expect(text).not.toContain("Jadwal studi tiru");
    expect(text).not.toContain("Dinas Koperasi");
    // Only the report with files gets a button.
    expect(buttons(list).map((b) => b.text)).toEqual(["📎 Lihat bukti #1"]);
    expect(buttons(list)[0]!.callback_data).not.toBe(`hb:${undoneId}`);

    await h.emulator.sendText(coordinator, "/history SIP Banget 16/01/2022 31/01/2022");
    const later = (await h.emulator.waitForMessage(coordinator.id)).plainText!;
    expect(later).toContain("1 laporan");
    expect(later).toContain("Studi tiru ke Kota Batu");
    expect(later).toContain("Jadwal studi tiru dibahas");
    expect(later).not.toContain("Draf SOP");
    expect(later).not.toContain("dibatalkan");
  });

  it("when the coordinator presses Lihat bukti, then the bot sends the photo again to them by its file id", async () => {
    const list = h.emulator.messages(coordinator.id).find((m) => buttons(m).length > 0)!;
    await h.emulator.pressButton(coordinator, list, press("Lihat bukti")(list));
    const evidence = await h.db.evidence.findFirstOrThrow();
    const photo = await h.emulator.waitForMessage(coordinator.id, (m) => !!m.photo);
    expect(photo.file_id).toBe(evidence.fileId);
    expect(photo.plainText).toContain("Penyusunan SOP layanan");
    expect(h.emulator.callbackAnswers().at(-1)?.text).toContain("1 berkas");
  });

  it("when dates are wrong or the name is unclear, then the answer says so", async () => {
    await h.emulator.sendText(coordinator, `/riwayat ${unit} 31/02/2022`);
    const bad = (await h.emulator.waitForMessage(coordinator.id)).plainText!;
    expect(bad).toContain('"31/02/2022" bukan tanggal');
    expect(bad).toContain("14 Januari 2022");
    await h.emulator.sendText(coordinator, `/riwayat ${unit} 15 Januari 2022 1 Januari 2022`);
    expect((await h.emulator.waitForMessage(coordinator.id)).plainText).toContain("Tanggal awal (15 Jan 2022) jatuh setelah tanggal akhir (1 Jan 2022)");
    await h.emulator.sendText(coordinator, "/riwayat Dinas");
    const ambiguous = (await h.emulator.waitForMessage(coordinator.id)).plainText!;
    expect(ambiguous).toContain("beberapa unit");
    expect(ambiguous).toContain("BABAR-DISPARBUD — Dinas Pariwisata dan Kebudayaan");
    expect(ambiguous).toContain("BABAR-DISKOPUKMPERIN");
    await h.emulator.sendText(coordinator, "/riwayat Dinas Perhubungan");
    expect((await h.emulator.waitForMessage(coordinator.id)).plainText).toContain('Tidak ada unit atau inovasi "Dinas Perhubungan"');
  });

  it("when a head of unit asks, then they see their unit's history and not another unit's; a focal point is refused", async () => {
    await h.emulator.sendText(head, "/riwayat pariwisata 1 Januari 2022");
    const own = (await h.emulator.waitForMessage(head.id, has("Riwayat"))).plainText!;
    expect(own).toContain("Draf SOP dibahas");
    expect(own).toContain("(dibatalkan)");
    await h.emulator.sendText(head, "/riwayat BABAR-DISKOPUKMPERIN 01/01/2022 31/01/2022");
    const other = (await h.emulator.waitForMessage(head.id, has("Tidak ada unit atau inovasi"))).plainText!;
    expect(other).toContain("Tidak ada unit atau inovasi");
    expect(other).not.toContain("Catatan Dinas Koperasi");

    await h.emulator.sendText(pic, `/riwayat ${unit}`);
    expect((await h.emulator.waitForMessage(pic.id)).plainText).toContain("bukan untuk peran Anda");
  });

  it("when the history is asked for in a group, then only the number of reports is posted there, never notes, names or files", async () => {
    const before = h.emulator.messages(coordinator.id).length;
    await h.emulator.sendText(coordinator, `/riwayat@${bot} ${unit} 01/01/2022 15/01/2022`, { chat: group });
    const list = await h.emulator.waitForMessage(group.id, undefined, 12_000);
    expect(list.plainText).toContain("laporan");
    expect(list.plainText).toContain("chat pribadi");
    expect(list.plainText).not.toContain("📎 1 foto");
    expect(list.plainText).not.toContain("Rina");
    expect(buttons(list)).toEqual([]);

    // Even a forged press in the group sends nothing there.
    const report = await h.db.evidence.findFirstOrThrow();
    await h.emulator.pressButton(coordinator, list, `hb:${report.reportId}`);
    await h.answered();
    expect(h.emulator.callbackAnswers().at(-1)?.text).toContain("chat pribadi");
    expect(h.emulator.messages(group.id).some((m) => m.photo || m.document)).toBe(false);
    expect(h.emulator.messages(coordinator.id)).toHaveLength(before);
  });
});
