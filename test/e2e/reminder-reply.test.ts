import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmuUser, SentMessage } from "../support/bot-api-emulator.js";
import { buttons, codeOf, databaseKinds, Harness, has } from "../support/harness.js";

// Replies to a reminder that lists several steps (issue 12): the step the reply names is the one
// recorded, with no question; a reply naming none is kept while the bot asks, and a press records
// it. Through the real bot and the Bot API emulator, on both databases.

const pic: EmuUser = { id: 8101, first_name: "Rina", language_code: "id" };
const sk = "Penetapan SK tim replikasi";
const sop = "Penyusunan SOP layanan";

function writePlan(): string {
  const row = (step: string, due: string) =>
    [
      "Replikasi Inovasi 2022 Kabupaten Bangka Barat",
      "Kabupaten Bangka Barat",
      "WIB",
      "Dinas Pariwisata dan Kebudayaan",
      "BABAR-DISPARBUD",
      "SIP Banget",
      "Kota Batu",
      step,
      due,
      "1",
    ].join(",");
  const rows = [
    "program,pemda,zona_waktu,opd,kode_opd,inovasi,asal,tahapan,tenggat,bobot",
    row(sk, "2022-01-07"),
    row(sop, "2022-01-14"),
    row("Studi tiru ke Kota Batu", "2022-03-18"),
  ];
  const file = path.join(mkdtempSync(path.join(tmpdir(), "pantau-replies-")), "rencana-aksi.csv");
  writeFileSync(file, rows.join("\n"));
  return file;
}

