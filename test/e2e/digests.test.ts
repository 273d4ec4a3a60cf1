import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { imageInfo, type EmuUser } from "../support/bot-api-emulator.js";
import { buttons, databaseKinds, examplePlan, Harness, has, press } from "../support/harness.js";

// Weekly digests instead of pings, and quiet low-urgency reminders, through the real bot and the
// Bot API emulator: heads of unit get their unit's week, coordinators their program's (their
// region's) with the chart, once each, switchable per person and per program; H-14 and H-7
// reminders arrive without a notification sound, H-1 with one, and a program rule changes that.

const program = "Replikasi Inovasi 2022 Kabupaten Bangka Barat";
const rina: EmuUser = { id: 7101, first_name: "Rina", language_code: "id" };
const sari: EmuUser = { id: 7102, first_name: "Sari", language_code: "id" };
const andi: EmuUser = { id: 7103, first_name: "Andi", language_code: "id" };
const kadis: EmuUser = { id: 7104, first_name: "Pak Kadis", language_code: "id" };
const budi: EmuUser = { id: 7105, first_name: "Budi", language_code: "id" };
const wati: EmuUser = { id: 7106, first_name: "Wati", language_code: "id" };

const inviteCode = (stdout: string) => /start=([A-Za-z0-9_-]+)/.exec(stdout)?.[1] ?? "";
const isDigest = has("Ringkasan mingguan —");

/** A second region in the same program: a region's coordinator sees only it. */
const pangkalpinangPlan =
  "program,pemda,zona_waktu,opd,kode_opd,inovasi,asal,tahapan,tenggat,bobot\n" +
  `${program},Kota Pangkalpinang,WIB,Dinas Kesehatan,PKP-DINKES,Ayo Ceting,Kota Padang,SK tim replikasi,2022-01-21,1\n` +
  `${program},Kota Pangkalpinang,WIB,Dinas Kesehatan,PKP-DINKES,Ayo Ceting,Kota Padang,Studi tiru ke Kota Padang,2022-03-18,2\n`;

