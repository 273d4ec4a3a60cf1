import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmuUser, SentMessage } from "../support/bot-api-emulator.js";
import { buttons, codeOf, databaseKinds, examplePlan, Harness } from "../support/harness.js";

// Leave and deputies (/cuti, /away): focal points and heads of Kabupaten Bangka Barat's units say
// they are away until a day; meanwhile their reminders go to the unit's other focal point, or to
// its head, saying whose they are; a head away is not told of a silent step and the coordinator
// reads so; days the whole unit is away do not count towards escalation; coordinators see who is
// away in /rekap and /jangkauan. Through the real bot, the Bot API emulator and `pantau remind`.

const babar = "Replikasi Inovasi 2022 Kabupaten Bangka Barat";

const rina: EmuUser = { id: 8201, first_name: "Rina", language_code: "id" };
const dodi: EmuUser = { id: 8202, first_name: "Dodi", language_code: "id" };
const hendra: EmuUser = { id: 8203, first_name: "Hendra", language_code: "id" };
const sari: EmuUser = { id: 8204, first_name: "Sari", language_code: "id" };
const yanto: EmuUser = { id: 8205, first_name: "Yanto", language_code: "id" };
const tono: EmuUser = { id: 8206, first_name: "Tono", language_code: "id" };
const joko: EmuUser = { id: 8207, first_name: "Joko", language_code: "id" };
const dewi: EmuUser = { id: 8208, first_name: "Dewi", language_code: "en" };
const ani: EmuUser = { id: 8209, first_name: "Ani", language_code: "id" };
const wati: EmuUser = { id: 8210, first_name: "Wati", language_code: "id" };
// The health office, in two programs: Nia is focal point for the first only, Budi for the second.
const nia: EmuUser = { id: 8211, first_name: "Nia", language_code: "id" };
const budi: EmuUser = { id: 8212, first_name: "Budi", language_code: "id" };
const rudi: EmuUser = { id: 8213, first_name: "Rudi", language_code: "id" };
const lina: EmuUser = { id: 8214, first_name: "Lina", language_code: "id" };
const programA = "Program Kesehatan A 2022";
const programB = "Program Kesehatan B 2022";

/** A plan of one step in each of the two programs for the health office, due on 7 March 2022. */
function healthPlan(): string {
  const row = (program: string, step: string) =>
    [program, "Kabupaten Bangka Barat", "WIB", "Dinas Kesehatan", "BABAR-DINKES", "Posyandu digital", "Kota Batu", step, "2022-03-07", "1"].join(",");
  const file = path.join(mkdtempSync(path.join(tmpdir(), "pantau-away-")), "rencana-aksi.csv");
  writeFileSync(
    file,
    ["program,pemda,zona_waktu,opd,kode_opd,inovasi,asal,tahapan,tenggat,bobot", row(programA, "SOP posyandu A"), row(programB, "SOP posyandu B")].join("\n"),
  );
  return file;
}

