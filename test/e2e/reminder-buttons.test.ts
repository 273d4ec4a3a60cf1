import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmuUser, SentMessage } from "../support/bot-api-emulator.js";
import { buttons, codeOf, databaseKinds, Harness, has } from "../support/harness.js";

// One tap from the reminder itself (issue 12 §2): ✅ Selesai, 📝 Lapor and ⏰ Besok under every
// reminder, a merged one's steps behind their numbers; each press checked on the server. Through
// the real bot, the Bot API emulator and `pantau remind`, on both databases, in the order a week
// of January 2022 brings it (program defaults: 08:00 WIB, H-3, H-1, H-0, overdue every three
// days, the head told three days after the first late day).

const rina: EmuUser = { id: 8201, first_name: "Rina", language_code: "id" };
const dewi: EmuUser = { id: 8202, first_name: "Dewi", language_code: "id" };
const sari: EmuUser = { id: 8203, first_name: "Sari", language_code: "id" };
const stranger: EmuUser = { id: 8204, first_name: "Budi", language_code: "id" };
const coordinator: EmuUser = { id: 8205, first_name: "Wati", language_code: "id" };

const sop = "Penyusunan SOP layanan";
const merged = ["Penetapan SK tim replikasi", "Sosialisasi layanan ke pelaku usaha", "Pelatihan petugas layanan"];

function planFile(firstDue: string): string {
  const row = (unit: string, code: string, initiative: string, step: string, due: string) =>
    ["Replikasi Inovasi 2022 Kabupaten Bangka Barat", "Kabupaten Bangka Barat", "WIB", unit, code, initiative, "Kota Batu", step, due, "1"].join(",");
  const rows = [
    "program,pemda,zona_waktu,opd,kode_opd,inovasi,asal,tahapan,tenggat,bobot",
    row("Dinas Pariwisata dan Kebudayaan", "BABAR-DISPARBUD", "SIP Banget", sop, "2022-01-14"),
    row("Dinas Pariwisata dan Kebudayaan", "BABAR-DISPARBUD", "SIP Banget", "Studi tiru ke Kota Batu", "2022-03-18"),
    row("Dinas Koperasi UKM dan Perindustrian", "BABAR-DISKOP", "Sibakul Jogja", merged[0]!, firstDue),
    row("Dinas Koperasi UKM dan Perindustrian", "BABAR-DISKOP", "Sibakul Jogja", merged[1]!, "2022-01-14"),
    row("Dinas Koperasi UKM dan Perindustrian", "BABAR-DISKOP", "Sibakul Jogja", merged[2]!, "2022-01-14"),
  ];
  const file = path.join(mkdtempSync(path.join(tmpdir(), "pantau-buttons-")), "rencana-aksi.csv");
  writeFileSync(file, rows.join("\n"));
  return file;
}

