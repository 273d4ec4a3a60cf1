import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TINY_PNG, type EmuUser } from "../support/bot-api-emulator.js";
import { buttons, databaseKinds, examplePlan, Harness, has, press } from "../support/harness.js";

// Evidence (bukti dukung) with reports, undo, and refusing lower progress without a reason,
// through the real bot and the Bot API emulator.

const pic: EmuUser = { id: 7001, first_name: "Wulan", language_code: "id" };
const colleague: EmuUser = { id: 7002, first_name: "Andi", language_code: "id" };
const unit = "BABAR-DISKOPUKMPERIN";
const pdf = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");

const code = (stdout: string) => /start=([\w-]+)/.exec(stdout)![1]!;

describe.each(await databaseKinds())("evidence and undo on %s", (kind) => {
  let h: Harness;
  const step = (title: string) => h.db.milestone.findFirstOrThrow({ where: { title, initiative: { unit: { code: unit } } } });

  beforeAll(async () => {
    h = await Harness.create(kind);
    expect((await h.cli("import", examplePlan)).code).toBe(0);
    const first = await h.cli("invite", "--unit", unit);
    const second = await h.cli("invite", "--unit", unit);
    await h.startBot();
    await h.emulator.sendText(pic, `/start ${code(first.stdout)}`);
    await h.emulator.sendText(colleague, `/start ${code(second.stdout)}`);
    expect((await h.emulator.waitForMessage(pic.id)).plainText).toContain("Dinas Koperasi");
    expect((await h.emulator.waitForMessage(colleague.id)).plainText).toContain("Dinas Koperasi");
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("when two photos and a PDF are sent at the confirmation of /lapor, then the report keeps all three as evidence", async () => {
    await h.emulator.sendText(pic, "/lapor");
    const pick = await h.emulator.waitForMessage(pic.id);
    await h.emulator.pressButton(pic, pick, press("Studi tiru ke Yogyakarta")(pick));
    const percent = await h.emulator.waitForMessage(pic.id);
    await h.emulator.pressButton(pic, percent, press("50%")(percent));
    await h.emulator.waitForMessage(pic.id, has("catatan"));
    await h.emulator.sendText(pic, "Jadwal studi tiru disepakati");
    const confirm = await h.emulator.waitForMessage(pic.id, has("Simpan?"));
    expect(confirm.plainText).toContain("Bukti dukung: —");

    const photo1 = await h.emulator.sendPhoto(pic, { content: TINY_PNG });
    const photo2 = await h.emulator.sendPhoto(pic, { content: Buffer.concat([TINY_PNG, Buffer.from([0])]) });
    const doc = await h.emulator.sendDocument(pic, { fileName: "undangan-studi-tiru.pdf", mimeType: "application/pdf", content: pdf });
    // Sent together they may be handled at once, in any order: each is acknowledged, none lost.
    const last = await h.emulator.waitForMessage(pic.id, has("Bukti dukung: 3 berkas"));
    expect(h.emulator.messages(pic.id).filter(has("diterima"))).toHaveLength(3);
    expect(h.emulator.messages(pic.id).some(has("diterima: undangan-studi-tiru.pdf"))).toBe(true);
    await h.emulator.pressButton(pic, last, press("Simpan")(last));
    const saved = await h.emulator.waitForMessage(pic.id, has("Tersimpan"));
    expect(saved.plainText).toContain("Bukti dukung: 3 berkas");
    // Worded as every saved report is (a reply to a reminder too): the note, the files, the undo.
    expect(saved.plainText).toContain("Catatan: Jadwal studi tiru disepakati");
    expect(buttons(saved).map((b) => b.text)).toEqual(["↩️ Urungkan"]);

    const report = await h.db.progressReport.findFirstOrThrow({
      where: { milestoneId: (await step("Studi tiru ke Yogyakarta")).id },
      include: { evidence: { orderBy: { messageId: "asc" } } },
    });
    expect(report.percent).toBe(50);
    expect(report.note).toBe("Jadwal studi tiru disepakati");
    expect(report.evidence.map((e) => [e.kind, e.messageId, e.fileName])).toEqual([
      ["photo", photo1.message_id, null],
      ["photo", photo2.message_id, null],
      ["document", doc.message_id, "undangan-studi-tiru.pdf"],
    ]);
    expect(report.evidence[2]!.mimeType).toBe("application/pdf");
    expect(report.evidence.every((e) => e.chatId === BigInt(pic.id) && e.fileUniqueId.length > 0)).toBe(true);
    // The stored file ids are Telegram's own: they fetch the very bytes that were sent.
    expect(h.emulator.fileBytes(report.evidence[2]!.fileId)).toEqual(pdf);
    expect(h.emulator.fileBytes(report.evidence[1]!.fileId)).toEqual(Buffer.concat([TINY_PNG, Buffer.from([0])]));
  });

  it("when a captioned photo replies to a reminder, then the caption is the report and the photo its evidence; an uncaptioned one joins it", async () => {
    expect((await h.cli("remind", "--at", "2022-01-17T08:05:00+07:00")).code).toBe(0);
    const reminder = await h.emulator.waitForMessage(pic.id, has("SK tim replikasi"));
    h.clock = new Date("2022-01-17T09:00:00+07:00");

    const sent = await h.emulator.sendPhoto(pic, { caption: "60% draf SK sudah diparaf", replyTo: reminder.message_id });
    const recorded = await h.emulator.waitForMessage(pic.id, has("Tersimpan"));
    expect(recorded.plainText).toContain("60%");
    expect(recorded.plainText).toContain("Catatan: draf SK sudah diparaf");
    expect(recorded.plainText).toContain("Bukti dukung: 1 berkas");
    expect(buttons(recorded).map((b) => b.text)).toEqual(["↩️ Urungkan"]);

    const late = await h.emulator.sendPhoto(pic, { replyTo: reminder.message_id });
    expect((await h.emulator.waitForMessage(pic.id)).plainText).toContain("sekarang 2 berkas");

    const sk = await step("SK tim replikasi");
    expect(sk.progress).toBe(60);
    const report = await h.db.progressReport.findFirstOrThrow({ where: { milestoneId: sk.id }, include: { evidence: { orderBy: { id: "asc" } } } });
    expect(report.source).toBe("reply");
    expect(report.note).toBe("draf SK sudah diparaf");
    expect(report.evidence.map((e) => [e.kind, e.messageId])).toEqual([
      ["photo", sent.message_id],
      ["photo", late.message_id],
    ]);
  });

  it("when the reporter presses Urungkan, then the step goes back; twice, by someone else or too late is refused", async () => {
    const reminder = h.emulator.messages(pic.id).find(has("SK tim replikasi"))!;
    const first = h.emulator.messages(pic.id).find(has("Tersimpan"))!;
    h.clock = new Date("2022-01-17T09:05:00+07:00");
    await h.emulator.sendText(pic, "80% SK tinggal ditandatangani", { replyTo: reminder.message_id });
    const second = await h.emulator.waitForMessage(pic.id, has("80%"));
    const sk = await step("SK tim replikasi");
    expect(sk.progress).toBe(80);
    const undo = press("Urungkan")(second);

    await h.emulator.pressButton(colleague, second, undo);
    await h.answered();
    expect(h.emulator.callbackAnswers().at(-1)?.text).toContain("Hanya pelapornya");
    expect((await step("SK tim replikasi")).progress).toBe(80);

    await h.emulator.pressButton(pic, second, undo);
    const edited = await h.emulator.waitForEdit(pic.id, second.message_id, has("diurungkan"));
    expect(edited.plainText).toContain("kembali ke 60%");
    expect(buttons(edited)).toEqual([]);
    const back = await step("SK tim replikasi");
    expect([back.progress, back.status, back.lastReportAt?.toISOString()]).toEqual([60, "in_progress", "2022-01-17T02:00:00.000Z"]);
    const reports = await h.db.progressReport.findMany({ where: { milestoneId: sk.id }, orderBy: { id: "asc" } });
    expect(reports.map((r) => [r.percent, r.undoneAt !== null])).toEqual([
      [60, false],
      [80, true],
    ]);

    // A replayed press (the old keyboard, a double tap) changes nothing more.
    await h.emulator.pressButton(pic, second, undo);
    await h.answered();
    expect(h.emulator.callbackAnswers().at(-1)?.text).toContain("sudah diurungkan");

    // The first report is 31 minutes old: too late to undo; it stands.
    h.clock = new Date("2022-01-17T09:31:00+07:00");
    await h.emulator.pressButton(pic, first, press("Urungkan")(first));
    await h.answered();
    expect(h.emulator.callbackAnswers().at(-1)?.text).toContain("30 menit");
    expect((await step("SK tim replikasi")).progress).toBe(60);
    expect(await h.db.progressReport.count({ where: { milestoneId: sk.id, undoneAt: null } })).toBe(1);
  });

  it("when progress goes down without a reason, then it is refused and nothing changes; with a reason it is saved", async () => {
    const reminder = h.emulator.messages(pic.id).find(has("SK tim replikasi"))!;
    const before = await h.db.progressReport.count();
    await h.emulator.sendText(pic, "40%", { replyTo: reminder.message_id });
    expect((await h.emulator.waitForMessage(pic.id)).plainText).toContain("turun dari 60% ke 40%");
    expect(await h.db.progressReport.count()).toBe(before);
    expect((await step("SK tim replikasi")).progress).toBe(60);

    await h.emulator.sendText(pic, "40% draf SK harus direvisi", { replyTo: reminder.message_id });
    expect((await h.emulator.waitForMessage(pic.id)).plainText).toContain("Tersimpan");
    expect((await step("SK tim replikasi")).progress).toBe(40);

    // In /lapor the note becomes required (no Lewati), and an uncaptioned photo is no reason.
    await h.emulator.sendText(pic, "/lapor");
    const pick = await h.emulator.waitForMessage(pic.id);
    await h.emulator.pressButton(pic, pick, press("Studi tiru ke Yogyakarta")(pick));
    const percent = await h.emulator.waitForMessage(pic.id);
    await h.emulator.pressButton(pic, percent, press("25%")(percent));
    const ask = await h.emulator.waitForMessage(pic.id);
    expect(ask.plainText).toContain("turun dari 50% ke 25%");
    expect(buttons(ask).map((b) => b.text)).toEqual(["Batal"]);
    await h.emulator.sendPhoto(pic);
    expect((await h.emulator.waitForMessage(pic.id)).plainText).toContain("turun dari 50% ke 25%");
    await h.emulator.sendText(pic, "Jadwal studi tiru diundur ke Maret");
    const confirm = await h.emulator.waitForMessage(pic.id, has("Simpan?"));
    await h.emulator.pressButton(pic, confirm, press("Simpan")(confirm));
    expect((await h.emulator.waitForMessage(pic.id)).plainText).toContain("Tersimpan");
    const visit = await step("Studi tiru ke Yogyakarta");
    expect(visit.progress).toBe(25);
    const last = await h.db.progressReport.findFirstOrThrow({ where: { milestoneId: visit.id }, orderBy: { id: "desc" }, include: { evidence: true } });
    expect([last.note, last.evidence.length]).toEqual(["Jadwal studi tiru diundur ke Maret", 0]);
  });
});