describe.each(await databaseKinds())("leave and deputies on %s", (kind) => {
  let h: Harness;

  const has = (text: string) => (m: SentMessage) => !!m.plainText?.includes(text);
  const ask = async (user: EmuUser, text: string, contains: string) => {
    await h.emulator.sendText(user, text);
    return h.emulator.waitForMessage(user.id, has(contains), 20_000);
  };
  const press = async (user: EmuUser, message: SentMessage, label: string) => {
    const button = buttons(message).find((b) => b.text.includes(label));
    expect(button, `a button "${label}" in: ${message.plainText}`).toBeDefined();
    await h.emulator.pressButton(user, message, button!.callback_data);
  };
  const edited = (user: EmuUser, message: SentMessage, contains: string) => h.emulator.waitForEdit(user.id, message.message_id, has(contains), 20_000);
  const join = async (user: EmuUser, ...inviteArgs: string[]) => {
    const made = await h.cli("invite", ...inviteArgs);
    expect(made.code, made.stderr).toBe(0);
    await h.emulator.sendText(user, `/start ${codeOf(made.stdout)}`);
    await h.emulator.waitForMessage(user.id, (m) => /Selamat bergabung|Welcome/.test(m.plainText ?? ""), 20_000);
  };
  const leavesOf = (user: EmuUser) =>
    h.db.leave.findMany({ where: { person: { telegramId: BigInt(user.id) } }, select: { firstDay: true, lastDay: true }, orderBy: { id: "asc" } });
  const auditOf = (user: EmuUser) =>
    h.db.auditLog.findMany({ where: { actorTelegramId: BigInt(user.id), action: { startsWith: "leave." } }, orderBy: { id: "asc" } });
  /** Runs a reminder pass at that moment and returns what each person got from it. */
  const pass = async (at: string) => {
    const before = new Map(everyone.map((u) => [u.id, h.emulator.messages(u.id).length]));
    const run = await h.cli("remind", "--at", at);
    expect(run.code, run.stderr).toBe(0);
    return (user: EmuUser) => h.emulator.messages(user.id).slice(before.get(user.id)!);
  };
  const everyone = [rina, dodi, hendra, sari, yanto, tono, joko, dewi, ani, wati, nia, budi, rudi, lina];
  /** Presses ⏰ Besok under a reminder for that step (opening its number first in a merged one); the alert or the answer. */
  const snooze = async (user: EmuUser, reminder: SentMessage, title: string) => {
    const current = () => h.emulator.messages(user.id).find((m) => m.message_id === reminder.message_id)!;
    const number = new RegExp(`(\\d+)\\. ${title}`).exec(reminder.plainText!)?.[1];
    if (number) {
      await press(user, current(), number);
      await h.answered(20_000);
    }
    const last = h.emulator.messages(user.id).at(-1)!.message_id;
    await press(user, current(), "⏰ Besok");
    await h.answered(20_000);
    const alert = h.emulator.callbackAnswers().at(-1)!;
    return alert.show_alert ? alert.text! : (await h.emulator.waitForMessage(user.id, (m) => m.message_id > last, 20_000)).plainText!;
  };

  beforeAll(async () => {
    h = await Harness.create(kind);
    expect((await h.cli("import", examplePlan)).code).toBe(0);
    // Monday's weekly digests have tests of their own (digests.test.ts).
    await h.db.program.updateMany({ data: { digestEnabled: false } });
    h.clock = new Date("2022-01-05T09:00:00+07:00");
    await h.startBot();
    await join(rina, "--unit", "BABAR-DISPARBUD");
    await join(dodi, "--unit", "BABAR-DISPARBUD");
    await join(hendra, "--unit", "BABAR-DISPARBUD", "--role", "kepala");
    await join(sari, "--unit", "BABAR-DISKOPUKMPERIN");
    await join(yanto, "--unit", "BABAR-DISKOPUKMPERIN", "--role", "kepala");
    await join(tono, "--unit", "BABAR-DISTANPANGAN");
    await join(joko, "--unit", "BABAR-DISTANPANGAN", "--role", "kepala");
    await join(dewi, "--unit", "BABAR-DISDIKPORA");
    await join(ani, "--unit", "BABAR-DISDIKPORA");
    await join(wati, "--role", "koordinator", "--program", babar);
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
  });

  it("when a focal point presses a span under /cuti, then their leave is recorded and audited, and /cuti shows it with the way back", async () => {
    const menu = (user: EmuUser) => h.emulator.menuFor({ type: "chat", chat_id: user.id }).map((c) => c.command);
    expect(menu(rina)).toContain("cuti");
    expect(menu(hendra)).toContain("cuti");
    expect(menu(dewi)).toContain("away");
    expect(menu(wati)).not.toContain("cuti");

    const offer = await ask(rina, "/cuti", "Anda sedang tidak cuti");
    expect(buttons(offer).map((b) => b.text)).toEqual([
      "3 hari (s.d. 8 Jan 2022)",
      "1 minggu (s.d. 12 Jan 2022)",
      "2 minggu (s.d. 19 Jan 2022)",
      "📅 Sampai tanggal…",
      "Batal",
    ]);
    await press(rina, offer, "1 minggu");
    const done = await edited(rina, offer, "Dicatat");
    expect(done.plainText).toContain("Dicatat: Anda cuti sampai Rabu, 12 Januari 2022.");
    expect(done.plainText).toContain("mulai Kamis, 13 Januari 2022 Anda menerimanya lagi");
    expect(await leavesOf(rina)).toEqual([{ firstDay: "2022-01-05", lastDay: "2022-01-12" }]);
    const [row] = await auditOf(rina);
    expect(row).toMatchObject({
      action: "leave.set",
      entity: "leave",
      targetName: "Rina",
      after: JSON.stringify({ firstDay: "2022-01-05", lastDay: "2022-01-12" }),
    });

    // The same button again: its step is spent, and nothing changes.
    await press(rina, offer, "2 minggu");
    await h.answered();
    expect(h.emulator.callbackAnswers().at(-1)?.text).toContain("tidak berlaku");
    expect(await leavesOf(rina)).toEqual([{ firstDay: "2022-01-05", lastDay: "2022-01-12" }]);

    const status = await ask(rina, "/cuti", "Anda sedang cuti");
    expect(status.plainText).toContain("Anda sedang cuti sampai Rabu, 12 Januari 2022");
    expect(buttons(status).map((b) => b.text)).toContain("✅ Saya sudah kembali");
    await press(rina, status, "Batal");
    await edited(rina, status, "Tidak ada yang diubah");
    expect(await auditOf(rina)).toHaveLength(1);
  });

  it("when a date typed is not a day, not after today, or too far, then the answer says why and nothing changes; a good one is recorded", async () => {
    expect((await ask(sari, "/cuti besok lusa", "bukan tanggal")).plainText).toContain('"besok lusa" bukan tanggal yang saya kenali');
    expect((await ask(sari, "/cuti 5 Januari", "setelah hari ini")).plainText).toBe(
      "Hari terakhir cuti harus setelah hari ini (Rabu, 5 Januari 2022). Tidak ada yang diubah.",
    );
    expect((await ask(sari, "/cuti 4/1/2022", "setelah hari ini")).plainText).toContain("Tidak ada yang diubah");
    expect((await ask(sari, "/cuti 2022-06-30", "paling lama")).plainText).toBe(
      "Cuti paling lama 90 hari, yaitu sampai Selasa, 5 April 2022. Tidak ada yang diubah.",
    );
    expect(await leavesOf(sari)).toEqual([]);
    expect(await auditOf(sari)).toEqual([]);
    // What was typed comes back as typed.
    expect((await ask(sari, "/cuti 5 & 6 Jan", "bukan tanggal")).plainText).toContain('"5 & 6 Jan" bukan tanggal yang saya kenali');

    // A forged button naming a day the calendar does not have ("40 January", within 90 days) is refused.
    const forged = await ask(sari, "/cuti", "Anda sedang tidak cuti");
    const [data] = buttons(forged).map((b) => b.callback_data);
    await h.emulator.pressButton(sari, forged, data!.replace(/\d{4}-\d{2}-\d{2}$/, "2022-01-40"));
    expect((await edited(sari, forged, "bukan tanggal")).plainText).toContain('"2022-01-40" bukan tanggal yang saya kenali');
    expect(await leavesOf(sari)).toEqual([]);
    expect(await auditOf(sari)).toEqual([]);

    // The buttons come again below.
    const offer = await h.emulator.waitForMessage(sari.id, (m) => m.message_id > forged.message_id && has("Anda sedang tidak cuti")(m), 20_000);
    await press(sari, offer, "Sampai tanggal");
    await edited(sari, offer, "Sampai tanggal berapa");
    expect((await ask(sari, "32 Januari", "bukan tanggal")).plainText).toContain("Tidak ada yang diubah");
    expect((await ask(sari, "2022-05-01", "paling lama")).plainText).toContain("Tidak ada yang diubah");
    expect(await leavesOf(sari)).toEqual([]);
    // Still asked: the next try is read as the date.
    expect((await ask(sari, "20 Januari", "Dicatat")).plainText).toContain("Anda cuti sampai Kamis, 20 Januari 2022");
    expect(await leavesOf(sari)).toEqual([{ firstDay: "2022-01-05", lastDay: "2022-01-20" }]);
  });

  it("when a head writes 'cuti sampai 20 Januari', then it is their leave; the same words from a coordinator are not", async () => {
    expect((await ask(hendra, "cuti sampai 20 Januari", "Dicatat")).plainText).toContain("Anda cuti sampai Kamis, 20 Januari 2022");
    expect(await leavesOf(hendra)).toEqual([{ firstDay: "2022-01-05", lastDay: "2022-01-20" }]);
    await ask(wati, "cuti sampai 20 Januari", "tidak mengerti");
    expect(await leavesOf(wati)).toEqual([]);
  });

  it("when an English focal point uses /away, then it answers in English, and /away off ends a leave begun today", async () => {
    const offer = await ask(dewi, "/away", "You are not away");
    expect(buttons(offer)[0]!.text).toBe("3 days (until 8 Jan 2022)");
    await press(dewi, offer, "Cancel");
    await edited(dewi, offer, "Nothing was changed");
    expect((await ask(dewi, "/away 10 January", "Noted")).plainText).toContain("Noted: you are away until Monday, 10 January 2022.");
    expect((await ask(dewi, "/away off", "Welcome back")).plainText).toBe("✅ Welcome back! Your leave ended today; your reminders come to you again.");
    expect(await leavesOf(dewi)).toEqual([]);
    expect((await auditOf(dewi)).map((a) => a.action)).toEqual(["leave.set", "leave.end"]);
    expect((await ask(dewi, "/away off", "not away")).plainText).toBe("You are not away. Nothing was changed.");
  });

  it("when a focal point is away, then the pass sends their unit's reminders to the other focal point, saying whose they are, and none to them", async () => {
    // 7 January: "SK tim replikasi" is due (H-0) and "Penyusunan SOP layanan" a week later (H-7).
    const got = await pass("2022-01-07T08:05:00+07:00");
    expect(got(rina)).toEqual([]);
    expect(got(dodi)).toHaveLength(1);
    const text = got(dodi)[0]!.plainText!;
    expect(text).toContain("Pengingat: 2 tahapan");
    // Dodi is a focal point of the unit too: reminded anyway, he is told who is away, not that it is in her stead.
    expect(text.match(/🏖 Rina sedang cuti sampai Rabu, 12 Januari 2022\./g)).toHaveLength(2);
    expect(text).not.toContain("Anda menerima pengingat ini karena");
    expect(await h.db.delivery.count({ where: { person: { telegramId: BigInt(rina.id) } } })).toBe(0);
  });

  it("when people are away, then the coordinator's recap marks their units and reach lists them with their last day", async () => {
    h.clock = new Date("2022-01-07T09:00:00+07:00");
    const recap = await ask(wati, "/rekap", "Rekap");
    const line = (unit: string) => recap.plainText!.split("\n").find((l) => l.includes(unit)) ?? "";
    // Rina back after the 12th, Hendra after the 20th: the unit's first return.
    expect(line("Dinas Pariwisata dan Kebudayaan")).toContain("🏖 cuti s.d. 12 Jan");
    expect(line("Dinas Koperasi")).toContain("🏖 cuti s.d. 20 Jan");
    expect(line("Dinas Pertanian dan Pangan")).not.toContain("🏖");

    const reach = await ask(wati, "/jangkauan", "Jangkauan");
    expect(reach.plainText).toContain(
      [
        "Sedang cuti (3):",
        "• Rina — narahubung (PIC), Dinas Pariwisata dan Kebudayaan, sampai Rabu, 12 Januari 2022",
        "• Hendra — kepala unit, Dinas Pariwisata dan Kebudayaan, sampai Kamis, 20 Januari 2022",
        "• Sari — narahubung (PIC), Dinas Koperasi, UKM dan Perindustrian, sampai Kamis, 20 Januari 2022",
      ].join("\n"),
    );
  });

  it("when the head is away on the day a silent step is theirs to hear of, then they are not told, and the coordinator reads that the head is away", async () => {
    // "SK tim replikasi" (due 7 January) is silent: the head's day is the 11th, the coordinators' the 15th.
    const head = await pass("2022-01-11T08:05:00+07:00");
    expect(head(hendra)).toEqual([]);
    expect(await h.db.delivery.count({ where: { kind: "escalation_head" } })).toBe(0);

    h.clock = new Date("2022-01-11T09:00:00+07:00");
    await ask(ani, "/cuti 18 Januari", "Dicatat");

    // Dodi (standing in for Rina) may not snooze the step past the head's day, and is not told the head heard of it.
    const reminder = head(dodi).find(has("SK tim replikasi"))!;
    expect(await snooze(dodi, reminder, "SK tim replikasi")).toBe(
      "Tidak bisa ditunda lagi: sejak Selasa, 11 Januari 2022 pukul 08.00 WIB tahapan ini menunggu dilaporkan ke kepala unit, yang cuti s.d. 20 Jan 2022. Laporkan progresnya dengan 📝 Lapor.",
    );

    const coordinator = await pass("2022-01-15T08:05:00+07:00");
    const escalation = coordinator(wati).find(has("Eskalasi"));
    expect(escalation?.plainText).toContain("Dinas Pariwisata dan Kebudayaan (Kabupaten Bangka Barat)");
    expect(escalation?.plainText).toContain("Kepala unit sedang cuti sampai 20 Jan 2022, jadi belum diberi tahu.");
    expect(escalation?.plainText).not.toContain("Kepala unit sudah diberi tahu");

    // Ani is away: Dewi, in English, gets the unit's H-14 reminder of "SK tim replikasi" (due the 28th), saying why.
    expect(coordinator(ani)).toEqual([]);
    expect(
      coordinator(dewi)
        .map((m) => m.plainText)
        .join("\n"),
    ).toContain("🏖 Ani is away until Tuesday, 18 January 2022.");
  });

  it("when the only focal point is away, then the head gets the reminder, saying so, and may answer it with a report", async () => {
    // "SK tim replikasi" of the cooperatives office is due on the 31st: H-14 on the 17th.
    const got = await pass("2022-01-17T08:05:00+07:00");
    expect(got(sari)).toEqual([]);
    const reminder = got(yanto).find(has("Pengingat tenggat (H-14)"));
    expect(reminder?.plainText).toContain("Unit: Dinas Koperasi, UKM dan Perindustrian");
    expect(reminder?.plainText).toContain("🏖 Anda menerima pengingat ini karena Sari sedang cuti sampai Kamis, 20 Januari 2022.");

    await h.emulator.sendText(yanto, "50% draf SK sudah disusun", { replyTo: reminder!.message_id });
    expect((await h.emulator.waitForMessage(yanto.id, has("Tersimpan"), 20_000)).plainText).toContain("Tersimpan: SK tim replikasi — 50%");
    const step = await h.db.milestone.findFirstOrThrow({
      where: { title: "SK tim replikasi", initiative: { unit: { code: "BABAR-DISKOPUKMPERIN" } } },
      include: { reports: { include: { person: true } } },
    });
    expect(step.progress).toBe(50);
    expect(step.reports.map((r) => r.person?.firstName)).toEqual(["Yanto"]);

    // A coordinator's nudge follows the same rule, and says so.
    h.clock = new Date("2022-01-17T10:00:00+07:00");
    const nudged = await ask(wati, "/ingatkan BABAR-DISKOPUKMPERIN", "Diingatkan sekarang");
    expect(nudged.plainText).toContain("🏖 Semua PIC unit ini sedang cuti: pengingat dikirim kepada kepala unit.");
    const nudge = await h.emulator.waitForMessage(yanto.id, has("Koordinator mengingatkan"), 20_000);
    expect(nudge.plainText).toContain("🏖 Anda menerima pengingat ini karena Sari sedang cuti sampai Kamis, 20 Januari 2022.");
    expect(h.emulator.messages(sari.id).filter(has("Koordinator mengingatkan"))).toEqual([]);

    // Standing in, the head walks the guided report from the nudge's 📝 Lapor to the end (and
    // undoes it, reported on since the nudge: Sari is still away, so the step is still his).
    h.clock = new Date("2022-01-17T10:05:00+07:00");
    await press(yanto, nudge, "📝 Lapor");
    const percent = await h.emulator.waitForMessage(yanto.id, has("Progres terakhir: 50%"), 20_000);
    await press(yanto, percent, "75%");
    await h.emulator.waitForMessage(yanto.id, has("catatan"), 20_000);
    await h.emulator.sendText(yanto, "SK tinggal ditandatangani bupati");
    const confirm = await h.emulator.waitForMessage(yanto.id, has("Simpan?"), 20_000);
    await press(yanto, confirm, "✅ Simpan");
    expect((await h.emulator.waitForMessage(yanto.id, has("Tersimpan: SK tim replikasi — 75%"), 20_000)).plainText).toContain(
      "SK tinggal ditandatangani bupati",
    );
    expect((await h.db.milestone.findUniqueOrThrow({ where: { id: step.id } })).progress).toBe(75);

    // And undoes it, as a focal point would.
    const saved = h.emulator.messages(yanto.id).findLast(has("Tersimpan: SK tim replikasi — 75%"))!;
    await press(yanto, saved, "Urungkan");
    await edited(yanto, saved, "diurungkan");
    expect((await h.db.milestone.findUniqueOrThrow({ where: { id: step.id } })).progress).toBe(50);
  });

  it("when the leave has ended, then the focal point is reminded again and the head is not; a head back hears of the step still silent", async () => {
    const got = await pass("2022-01-24T08:05:00+07:00");
    expect(
      got(sari)
        .map((m) => m.plainText)
        .join("\n"),
    ).toContain("Pengingat tenggat (H-7)");
    expect(
      got(sari)
        .map((m) => m.plainText)
        .join("\n"),
    ).not.toContain("🏖");
    expect(got(yanto).filter(has("Pengingat"))).toEqual([]);
    // Rina is back too: she and Dodi get the overdue reminders, neither standing in for the other.
    expect(
      got(rina)
        .map((m) => m.plainText)
        .join("\n"),
    ).toMatch(/SK tim replikasi[^]*lewat 17 hari/);
    expect(
      got(dodi)
        .map((m) => m.plainText)
        .join("\n"),
    ).not.toContain("🏖");
    // Hendra, back since the 21st, is told of the steps still silent.
    expect(got(hendra).find(has("⚠️"))?.plainText).toContain("SK tim replikasi");

    // Before anyone else reports, Yanto may still answer his nudge, and undo his own answer.
    h.clock = new Date("2022-01-24T08:30:00+07:00");
    const nudge = h.emulator.messages(yanto.id).findLast(has("Koordinator mengingatkan"))!;
    await h.emulator.sendText(yanto, "70% SK di bagian hukum", { replyTo: nudge.message_id });
    const his = await h.emulator.waitForMessage(yanto.id, has("Tersimpan: SK tim replikasi — 70%"), 20_000);
    await press(yanto, his, "Urungkan");
    await edited(yanto, his, "diurungkan");

    // Sari reports; Yanto stood in while she was away, and his old nudge no longer lets him report.
    h.clock = new Date("2022-01-24T09:00:00+07:00");
    const hers = got(sari).find(has("Pengingat tenggat (H-7)"))!;
    await h.emulator.sendText(sari, "60% SK menunggu paraf", { replyTo: hers.message_id });
    await h.emulator.waitForMessage(sari.id, has("Tersimpan: SK tim replikasi — 60%"), 20_000);
    await h.emulator.sendText(yanto, "80% SK sudah ditandatangani", { replyTo: nudge.message_id });
    expect((await h.emulator.waitForMessage(yanto.id, has("PIC unit sudah ada lagi"), 20_000)).plainText).toBe(
      "Anda menerima pengingat ini menggantikan PIC yang cuti. PIC unit sudah ada lagi dan tahapan ini sudah dilaporkan sejak itu, jadi laporannya kembali dari PIC. Tidak ada yang dicatat.",
    );
    await press(yanto, nudge, "✅ Selesai");
    await h.answered(20_000);
    expect(h.emulator.callbackAnswers().at(-1)).toMatchObject({
      text: "Anda menerima pengingat ini menggantikan PIC yang cuti. PIC unit sudah ada lagi dan tahapan ini sudah dilaporkan sejak itu, jadi tombol ini tidak berlaku lagi bagi Anda.",
      show_alert: true,
    });
    const step = await h.db.milestone.findFirstOrThrow({ where: { title: "SK tim replikasi", initiative: { unit: { code: "BABAR-DISKOPUKMPERIN" } } } });
    expect(step).toMatchObject({ progress: 60, status: "in_progress" });
  });

  it("when the whole unit is away, then its escalations wait as many days: the head hears on the 24th, not the 18th, the coordinator on the 28th, not the 22nd", async () => {
    // The agriculture office's "SK tim replikasi" is due on 14 February; its focal point and head
    // are both away from the 15th to the 20th (six days).
    h.clock = new Date("2022-02-15T09:00:00+07:00");
    await ask(tono, "/cuti 20 Februari", "Dicatat");
    await ask(joko, "/cuti 20/2/2022", "Dicatat");
    expect((await ask(wati, "/ingatkan BABAR-DISTANPANGAN", "sedang cuti")).plainText).toBe(
      "Semua PIC dan kepala unit Dinas Pertanian dan Pangan (Kabupaten Bangka Barat) sedang cuti (cuti yang paling awal berakhir Minggu, 20 Februari 2022). Tidak ada yang diingatkan.",
    );
    const unit = "Dinas Pertanian dan Pangan";
    const told = (messages: SentMessage[]) => messages.filter(has("⚠️")).filter(has(unit));

    for (const day of ["18", "21", "22", "23"]) {
      const got = await pass(`2022-02-${day}T08:05:00+07:00`);
      expect(told(got(joko)), `head on the ${day}th`).toEqual([]);
      expect(told(got(wati)), `coordinator on the ${day}th`).toEqual([]);
      if (day !== "21") continue;
      // Back on Monday the 21st, Tono may snooze the overdue step to Tuesday: the head hears of it on the 24th, as the pass says.
      const overdue = got(tono).find(has("SK tim replikasi"));
      expect(overdue?.plainText).toContain("lewat 7 hari");
      h.clock = new Date("2022-02-21T09:00:00+07:00");
      expect(await snooze(tono, overdue!, "SK tim replikasi")).toContain("diingatkan lagi Selasa, 22 Februari 2022 pukul 08.00 WIB");
    }
    const headDay = await pass("2022-02-24T08:05:00+07:00");
    expect(headDay(joko).find(has("⚠️"))?.plainText).toContain("SK tim replikasi");
    expect(told(headDay(wati))).toEqual([]);

    expect(told((await pass("2022-02-27T08:05:00+07:00"))(wati))).toEqual([]);
    const coordinatorDay = await pass("2022-02-28T08:05:00+07:00");
    const escalation = told(coordinatorDay(wati))[0]?.plainText ?? "";
    expect(escalation).toContain(`${unit} (Kabupaten Bangka Barat)`);
    expect(escalation).toContain("Kepala unit sudah diberi tahu (24 Feb 2022).");
  });

  it("when a unit's focal points are limited to programs and the first program's is away, then a nudge of the unit goes to the head for its steps and to the other for theirs", async () => {
    h.clock = new Date("2022-03-01T09:00:00+07:00");
    expect((await h.cliOnClock("import", healthPlan())).code).toBe(0);
    // Reminded on the due day only, so that the nudge is all they get now.
    await h.db.program.updateMany({ where: { name: { in: [programA, programB] } }, data: { reminderOffsets: "0", digestEnabled: false } });
    await join(nia, "--unit", "BABAR-DINKES", "--program", programA);
    await join(budi, "--unit", "BABAR-DINKES", "--program", programB);
    await join(rudi, "--unit", "BABAR-DINKES", "--role", "kepala");
    await join(lina, "--role", "koordinator", "--program", programA);
    await join(lina, "--role", "koordinator", "--program", programB);
    await ask(nia, "/cuti 4 Maret", "Dicatat");

    h.clock = new Date("2022-03-01T10:00:00+07:00");
    const answer = await ask(lina, "/ingatkan BABAR-DINKES", "Diingatkan sekarang");
    // The second program's focal point is there: not every focal point is away.
    expect(answer.plainText).not.toContain("Semua PIC unit ini sedang cuti");
    const toHead = await h.emulator.waitForMessage(rudi.id, has("Koordinator mengingatkan"), 20_000);
    expect(toHead.plainText).toContain("SOP posyandu A");
    expect(toHead.plainText).not.toContain("SOP posyandu B");
    const toBudi = await h.emulator.waitForMessage(budi.id, has("Koordinator mengingatkan"), 20_000);
    expect(toBudi.plainText).toContain("SOP posyandu B");
    expect(toBudi.plainText).not.toContain("SOP posyandu A");
    expect(h.emulator.messages(nia.id).filter(has("Koordinator mengingatkan"))).toEqual([]);
  });
});