describe.each(await databaseKinds())("the buttons under a reminder on %s", (kind) => {
  let h: Harness;
  let rinaReminder: SentMessage;
  let dewiReminder: SentMessage;
  let sariReminder: SentMessage;
  /** The answer to Rina's third snooze, with its undo button. */
  let thirdSnooze: SentMessage;

  const stepOf = (title: string) => h.db.milestone.findFirstOrThrow({ where: { title } });
  const personOf = (user: EmuUser) => h.db.person.findUniqueOrThrow({ where: { telegramId: BigInt(user.id) } });
  const deliveryOf = async (message: SentMessage, title: string) =>
    h.db.delivery.findFirstOrThrow({ where: { chatId: BigInt(message.chat_id), messageId: message.message_id, milestoneId: (await stepOf(title)).id } });
  const snoozesOf = async (user: EmuUser, title: string) =>
    h.db.delivery.findMany({ where: { key: { startsWith: `snooze:${(await stepOf(title)).id}:${(await personOf(user)).id}:` } }, orderBy: { id: "asc" } });
  /** The message as the chat shows it now (its keyboard as last edited). */
  const current = (message: SentMessage) => h.emulator.messages(message.chat_id).find((m) => m.message_id === message.message_id)!;
  const labels = (message: SentMessage) => buttons(current(message)).map((b) => b.text);
  /** Presses the button labelled `text` of the message as it shows now; resolves with the answer to the press, once handled. */
  const tap = async (user: EmuUser, message: SentMessage, text: string) => {
    const button = buttons(current(message)).find((b) => b.text === text);
    expect(button, `a button "${text}" among ${labels(message).join(" | ")}`).toBeDefined();
    await h.emulator.pressButton(user, message, button!.callback_data);
    await h.answered(20_000);
    return h.emulator.callbackAnswers().at(-1)!;
  };
  const pass = async (at: string) => {
    const run = await h.cli("remind", "--at", at);
    expect(run.code, run.stderr).toBe(0);
    return run.stdout;
  };
  const next = (user: EmuUser, text: string) => h.emulator.waitForMessage(user.id, has(text), 20_000);

  beforeAll(async () => {
    h = await Harness.create(kind);
    expect((await h.cli("import", planFile("2022-01-14"))).code).toBe(0);
    // In quiet hours: the pass the bot runs at start owes the people joining nothing, so the
    // reminders below are the pass this test runs.
    h.clock = new Date("2022-01-10T22:00:00+07:00");
    await h.startBot();
    for (const [user, unit] of [
      [rina, "BABAR-DISPARBUD"],
      [dewi, "BABAR-DISPARBUD"],
      [sari, "BABAR-DISKOP"],
    ] as const) {
      await h.emulator.sendText(user, `/start ${codeOf((await h.cli("invite", "--unit", unit)).stdout)}`);
      await next(user, "Selamat bergabung");
    }
    await h.answered();
    h.clock = new Date("2022-01-11T09:00:00+07:00");
    // H-3 of Friday 14 January: Rina and Dewi are reminded of the SOP, Sari of her three steps in one message.
    expect(await pass("2022-01-11T08:05:00+07:00")).toMatch(/Terkirim 5,/);
    rinaReminder = await next(rina, "Pengingat tenggat (H-3)");
    dewiReminder = await next(dewi, "Pengingat tenggat (H-3)");
    sariReminder = await next(sari, "Pengingat: 3 tahapan");
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
  });

  it("when a reminder lists one step, then it carries one row: Selesai, Lapor, Besok, each naming its delivery in a few bytes", async () => {
    expect(rinaReminder.reply_markup!.inline_keyboard).toHaveLength(1);
    expect(labels(rinaReminder)).toEqual(["✅ Selesai", "📝 Lapor", "⏰ Besok"]);
    const { id } = await deliveryOf(rinaReminder, sop);
    expect(buttons(rinaReminder).map((b) => b.callback_data)).toEqual([`rm:d:${id}`, `rm:r:${id}`, `rm:s:${id}`]);
    expect(sariReminder.plainText).toContain("tekan nomor tahapannya di bawah");
  });

  it("when a reminder lists three steps, then it carries their numbers; a number opens that step's actions in place, and back shows the numbers again", async () => {
    expect(sariReminder.reply_markup!.inline_keyboard).toHaveLength(1);
    expect(labels(sariReminder)).toEqual(["1", "2", "3"]);
    const second = merged.find((t) => new RegExp(`2\\. ${t}`).test(sariReminder.plainText!))!;
    const opened = await tap(sari, sariReminder, "2");
    expect(opened.text).toBe(`Tahapan 2: ${second}`);
    expect(labels(sariReminder)).toEqual(["✅ Selesai", "📝 Lapor", "⏰ Besok", "⬅️ Kembali (tahapan 2)"]);
    const { id } = await deliveryOf(sariReminder, second);
    expect(buttons(current(sariReminder))[0]!.callback_data).toBe(`rm:d:${id}`);
    await tap(sari, sariReminder, "⬅️ Kembali (tahapan 2)");
    expect(labels(sariReminder)).toEqual(["1", "2", "3"]);
  });

  it("when someone else presses a reminder's button (forged data, another focal point, a stranger), then it is refused and nothing changes", async () => {
    const { id } = await deliveryOf(rinaReminder, sop);
    for (const user of [sari, stranger]) {
      await h.emulator.pressButton(user, rinaReminder, `rm:d:${id}`);
      await h.answered(20_000);
      expect(h.emulator.callbackAnswers().at(-1)).toMatchObject({
        text: "Pengingat ini untuk orang lain, jadi tombolnya tidak berlaku bagi Anda.",
        show_alert: true,
      });
    }
    await h.emulator.pressButton(sari, sariReminder, `rm:s:${id}`);
    await h.answered(20_000);
    expect(h.emulator.callbackAnswers().at(-1)?.text).toContain("untuk orang lain");
    await h.emulator.pressButton(rina, rinaReminder, "rm:d:987654");
    await h.answered(20_000);
    expect(h.emulator.callbackAnswers().at(-1)?.text).toBe("Tombol ini sudah tidak berlaku.");
    expect(await h.db.progressReport.count()).toBe(0);
    expect(await h.db.delivery.count({ where: { key: { startsWith: "snooze:" } } })).toBe(0);
    expect(await stepOf(sop)).toMatchObject({ progress: 0, status: "not_started" });
  });

  it("when Sari opens step 3 and presses Selesai, then it is recorded done with the report's answer and undo; a second press is refused; undo restores it", async () => {
    const third = merged.find((t) => new RegExp(`3\\. ${t}`).test(sariReminder.plainText!))!;
    await tap(sari, sariReminder, "3");
    await tap(sari, sariReminder, "✅ Selesai");
    const saved = await next(sari, "Tersimpan");
    expect(saved.plainText).toContain(`${third} — selesai (100%)`);
    expect(saved.reply_to_message_id).toBe(sariReminder.message_id);
    expect(buttons(saved).map((b) => b.text)).toEqual(["↩️ Urungkan"]);
    expect(await stepOf(third)).toMatchObject({ progress: 100, status: "done" });
    const [report] = await h.db.progressReport.findMany({ where: { milestoneId: (await stepOf(third)).id } });
    expect(report).toMatchObject({ percent: 100, status: "done", source: "button", deliveryId: (await deliveryOf(sariReminder, third)).id });

    const again = await tap(sari, sariReminder, "✅ Selesai");
    expect(again).toMatchObject({ text: "Tahapan ini sudah selesai (100%) sejak pengingat ini dikirim. Tidak ada yang diubah.", show_alert: true });
    expect(await h.db.progressReport.count({ where: { milestoneId: (await stepOf(third)).id } })).toBe(1);

    await tap(sari, saved, "↩️ Urungkan");
    await h.emulator.waitForEdit(sari.id, saved.message_id, has("diurungkan"), 20_000);
    expect(await stepOf(third)).toMatchObject({ progress: 0, status: "not_started" });
    await tap(sari, sariReminder, "⬅️ Kembali (tahapan 3)");
  });

  it("when Sari opens step 1 and presses Lapor, then the guided report opens on that step, and saving it records there", async () => {
    const first = merged.find((t) => new RegExp(`1\\. ${t}`).test(sariReminder.plainText!))!;
    await tap(sari, sariReminder, "1");
    await tap(sari, sariReminder, "📝 Lapor");
    const percent = await next(sari, "Progres terakhir: 0%");
    expect(percent.plainText).toContain(first);
    expect(h.emulator.messages(sari.id).filter(has("Tahapan mana"))).toHaveLength(0);
    await tap(sari, percent, "50%");
    await next(sari, "catatan");
    await h.emulator.sendText(sari, "draf SK sedang disusun");
    const confirm = await next(sari, "Simpan?");
    await tap(sari, confirm, "✅ Simpan");
    expect((await next(sari, "Tersimpan")).plainText).toContain(`${first} — 50%`);
    expect(await stepOf(first)).toMatchObject({ progress: 50, status: "in_progress" });
    expect(await h.db.progressReport.findFirst({ where: { milestoneId: (await stepOf(first)).id } })).toMatchObject({
      source: "flow",
      note: "draf SK sedang disusun",
    });
    // Reported since the reminder went out: its buttons for that step no longer act.
    const stale = await tap(sari, sariReminder, "⏰ Besok");
    expect(stale).toMatchObject({ show_alert: true });
    expect(stale.text).toContain("Sudah ada laporan baru sejak pengingat ini dikirim: progres kini 50% (11 Jan 2022)");
    await tap(sari, sariReminder, "⬅️ Kembali (tahapan 1)");
  });

  it("when Rina presses Besok, then one reminder is planned for Wednesday 08:00 WIB (a double tap makes no second), and the pass then brings it", async () => {
    h.clock = new Date("2022-01-11T10:00:00+07:00");
    await tap(rina, rinaReminder, "⏰ Besok");
    const answer = await next(rina, "diingatkan lagi");
    expect(answer.plainText).toBe(
      `⏰ Baik, ${sop} diingatkan lagi Rabu, 12 Januari 2022 pukul 08.00 WIB.\nPenundaan ke-1 dari paling banyak 3. Salah tekan? Tekan ↩️ Urungkan.`,
    );
    expect(answer.reply_to_message_id).toBe(rinaReminder.message_id);
    expect(buttons(answer).map((b) => b.text)).toEqual(["↩️ Urungkan"]);
    const twice = await tap(rina, rinaReminder, "⏰ Besok");
    expect(twice.text).toBe("Sudah: diingatkan lagi Rabu, 12 Januari 2022 pukul 08.00 WIB.");
    const [snooze, ...more] = await snoozesOf(rina, sop);
    expect(more).toHaveLength(0);
    expect(snooze).toMatchObject({ status: "pending", kind: "reminder", dueAt: new Date("2022-01-12T01:00:00Z") });
    expect(await h.db.auditLog.count({ where: { action: "reminder.snooze" } })).toBe(1);

    // Not before its time.
    expect(await pass("2022-01-12T07:55:00+07:00")).toContain("Tidak ada pengingat yang jatuh tempo");
    expect(await pass("2022-01-12T08:05:00+07:00")).toMatch(/Terkirim 1,/);
    const again = await next(rina, "Pengingat tenggat (H-2)");
    expect(again.plainText).toContain(sop);
    expect(labels(again)).toEqual(["✅ Selesai", "📝 Lapor", "⏰ Besok"]);
    expect((await snoozesOf(rina, sop))[0]).toMatchObject({ status: "sent", messageId: again.message_id });
    rinaReminder = again;
  });

  it("when a snooze is undone, it is cancelled; a regular reminder due with a snooze comes once; the fourth snooze and an undo after sending are refused", async () => {
    h.clock = new Date("2022-01-12T09:00:00+07:00");
    await tap(rina, rinaReminder, "⏰ Besok");
    const second = await next(rina, "Penundaan ke-2");
    await tap(rina, second, "↩️ Urungkan");
    const undone = await h.emulator.waitForEdit(rina.id, second.message_id, has("Penundaan diurungkan"), 20_000);
    expect(undone.plainText).toBe(`↩️ Penundaan diurungkan: ${sop} tidak jadi diingatkan lagi Kamis, 13 Januari 2022 pukul 08.00 WIB.`);
    expect((await snoozesOf(rina, sop)).map((s) => s.status)).toEqual(["sent", "cancelled"]);
    // An undone snooze does not count: the next is the second again, the same row pending again.
    await tap(rina, rinaReminder, "⏰ Besok");
    await next(rina, "Penundaan ke-2");
    expect((await snoozesOf(rina, sop)).map((s) => s.status)).toEqual(["sent", "pending"]);

    // Thursday is H-1 too: Rina's snooze is that reminder (one message naming the step once); Dewi and Sari get theirs.
    const before = h.emulator.messages(rina.id).length;
    expect(await pass("2022-01-13T08:05:00+07:00")).toMatch(/Terkirim 5,/);
    rinaReminder = await next(rina, "Pengingat tenggat (H-1)");
    await next(dewi, "Pengingat tenggat (H-1)");
    expect(h.emulator.messages(rina.id).slice(before)).toHaveLength(1);
    const regular = await h.db.delivery.findUniqueOrThrow({ where: { key: `reminder:${(await stepOf(sop)).id}:${(await personOf(rina)).id}:2022-01-13` } });
    expect(regular).toMatchObject({ status: "cancelled", error: `held back by snooze ${(await snoozesOf(rina, sop))[1]!.id}` });

    h.clock = new Date("2022-01-13T09:00:00+07:00");
    await tap(rina, rinaReminder, "⏰ Besok");
    thirdSnooze = await next(rina, "Penundaan ke-3 dari paling banyak 3");
    expect(await pass("2022-01-14T08:05:00+07:00")).toMatch(/Terkirim 5,/);
    rinaReminder = await next(rina, "Pengingat tenggat (H-0)");
    dewiReminder = await next(dewi, "Pengingat tenggat (H-0)");

    h.clock = new Date("2022-01-14T09:00:00+07:00");
    const fourth = await tap(rina, rinaReminder, "⏰ Besok");
    expect(fourth).toMatchObject({
      text: "Pengingat tahapan ini sudah 3 kali ditunda (batasnya 3 kali). Laporkan progresnya dengan ✅ Selesai atau 📝 Lapor.",
      show_alert: true,
    });
    expect(await snoozesOf(rina, sop)).toHaveLength(3);
    const late = await tap(rina, thirdSnooze, "↩️ Urungkan");
    expect(late).toMatchObject({ text: "Pengingat itu sudah terkirim, jadi penundaannya tidak bisa diurungkan lagi.", show_alert: true });
  });

  it("when Dewi reports the SOP after Rina's reminder was sent, then Rina's buttons are refused with what it is now; once Dewi is removed, hers are refused too", async () => {
    h.clock = new Date("2022-01-14T10:00:00+07:00");
    const confirm = await h.draftReport(dewi, "SOP", "75%", "tinggal tanda tangan");
    await tap(dewi, confirm, "✅ Simpan");
    await next(dewi, "Tersimpan");
    const refused = await tap(rina, rinaReminder, "✅ Selesai");
    expect(refused).toMatchObject({
      text: "Sudah ada laporan baru sejak pengingat ini dikirim: progres kini 75% (14 Jan 2022). Tidak ada yang diubah; lihat /tugas.",
      show_alert: true,
    });
    expect(await stepOf(sop)).toMatchObject({ progress: 75, status: "in_progress" });

    const removed = await h.cli("remove", "--person", String(dewi.id));
    expect(removed.code, removed.stderr).toBe(0);
    const gone = await tap(dewi, dewiReminder, "⏰ Besok");
    expect(gone).toMatchObject({
      text: "Anda tidak lagi bisa melapor untuk tahapan ini, jadi tombol ini tidak berlaku. Tidak ada yang diubah.",
      show_alert: true,
    });
    expect(await snoozesOf(dewi, sop)).toHaveLength(0);
  });

  it("when a step is overdue it may be snoozed until the head would be told; a snooze reaching that moment is refused and says when", async () => {
    expect(await pass("2022-01-15T08:05:00+07:00")).toMatch(/Terkirim 4,/);
    sariReminder = await next(sari, "lewat 1 hari");
    expect(sariReminder.plainText).toContain("Pengingat: 3 tahapan");
    const number = (title: string) => new RegExp(`(\\d+)\\. ${title}`).exec(sariReminder.plainText!)![1]!;

    h.clock = new Date("2022-01-15T09:00:00+07:00");
    await tap(sari, sariReminder, number(merged[1]!));
    await tap(sari, sariReminder, "⏰ Besok");
    expect((await next(sari, "diingatkan lagi")).plainText).toContain("Minggu, 16 Januari 2022 pukul 08.00 WIB");
    expect((await snoozesOf(sari, merged[1]!))[0]).toMatchObject({ kind: "overdue", status: "pending" });
    // Pressed again early on Sunday, before that snooze came: it moves to Monday (one reminder, not two).
    h.clock = new Date("2022-01-16T07:00:00+07:00");
    await tap(sari, sariReminder, "⏰ Besok");
    const moved = await next(sari, "Penundaan ke-2");
    expect(moved.plainText).toContain("Senin, 17 Januari 2022 pukul 08.00 WIB");
    expect((await snoozesOf(sari, merged[1]!)).map((s) => s.status)).toEqual(["cancelled", "pending"]);
    // That second press undone, the first snooze stands again: Sunday's reminder comes.
    await tap(sari, moved, "↩️ Urungkan");
    const undone = await h.emulator.waitForEdit(sari.id, moved.message_id, has("Penundaan diurungkan"), 20_000);
    expect(undone.plainText).toBe(
      `↩️ Penundaan diurungkan: ${merged[1]} tidak jadi diingatkan lagi Senin, 17 Januari 2022 pukul 08.00 WIB. Penundaan sebelumnya berlaku lagi: diingatkan Minggu, 16 Januari 2022 pukul 08.00 WIB.`,
    );
    expect((await snoozesOf(sari, merged[1]!)).map((s) => s.status)).toEqual(["pending", "cancelled"]);
    expect(await pass("2022-01-16T08:05:00+07:00")).toMatch(/Terkirim 1,/);
    const sunday = await next(sari, "lewat 2 hari");
    expect(sunday.plainText).toContain(merged[1]);
    expect((await snoozesOf(sari, merged[1]!)).map((s) => s.status)).toEqual(["sent", "cancelled"]);
    await tap(sari, sariReminder, `⬅️ Kembali (tahapan ${number(merged[1]!)})`);

    // Monday: tomorrow's send hour is when the head is told (three days after Saturday, the first late day).
    h.clock = new Date("2022-01-17T10:00:00+07:00");
    await tap(sari, sariReminder, number(merged[2]!));
    const refused = await tap(sari, sariReminder, "⏰ Besok");
    expect(refused).toMatchObject({
      text: "Tidak bisa ditunda: Selasa, 18 Januari 2022 pukul 08.00 WIB tahapan ini dilaporkan ke kepala unit, sebelum pengingat besok. Laporkan progresnya sekarang dengan 📝 Lapor.",
      show_alert: true,
    });
    expect(await snoozesOf(sari, merged[2]!)).toHaveLength(0);

    // Past that moment, the refusal does not say the head was told: the unit has no head in Pantau, nobody was.
    h.clock = new Date("2022-01-18T09:00:00+07:00");
    expect(await tap(sari, sariReminder, "⏰ Besok")).toMatchObject({
      text: "Tidak bisa ditunda lagi: sejak Selasa, 18 Januari 2022 pukul 08.00 WIB tahapan ini menunggu dilaporkan ke kepala unit. Laporkan progresnya dengan 📝 Lapor.",
      show_alert: true,
    });
    expect(await snoozesOf(sari, merged[2]!)).toHaveLength(0);
  });

  it("when an import moves a step's due date after its reminder was sent, then its buttons are refused with the new date", async () => {
    h.clock = new Date("2022-01-17T11:00:00+07:00");
    expect((await h.cliOnClock("import", planFile("2022-01-31"))).code).toBe(0);
    const number = new RegExp(`(\\d+)\\. ${merged[0]}`).exec(sariReminder.plainText!)![1]!;
    await tap(sari, sariReminder, `⬅️ Kembali (tahapan ${new RegExp(`(\\d+)\\. ${merged[2]}`).exec(sariReminder.plainText!)![1]})`);
    await tap(sari, sariReminder, number);
    const refused = await tap(sari, sariReminder, "✅ Selesai");
    expect(refused).toMatchObject({
      text: "Tenggat tahapan ini diubah sejak pengingat ini dikirim, kini Senin, 31 Januari 2022. Tidak ada yang diubah; lihat /tugas.",
      show_alert: true,
    });
    expect(await stepOf(merged[0]!)).toMatchObject({ progress: 50, status: "in_progress" });
  });

  it("when a coordinator nudges, then the nudge carries the same buttons, and Selesai on it records the step done", async () => {
    h.clock = new Date("2022-01-17T12:00:00+07:00");
    await h.emulator.sendText(coordinator, `/start ${codeOf((await h.cli("invite", "--role", "koordinator")).stdout)}`);
    await next(coordinator, "Selamat bergabung");
    await h.emulator.sendText(coordinator, `/ingatkan BABAR-DISPARBUD ${sop}`);
    await next(coordinator, "Diingatkan sekarang");
    const nudge = await next(rina, "Koordinator mengingatkan");
    expect(labels(nudge)).toEqual(["✅ Selesai", "📝 Lapor", "⏰ Besok"]);
    await tap(rina, nudge, "✅ Selesai");
    expect((await next(rina, "Tersimpan")).plainText).toContain(`${sop} — selesai (100%)`);
    expect(await stepOf(sop)).toMatchObject({ progress: 100, status: "done" });
    expect((await h.db.progressReport.findFirst({ where: { milestoneId: (await stepOf(sop)).id }, orderBy: { id: "desc" } }))?.deliveryId).toBe(
      (await deliveryOf(nudge, sop)).id,
    );
  });
});