describe.each(await databaseKinds())("weekly digests and quiet reminders on %s", (kind) => {
  let h: Harness;

  const join = async (user: EmuUser, ...inviteArgs: string[]) => {
    const invite = await h.cli("invite", ...inviteArgs);
    expect(invite.code).toBe(0);
    await h.emulator.sendText(user, `/start ${inviteCode(invite.stdout)}`);
    await h.emulator.waitForMessage(user.id, has("Selamat bergabung"), 20_000);
  };
  /**
   * Sends a command and returns the bot's answer, which must say `expected` (reminders and
   * digests may come in between): waiting fails when no answer says it.
   */
  const ask = async (user: EmuUser, text: string, expected: string) => {
    await h.emulator.sendText(user, text);
    return (await h.emulator.waitForMessage(user.id, has(expected), 20_000)).plainText ?? "";
  };
  const digests = (user: EmuUser) => h.emulator.messages(user.id).filter(isDigest);
  const remindAt = async (iso: string) => expect((await h.cli("remind", "--at", iso)).code).toBe(0);
  const digestRows = (user: EmuUser) => h.db.delivery.findMany({ where: { kind: "digest", person: { telegramId: BigInt(user.id) } }, orderBy: { id: "asc" } });

  beforeAll(async () => {
    h = await Harness.create(kind);
    expect((await h.cli("import", examplePlan)).code).toBe(0);
    const dir = await mkdtemp(path.join(tmpdir(), "pantau-digests-"));
    try {
      await writeFile(path.join(dir, "pangkalpinang.csv"), pangkalpinangPlan);
      expect((await h.cli("import", path.join(dir, "pangkalpinang.csv"))).code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // Wednesday 5 January 2022: people join, and Rina reports on the SOP.
    h.clock = new Date("2022-01-05T10:00:00+07:00");
    await h.startBot();
    await join(rina, "--unit", "BABAR-DISPARBUD");
    await join(sari, "--unit", "BABAR-DISPARBUD");
    await join(andi, "--unit", "BABAR-DISKOPUKMPERIN");
    await join(kadis, "--unit", "BABAR-DISPARBUD", "--role", "kepala");
    await join(budi, "--role", "koordinator");
    await join(wati, "--role", "koordinator", "--region", "Kota Pangkalpinang");
    const confirm = await h.draftReport(rina, "Penyusunan SOP layanan", "50%", "Draf SOP dibahas tim");
    await h.emulator.pressButton(rina, confirm, press("Simpan")(confirm));
    await h.emulator.waitForMessage(rina.id, has("Tersimpan"), 20_000);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("when a reminder lists a step due today beside one a week away, then it arrives with sound", async () => {
    // Friday 7 January: "SK tim replikasi" is due (H-0), "Penyusunan SOP layanan" a week later (H-7).
    await remindAt("2022-01-07T08:05:00+07:00");
    const merged = await h.emulator.waitForMessage(sari.id, has("Pengingat: 2 tahapan"), 20_000);
    expect(merged.plainText).toContain("SK tim replikasi");
    expect(merged.plainText).toContain("Penyusunan SOP layanan");
    expect(merged.disable_notification).toBe(false);
  });

  it("when it is Monday at the send hour, then the head of unit gets one digest of the unit's week, not twice after another pass or a restart", async () => {
    // A dry run lists the digests owed, and sends nothing.
    const dry = await h.cli("remind", "--at", "2022-01-10T08:05:00+07:00", "--dry-run");
    expect(dry.stdout).toMatch(new RegExp(`- Pak Kadis \\(${program}\\): ringkasan mingguan kepala unit \\[digest:\\d+:\\d+:2022-01-10\\]`));
    expect(dry.stdout).toContain(`- Wati (${program}): ringkasan mingguan koordinator`);
    expect(digests(kadis)).toHaveLength(0);
    h.clock = new Date("2022-01-10T08:05:00+07:00");
    await h.restartBot();
    const digest = await h.emulator.waitForMessage(kadis.id, isDigest, 20_000);
    const text = digest.plainText!;
    expect(text).toContain(`Ringkasan mingguan — ${program}`);
    expect(text).toContain("Pekan 3 Jan 2022 – 10 Jan 2022");
    expect(text).toContain("Dinas Pariwisata dan Kebudayaan (Kabupaten Bangka Barat)");
    expect(text).toContain("Dilaporkan pekan ini (1)\n• Penyusunan SOP layanan: 50% — Rina, 5 Jan 2022");
    expect(text).toContain("Jatuh tempo 14 hari ke depan (1)\n• Penyusunan SOP layanan — Jumat, 14 Januari 2022 (4 hari lagi) · 50%");
    expect(text).toContain("Terlambat (1)\n• SK tim replikasi — terlambat 3 hari · belum mulai (0%)");
    expect(text).toContain("PIC tanpa laporan 14 hari (1)\n• Sari — belum pernah melapor");
    expect(text).toContain("Dikirim setiap Senin pukul 08.00");
    // Only the head's own unit.
    expect(text).not.toContain("Sibakul");
    expect(text).not.toContain("Dinas Koperasi");
    expect(buttons(digest).map((b) => b.text)).toEqual(["🔕 Berhenti ringkasan mingguan"]);

    // Another pass half an hour later, and a restart at nine: nothing more.
    await remindAt("2022-01-10T08:35:00+07:00");
    h.clock = new Date("2022-01-10T09:00:00+07:00");
    await h.restartBot();
    await remindAt("2022-01-10T09:00:00+07:00");
    await h.answered();
    expect(digests(kadis)).toHaveLength(1);
    const rows = await digestRows(kadis);
    expect(rows.map((r) => [r.key.replace(/^digest:\d+:\d+:/, "digest:…:"), r.status, r.dueAt.toISOString()])).toEqual([
      ["digest:…:2022-01-10", "sent", "2022-01-10T01:00:00.000Z"],
    ]);
  });

  it("when it is Monday at the send hour, then a coordinator gets the program's week with the chart in one message", async () => {
    const digest = await h.emulator.waitForMessage(budi.id, isDigest, 20_000);
    expect(digest.method).toBe("sendPhoto");
    expect(imageInfo(digest.photoBytes!)).toMatchObject({ width: 1000 });
    const text = digest.plainText!;
    expect(text).toContain(`Ringkasan mingguan — ${program}`);
    expect(text).toMatch(/Progres: [▓░]{10} \d+%/);
    expect(text).toContain("1 terlambat · 0 terkendala · 0 selesai");
    expect(text).toContain("Laporan pekan ini: 1 dari 1 unit");
    expect(text).toContain("Unit tanpa laporan 14 hari (4)");
    expect(text).toContain("• Dinas Kesehatan (Kota Pangkalpinang)");
    expect(text).toContain("• Dinas Koperasi, UKM dan Perindustrian (Kabupaten Bangka Barat)");
    // Rina reported this week: her unit is not silent.
    expect(text).not.toContain("Dinas Pariwisata dan Kebudayaan (");
    expect(text).not.toContain("Pemda:");
    expect(buttons(digest).map((b) => b.text)).toEqual(["🔕 Berhenti ringkasan mingguan"]);
    expect(digests(budi)).toHaveLength(1);
  });

  it("when a coordinator is limited to one region, then their digest covers only that region", async () => {
    const digest = await h.emulator.waitForMessage(wati.id, isDigest, 20_000);
    const text = digest.plainText!;
    expect(digest.method).toBe("sendPhoto");
    expect(text).toContain("Pemda: Kota Pangkalpinang");
    expect(text).toContain("Tahapan: 2 sesuai jadwal · 0 terlambat · 0 terkendala · 0 selesai");
    expect(text).toContain("Belum ada laporan pekan ini.");
    expect(text).toContain("Unit tanpa laporan 14 hari (1)\n• Dinas Kesehatan (Kota Pangkalpinang)");
    expect(text).not.toContain("Bangka Barat)");
    expect(digests(wati)).toHaveLength(1);
  });

  it("when a coordinator reads and changes /aturan, then the digest and the silent reminders are rules like the others", async () => {
    const rules = await ask(budi, "/aturan", "Aturan pengingat");
    expect(rules).toContain("Tanpa suara: pengingat H-7 atau lebih awal (H-14, H-7); H-3, H-1, hari H dan yang terlambat berbunyi");
    expect(rules).toContain("Ringkasan mingguan: setiap Senin pukul 08.00 waktu setempat (jam kirim)");
    expect(rules).toContain("/aturan senyap 7");
    expect(rules).toContain("/aturan ringkasan senin 8");
    await ask(budi, "/aturan ringkasan jumat 15", "Ringkasan mingguan: setiap Jumat pukul 15.00 waktu setempat");
    expect(await h.db.program.findUniqueOrThrow({ where: { name: program } })).toMatchObject({ digestWeekday: 5, digestHour: 15 });
    await ask(budi, "/aturan ringkasan senin", "Ringkasan mingguan: setiap Senin pukul 08.00 waktu setempat (jam kirim)");
    expect(await h.db.program.findUniqueOrThrow({ where: { name: program } })).toMatchObject({ digestWeekday: 1, digestHour: null });
    await ask(wati, "/aturan ringkasan mati", "hanya koordinator seluruh program yang bisa mengubahnya");
    const refused = await ask(budi, "/aturan ringkasan pekan", "Tulis harinya (senin sampai minggu)");
    expect(refused).toContain("Tidak ada yang diubah");
  });

  it("when a head presses the digest's button and a region coordinator types /digest off, then both are off, each with an audit row", async () => {
    const digest = digests(kadis)[0]!;
    await h.emulator.pressButton(kadis, digest, "digest:off");
    const off = await h.emulator.waitForMessage(kadis.id, has("dimatikan"), 20_000);
    expect(off.plainText).toContain("Ketik /ringkasan nyala untuk menerimanya lagi");
    await h.emulator.waitForEdit(kadis.id, digest.message_id, (m) => buttons(m).length === 0, 20_000);
    await ask(kadis, "/ringkasan", "Ringkasan mingguan untuk Anda: mati.");

    await ask(wati, "/digest off", "Ringkasan mingguan dimatikan");
    await ask(wati, "/ringkasan mati", "memang sudah mati; tidak ada yang diubah");
    await ask(wati, "/ringkasan kadang", '"kadang" bukan pilihan');
    await ask(rina, "/ringkasan mati", "bukan untuk peran Anda");

    const status = await ask(budi, "/ringkasan", "Ringkasan mingguan untuk Anda: nyala.");
    expect(status).toContain(`• ${program}: setiap Senin pukul 08.00 waktu setempat`);

    const audited = await h.db.auditLog.findMany({ where: { action: "person.digest" }, orderBy: { id: "asc" } });
    expect(audited.map((a) => [a.actorTelegramId, a.before, a.after])).toEqual([
      [BigInt(kadis.id), '{"weeklyDigest":true}', '{"weeklyDigest":false}'],
      [BigInt(wati.id), '{"weeklyDigest":true}', '{"weeklyDigest":false}'],
    ]);
  });

  it("when the next Monday's digest falls due in quiet hours, then it waits for them to end, and only those still on get it", async () => {
    const before = h.emulator.messages(andi.id).length;
    // Down on Monday 17 January until 22:00: quiet hours (21–06), nothing goes out.
    await remindAt("2022-01-17T22:00:00+07:00");
    expect(digests(budi)).toHaveLength(1);
    expect(h.emulator.messages(andi.id)).toHaveLength(before);
    // Tuesday 06:05, within a day of Monday 08:00: the week's digest, dated Monday.
    await remindAt("2022-01-18T06:05:00+07:00");
    const digest = await h.emulator.waitForMessage(budi.id, isDigest, 20_000);
    expect(digest.plainText).toContain("Pekan 10 Jan 2022 – 18 Jan 2022");
    expect((await digestRows(budi)).map((r) => r.key.split(":")[3])).toEqual(["2022-01-10", "2022-01-17"]);
    expect(digests(kadis)).toHaveLength(1);
    expect(digests(wati)).toHaveLength(1);
    // Andi's H-14 of "SK tim replikasi" (due 31 January) came with it, without a sound.
    const reminder = await h.emulator.waitForMessage(andi.id, has("SK tim replikasi"), 20_000);
    expect(reminder.plainText).toContain("Pengingat tenggat (H-13)");
    expect(reminder.disable_notification).toBe(true);
  });

  it("when the coordinator switches the program's digests off, then nobody gets one the next Monday; an H-7 reminder arrives silently", async () => {
    await ask(budi, "/aturan ringkasan mati", "Ringkasan mingguan: mati");
    await ask(budi, "/ringkasan", `• ${program}: dimatikan untuk seluruh program`);
    await remindAt("2022-01-24T08:05:00+07:00");
    const reminder = await h.emulator.waitForMessage(andi.id, has("Pengingat tenggat (H-7)"), 20_000);
    expect(reminder.disable_notification).toBe(true);
    await h.answered();
    expect(digests(budi)).toHaveLength(2);
    expect(await h.db.delivery.count({ where: { kind: "digest", key: { endsWith: ":2022-01-24" } } })).toBe(0);
  });

  it("when the due date is a day away, then the reminder arrives with sound", async () => {
    await remindAt("2022-01-30T08:05:00+07:00");
    const reminder = await h.emulator.waitForMessage(andi.id, has("Pengingat tenggat (H-1)"), 20_000);
    expect(reminder.disable_notification).toBe(false);
    // Done: no overdue reminders of it later.
    await h.emulator.sendText(andi, "sudah selesai", { replyTo: reminder.message_id });
    await h.emulator.waitForMessage(andi.id, has("Tersimpan"), 20_000);
  });

  it("when the coordinator sets /aturan senyap mati, then even an H-14 reminder arrives with sound", async () => {
    await ask(budi, "/aturan senyap mati", "Tanpa suara: tidak ada, semua pengingat berbunyi");
    expect((await h.db.program.findUniqueOrThrow({ where: { name: program } })).silentFromDays).toBe(0);
    // "Studi tiru ke Yogyakarta" is due Friday 25 February: H-14 is Friday 11 February.
    await remindAt("2022-02-11T08:05:00+07:00");
    const reminder = await h.emulator.waitForMessage(andi.id, has("Pengingat tenggat (H-14)"), 20_000);
    expect(reminder.plainText).toContain("Studi tiru ke Yogyakarta");
    expect(reminder.disable_notification).toBe(false);
  });
});