describe.each(await databaseKinds())("replies to a reminder of several steps on %s", (kind) => {
  let h: Harness;
  let reminder: SentMessage;
  const step = (title: string) => h.db.milestone.findFirstOrThrow({ where: { title } });
  const reportsOn = async (title: string) =>
    h.db.progressReport.findMany({ where: { milestoneId: (await step(title)).id }, orderBy: { id: "asc" }, include: { evidence: true } });
  /** The delivery of the reminder that listed the step: a report by reply answers it. */
  const deliveryOf = async (title: string) =>
    (await h.db.delivery.findFirstOrThrow({ where: { chatId: BigInt(pic.id), messageId: reminder.message_id, milestoneId: (await step(title)).id } })).id;
  const asked = () => h.emulator.messages(pic.id).filter(has("yang mana")).length;

  beforeAll(async () => {
    h = await Harness.create(kind);
    expect((await h.cli("import", writePlan())).code).toBe(0);
    const invite = await h.cli("invite", "--unit", "BABAR-DISPARBUD");
    // In quiet hours: a pass the bot runs meanwhile (at start, or woken) owes the new focal point
    // nothing, so the reminder below is the pass this test runs.
    h.clock = new Date("2022-01-10T22:00:00+07:00");
    await h.startBot();
    await h.emulator.sendText(pic, `/start ${codeOf(invite.stdout)}`);
    await h.emulator.waitForMessage(pic.id, has("Dinas Pariwisata"));
    await h.answered();
    h.clock = new Date("2022-01-11T09:00:00+07:00");
    // The decree is four days late and the SOP due in three: one message lists both.
    expect((await h.cli("remind", "--at", "2022-01-11T08:05:00+07:00")).stdout).toMatch(/Terkirim 2/);
    reminder = await h.emulator.waitForMessage(pic.id, has("Pengingat: 2 tahapan"));
    expect(reminder.plainText).toContain(sk);
    expect(reminder.plainText).toContain(sop);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("when the reply names the SOP (the issue's example), then it is recorded on the SOP step with no question, and the answer names the step", async () => {
    await h.emulator.sendText(pic, "75%, SOP-nya tinggal ditandatangani", { replyTo: reminder.message_id });
    const saved = await h.emulator.waitForMessage(pic.id, has("Tersimpan"));
    expect(saved.plainText).toContain(sop);
    expect(saved.plainText).toContain("75%");
    expect(saved.plainText).toContain("SOP-nya tinggal ditandatangani");
    expect(asked()).toBe(0);

    expect(await step(sop)).toMatchObject({ progress: 75, status: "in_progress" });
    const [report] = await reportsOn(sop);
    expect(report).toMatchObject({ percent: 75, note: "SOP-nya tinggal ditandatangani", source: "reply", deliveryId: await deliveryOf(sop) });
    expect(await reportsOn(sk)).toHaveLength(0);
  });

  it('when the reply is "SK nomor 12 tahun 2022", then the number is not read as 12% and nothing is recorded', async () => {
    await h.emulator.sendText(pic, "SK nomor 12 tahun 2022", { replyTo: reminder.message_id });
    expect((await h.emulator.waitForMessage(pic.id)).plainText).toContain("belum paham");
    expect(await step(sk)).toMatchObject({ progress: 0, status: "not_started" });
    expect(await reportsOn(sk)).toHaveLength(0);
    expect(asked()).toBe(0);
  });

  it("when the reply names neither step, then the steps are buttons, a press records the reply kept, and a second press is refused", async () => {
    const reply = await h.emulator.sendText(pic, "sudah 50 persen", { replyTo: reminder.message_id });
    const question = await h.emulator.waitForMessage(pic.id, has("yang mana"));
    expect(question.plainText).toContain("Balasan Anda: 50%");
    expect(question.reply_to_message_id).toBe(reply.message_id);
    const choices = buttons(question);
    expect(choices.map((b) => b.text.replace(/^🔴 /, "").split(" · ")[0])).toEqual([sk, sop, "Batal"]);
    // Nothing is recorded before the person says which step.
    expect(await reportsOn(sk)).toHaveLength(0);

    const press = choices.find((b) => b.text.includes("SK tim"))!.callback_data;
    await h.emulator.pressButton(pic, question, press);
    const saved = await h.emulator.waitForMessage(pic.id, has("Tersimpan"));
    expect(saved.plainText).toContain(sk);
    expect(saved.plainText).toContain("50%");
    expect(await step(sk)).toMatchObject({ progress: 50, status: "in_progress" });
    const reports = await reportsOn(sk);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ percent: 50, source: "reply", deliveryId: await deliveryOf(sk) });

    await h.emulator.pressButton(pic, question, press);
    await h.answered();
    expect(h.emulator.callbackAnswers().at(-1)?.text).toContain("tidak berlaku");
    expect(await reportsOn(sk)).toHaveLength(1);
    expect((await step(sop)).progress).toBe(75);
  });

  it('when the bot asks and the person types "yang SK-nya" instead of pressing, then the kept reply is recorded there', async () => {
    await h.emulator.sendText(pic, "sudah 60 persen", { replyTo: reminder.message_id });
    await h.emulator.waitForMessage(pic.id, has("Balasan Anda: 60%"));
    await h.emulator.sendText(pic, "yang SK-nya");
    const saved = await h.emulator.waitForMessage(pic.id, has("Tersimpan"));
    expect(saved.plainText).toContain(sk);
    expect((await step(sk)).progress).toBe(60);
  });

  it('when the bot asks and the person replies to the reminder again with "yang SK", then that is the answer, not a new report', async () => {
    await h.emulator.sendText(pic, "70 persen", { replyTo: reminder.message_id });
    await h.emulator.waitForMessage(pic.id, has("Balasan Anda: 70%"));
    await h.emulator.sendText(pic, "yang SK", { replyTo: reminder.message_id });
    const saved = await h.emulator.waitForMessage(pic.id, has("Tersimpan"));
    expect(saved.plainText).toContain(sk);
    expect((await step(sk)).progress).toBe(70);
    expect(h.emulator.messages(pic.id).filter(has("belum paham"))).toHaveLength(1);
  });

  it("when a captioned photo replies naming a step, then the caption is its report and the photo its evidence; an uncaptioned one joins it", async () => {
    const photo = await h.emulator.sendPhoto(pic, { caption: "SOP sudah selesai, ini foto SOP yang sudah ditandatangani", replyTo: reminder.message_id });
    const saved = await h.emulator.waitForMessage(pic.id, has("Tersimpan"));
    expect(saved.plainText).toContain(sop);
    expect(saved.plainText).toContain("selesai (100%)");
    expect(saved.plainText).toContain("Bukti dukung: 1 berkas");

    const more = await h.emulator.sendPhoto(pic, { replyTo: reminder.message_id });
    expect((await h.emulator.waitForMessage(pic.id)).plainText).toContain("sekarang 2 berkas");

    expect(await step(sop)).toMatchObject({ progress: 100, status: "done" });
    const report = (await reportsOn(sop)).at(-1)!;
    expect(report.note).toBe("ini foto SOP yang sudah ditandatangani");
    expect(report.evidence.map((e) => e.messageId).sort()).toEqual([photo.message_id, more.message_id].sort());
    expect((await step(sk)).progress).toBe(70);
  });

  it("when a captioned photo names no step, then the caption and the photo are kept while the bot asks, and the press records both", async () => {
    const asking = asked();
    const photo = await h.emulator.sendPhoto(pic, { caption: "80%, tinggal diparaf", replyTo: reminder.message_id });
    const question = await h.emulator.waitForMessage(pic.id, has("yang mana"));
    expect(asked()).toBe(asking + 1);
    expect(question.plainText).toContain("Balasan Anda: 80% — tinggal diparaf");
    expect(question.plainText).toContain("Bukti dukung: 1 berkas");
    // The rest of the album, without a caption, waits with it.
    const second = await h.emulator.sendPhoto(pic, { replyTo: reminder.message_id });
    expect((await h.emulator.waitForMessage(pic.id)).plainText).toContain("Berkas diterima");
    expect(await reportsOn(sk)).toHaveLength(3);

    await h.emulator.pressButton(pic, question, buttons(question).find((b) => b.text.includes("SK tim"))!.callback_data);
    const saved = await h.emulator.waitForMessage(pic.id, has("Tersimpan"));
    expect(saved.plainText).toContain(sk);
    expect(saved.plainText).toContain("Bukti dukung: 2 berkas");
    const reports = await reportsOn(sk);
    expect(reports).toHaveLength(4);
    expect(reports.at(-1)).toMatchObject({ percent: 80, note: "tinggal diparaf", deliveryId: await deliveryOf(sk) });
    expect(
      reports
        .at(-1)!
        .evidence.map((e) => e.messageId)
        .sort(),
    ).toEqual([photo.message_id, second.message_id].sort());
  });
  it("when the bot asks again and the answer is a photo captioned with the step, then the latest reply is recorded there with every file sent meanwhile", async () => {
    const first = await h.emulator.sendPhoto(pic, { caption: "90%, menunggu paraf", replyTo: reminder.message_id });
    expect((await h.emulator.waitForMessage(pic.id, has("yang mana"))).plainText).toContain("Bukti dukung: 1 berkas");
    // A second reply the bot cannot place either replaces the first, keeping its photo.
    await h.emulator.sendText(pic, "95%, menunggu paraf bupati", { replyTo: reminder.message_id });
    const again = await h.emulator.waitForMessage(pic.id, has("yang mana"));
    expect(again.plainText).toContain("Balasan Anda: 95% — menunggu paraf bupati");
    expect(again.plainText).toContain("Bukti dukung: 1 berkas");

    const answer = await h.emulator.sendPhoto(pic, { caption: "yang SK", replyTo: reminder.message_id });
    const saved = await h.emulator.waitForMessage(pic.id, has("Tersimpan"));
    expect(saved.plainText).toContain(sk);
    expect(saved.plainText).toContain("Bukti dukung: 2 berkas");
    const report = (await reportsOn(sk)).at(-1)!;
    expect(report).toMatchObject({ percent: 95, note: "menunggu paraf bupati" });
    expect(report.evidence.map((e) => e.messageId).sort()).toEqual([first.message_id, answer.message_id].sort());
  });

  it("when saving the answer fails, then the reply and its photo stay kept, and the next answer records them", async () => {
    const photo = await h.emulator.sendPhoto(pic, { caption: "98%, tinggal diarsipkan", replyTo: reminder.message_id });
    const question = await h.emulator.waitForMessage(pic.id, has("Balasan Anda: 98%"));
    const before = (await reportsOn(sk)).length;
    const errors = () => h.emulator.messages(pic.id).filter(has("terjadi kesalahan")).length;
    // The database refuses every new report, as a full disk would.
    await failReports(h, kind, true);
    try {
      await h.emulator.pressButton(pic, question, buttons(question).find((b) => b.text.includes("SK tim"))!.callback_data);
      await h.emulator.waitForMessage(pic.id, has("terjadi kesalahan"));
      await h.emulator.sendText(pic, "yang SK");
      await h.answered();
      expect(errors()).toBe(2);
    } finally {
      await failReports(h, kind, false);
    }
    expect(await reportsOn(sk)).toHaveLength(before);
    await h.emulator.sendText(pic, "yang SK");
    const saved = await h.emulator.waitForMessage(pic.id, has("Tersimpan"));
    expect(saved.plainText).toContain(sk);
    expect(saved.plainText).toContain("Bukti dukung: 1 berkas");
    const report = (await reportsOn(sk)).at(-1)!;
    expect(report).toMatchObject({ percent: 98, note: "tinggal diarsipkan" });
    expect(report.evidence.map((e) => e.messageId)).toEqual([photo.message_id]);
  });
});

/** Makes the database refuse (or accept again) every new progress report, with a trigger. */
async function failReports(h: Harness, kind: string, fail: boolean): Promise<void> {
  if (kind === "sqlite") {
    await h.db.$executeRawUnsafe(
      fail ? `CREATE TRIGGER "failReports" BEFORE INSERT ON "ProgressReport" BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END` : `DROP TRIGGER "failReports"`,
    );
    return;
  }
  if (fail) {
    await h.db.$executeRawUnsafe(`CREATE FUNCTION "failReports"() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk full (test)'; END $$ LANGUAGE plpgsql`);
    await h.db.$executeRawUnsafe(`CREATE TRIGGER "failReports" BEFORE INSERT ON "ProgressReport" FOR EACH ROW EXECUTE FUNCTION "failReports"()`);
  } else {
    await h.db.$executeRawUnsafe(`DROP TRIGGER "failReports" ON "ProgressReport"`);
    await h.db.$executeRawUnsafe(`DROP FUNCTION "failReports"()`);
  }
}
