import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmuUser, SentMessage } from "../support/bot-api-emulator.js";
import { databaseKinds, Harness } from "../support/harness.js";

// /libur (/holidays) through the real bot and the Bot API emulator: coordinators add, list and
// remove their program's own days off within their reach, and a program that keeps to working
// days reminds around them, in the region they belong to only. The harness's clock stands at
// Tuesday 11 January 2022, 09:00 WIB.

const coordinator: EmuUser = { id: 7101, first_name: "Budi", language_code: "id" };
const babarCoordinator: EmuUser = { id: 7102, first_name: "Wati", language_code: "id" };
const babarFocalPoint: EmuUser = { id: 7103, first_name: "Rina", language_code: "id" };
const pkpFocalPoint: EmuUser = { id: 7104, first_name: "Dewi", language_code: "id" };
const englishCoordinator: EmuUser = { id: 7105, first_name: "Anna", language_code: "en" };

const program = "Replikasi Inovasi 2022 Provinsi Kepulauan Bangka Belitung";
const babar = "Kabupaten Bangka Barat";
const pkp = "Kota Pangkalpinang";
const inviteCode = (stdout: string) => /start=([A-Za-z0-9_-]+)/.exec(stdout)?.[1] ?? "";
const sop = (m: SentMessage) => !!m.plainText?.includes("Penyusunan SOP layanan");

describe.each(await databaseKinds())("program days off on %s", (kind) => {
  let h: Harness;
  let dir: string;

  /** Sends a command and returns the bot's answer. */
  const ask = async (user: EmuUser, text: string) => {
    await h.emulator.sendText(user, text);
    return (await h.emulator.waitForMessage(user.id)).plainText ?? "";
  };
  const join = async (user: EmuUser, ...inviteArgs: string[]) => {
    const invite = await h.cli("invite", ...inviteArgs);
    expect(invite.code).toBe(0);
    await h.emulator.sendText(user, `/start ${inviteCode(invite.stdout)}`);
    expect((await h.emulator.waitForMessage(user.id)).plainText).toMatch(/Selamat bergabung|Welcome/);
  };
  const stored = () => h.db.programHoliday.findMany({ include: { region: true }, orderBy: { id: "asc" } });
  const audited = () => h.db.auditLog.findMany({ where: { action: { startsWith: "holiday." } }, orderBy: { id: "asc" } });

  beforeAll(async () => {
    h = await Harness.create(kind);
    // One step in each region, due Thursday 20 January 2022: H-1 is Wednesday the 19th.
    dir = await mkdtemp(path.join(tmpdir(), "pantau-holidays-"));
    const plan = path.join(dir, "rencana-aksi-babel.csv");
    await writeFile(
      plan,
      [
        "program,pemda,zona_waktu,opd,kode_opd,inovasi,tahapan,tenggat",
        `${program},${babar},WIB,Dinas Pariwisata dan Kebudayaan,BABAR-DISPARBUD,SIP Banget,Penyusunan SOP layanan,2022-01-20`,
        `${program},${pkp},WIB,Dinas Komunikasi dan Informatika,PKP-DISKOMINFO,Pangkalpinang Satu Data,Penyusunan SOP layanan,2022-01-20`,
      ].join("\n"),
    );
    expect((await h.cli("import", plan)).code).toBe(0);
    await h.startBot();
    await join(coordinator, "--role", "koordinator");
    await join(babarCoordinator, "--role", "koordinator", "--region", babar);
    await join(englishCoordinator, "--role", "koordinator");
    await join(babarFocalPoint, "--unit", "BABAR-DISPARBUD");
    await join(pkpFocalPoint, "--unit", "PKP-DISKOMINFO");
    expect(await ask(coordinator, "/aturan pengingat 1")).toContain("Pengingat: H-1");
    expect(await ask(coordinator, "/aturan harikerja ya")).toContain("Hanya hari kerja: ya");
  });
  afterAll(async () => {
    await h?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("when a focal point asks for or adds a day off, then it is not for their role and nothing is stored", async () => {
    expect(await ask(babarFocalPoint, "/libur")).toContain("bukan untuk peran Anda");
    expect(await ask(babarFocalPoint, "/libur tambah 19/01/2022 Hari Jadi")).toContain("bukan untuk peran Anda");
    expect(await stored()).toEqual([]);
  });

  it("when a region's coordinator adds a regional holiday, then it is stored for that region, listed with the official days and their kinds, and audited", async () => {
    const added = await ask(babarCoordinator, "/libur tambah 19 Januari 2022 Hari Jadi Kabupaten Bangka Barat");
    expect(added).toContain("Hari Jadi Kabupaten Bangka Barat, Rabu, 19 Januari 2022, kini libur program untuk Kabupaten Bangka Barat");
    expect(added).toContain("dikirim pada hari kerja sebelumnya");
    expect(added).toContain("Dicatat atas nama Wati");
    const [day, ...others] = await stored();
    expect(others).toEqual([]);
    expect(day).toMatchObject({ date: "2022-01-19", name: "Hari Jadi Kabupaten Bangka Barat", region: { name: babar } });

    const [row, ...more] = await audited();
    expect(more).toEqual([]);
    expect(row).toMatchObject({ action: "holiday.add", entity: "programHoliday", entityId: String(day!.id), actorTelegramId: BigInt(babarCoordinator.id) });
    expect(row!.regionId).toBe(day!.regionId);
    expect(JSON.parse(row!.after!)).toEqual({ date: "2022-01-19", name: "Hari Jadi Kabupaten Bangka Barat", region: babar });

    const list = await ask(babarCoordinator, "/libur");
    expect(list).toContain(`Hari libur — ${program}`);
    expect(list).toContain("Rabu, 19 Januari 2022 — Hari Jadi Kabupaten Bangka Barat (libur program, Kabupaten Bangka Barat)");
    expect(list).toContain("Selasa, 1 Februari 2022 — Tahun Baru Imlek 2573 Kongzili (libur nasional)");
    expect(list).toContain("Kamis, 3 Maret 2022 — Hari Suci Nyepi Tahun Baru Saka 1944 (libur nasional)");
    expect(list).toContain("Libur nasional dan cuti bersama 2022: SKB Menag, Menaker, MenPANRB No. 963/2021");
    // Each listed in date order.
    expect(list.indexOf("19 Januari 2022")).toBeLessThan(list.indexOf("1 Februari 2022"));
    expect(await ask(coordinator, "/jejak")).toContain(
      "menambahkan libur program 'Hari Jadi Kabupaten Bangka Barat' pada 2022-01-19 untuk Kabupaten Bangka Barat",
    );
  });

  it("when the reminder pass runs, then Bangka Barat's H-1 reminder moves back to Tuesday 18 January, and Pangkalpinang's stays on Wednesday 19", async () => {
    const tuesday = await h.cli("remind", "--at", "2022-01-18T08:05:00+07:00");
    expect(tuesday.code).toBe(0);
    const reminder = await h.emulator.waitForMessage(babarFocalPoint.id, sop);
    expect(reminder.plainText).toContain("Tenggat: Kamis, 20 Januari 2022 (2 hari lagi)");
    expect(h.emulator.messages(pkpFocalPoint.id).filter(sop)).toHaveLength(0);

    const wednesday = await h.cli("remind", "--at", "2022-01-19T08:05:00+07:00");
    expect(wednesday.code).toBe(0);
    await h.emulator.waitForMessage(pkpFocalPoint.id, sop);
    const sent = await h.db.delivery.findMany({ include: { person: true }, orderBy: { id: "asc" } });
    expect(sent.map((d) => [Number(d.person.telegramId), d.dueAt.toISOString()])).toEqual([
      [babarFocalPoint.id, "2022-01-18T01:00:00.000Z"],
      [pkpFocalPoint.id, "2022-01-19T01:00:00.000Z"],
    ]);
    expect(h.emulator.messages(babarFocalPoint.id).filter(sop)).toHaveLength(1);
  });

  it("when a region's coordinator names another region, then it is refused with the places they may name, and nothing is stored", async () => {
    const before = { days: await stored(), rows: await audited() };
    const answer = await ask(babarCoordinator, `/libur tambah ${pkp} 24/01/2022 Hari Jadi Kota Pangkalpinang`);
    expect(answer).toContain(`"${pkp}" bukan program atau pemda Anda`);
    expect(answer).toContain(`• ${babar}`);
    expect(answer).toContain("Tidak ada yang diubah");
    expect({ days: await stored(), rows: await audited() }).toEqual(before);
  });

  it("when the date cannot be read, has begun, is a weekend or a national day off, is taken, or the name is missing, then it says so and stores nothing", async () => {
    const before = { days: await stored(), rows: await audited() };
    for (const [command, says] of [
      ["/libur tambah 31/02/2022 Hari Aneh", "Tanggal tidak terbaca"],
      ["/libur tambah besok Hari Jadi", "Tanggal tidak terbaca"],
      ["/libur tambah 10/01/2022 Kemarin", "Senin, 10 Januari 2022 sudah dimulai atau sudah lewat"],
      ["/libur tambah 2022-01-11 Hari ini", "Selasa, 11 Januari 2022 sudah dimulai atau sudah lewat"],
      ["/libur tambah 15/01/2022 Sabtu", "Sabtu, 15 Januari 2022 jatuh pada akhir pekan"],
      ["/libur tambah 1 Februari 2022 Imlek", "Selasa, 1 Februari 2022 sudah hari libur: Tahun Baru Imlek 2573 Kongzili (libur nasional)"],
      ["/libur tambah 19/01/2022 Hari Jadi lagi", `Rabu, 19 Januari 2022 sudah libur program untuk ${babar} (${program}): Hari Jadi Kabupaten Bangka Barat`],
      ["/libur tambah 21/01/2022", "Tulis nama harinya setelah tanggal"],
      [`/libur tambah 21/01/2022 ${"Hari Jadi ".repeat(12)}`, "paling panjang 100 karakter"],
      ["/libur ubah 21/01/2022", '"ubah" tidak dikenal'],
    ]) {
      const answer = await ask(babarCoordinator, command!);
      expect(answer, command).toContain(says);
      expect(answer, command).toContain("Tidak ada yang diubah");
    }
    expect(await ask(englishCoordinator, "/holidays add 2022-01-21")).toContain("Write the day's name after the date");
    expect({ days: await stored(), rows: await audited() }).toEqual(before);
  });

  it("when the program's coordinator adds a day off for the whole program, then a region's coordinator may not remove it, and its removal by them is audited", async () => {
    const added = await ask(coordinator, "/libur tambah 21/01/2022 Kantor tutup: pindah gedung");
    expect(added).toContain(`kini libur program untuk seluruh program ${program}`);
    const day = (await stored()).find((d) => d.date === "2022-01-21")!;
    expect(day.regionId).toBeNull();
    // A region's coordinator sees it among their region's days, but it is the whole program's.
    expect(await ask(babarCoordinator, "/libur")).toContain("Jumat, 21 Januari 2022 — Kantor tutup: pindah gedung (libur program)");
    const refused = await ask(babarCoordinator, "/libur hapus 21/01/2022");
    expect(refused).toContain("hanya koordinator seluruh program yang bisa menghapusnya");
    expect((await stored()).map((d) => d.date)).toEqual(["2022-01-19", "2022-01-21"]);

    expect(await ask(coordinator, "/libur hapus 24/01/2022")).toContain("Tidak ada libur program pada Senin, 24 Januari 2022");
    const removed = await ask(coordinator, "/libur hapus 21 Januari 2022");
    expect(removed).toContain("Libur program Kantor tutup: pindah gedung, Jumat, 21 Januari 2022");
    expect(removed).toContain("dihapus");
    expect((await stored()).map((d) => d.date)).toEqual(["2022-01-19"]);
    const rows = await audited();
    expect(rows.map((r) => r.action)).toEqual(["holiday.add", "holiday.add", "holiday.remove"]);
    expect(rows.at(-1)).toMatchObject({ entityId: String(day.id), actorTelegramId: BigInt(coordinator.id), regionId: null });
    expect(JSON.parse(rows.at(-1)!.before!)).toEqual({ date: "2022-01-21", name: "Kantor tutup: pindah gedung", region: null });
  });

  it("when a coordinator of the whole program names a region, then the day off is that region's alone", async () => {
    const added = await ask(coordinator, `/libur tambah ${pkp} 24/01/2022 Hari Jadi Kota Pangkalpinang`);
    expect(added).toContain(`kini libur program untuk ${pkp} (${program})`);
    expect((await stored()).find((d) => d.date === "2022-01-24")?.region?.name).toBe(pkp);
    // Bangka Barat's coordinator does not see Pangkalpinang's day, nor may remove it.
    expect(await ask(babarCoordinator, "/libur")).not.toContain("Pangkalpinang");
    expect(await ask(babarCoordinator, "/libur hapus 24/01/2022")).toContain("Tidak ada libur program pada Senin, 24 Januari 2022");
    expect((await stored()).map((d) => d.date)).toEqual(["2022-01-19", "2022-01-24"]);

    // The same date for the whole program too: removing it then needs the place named.
    expect(await ask(coordinator, "/libur tambah 24/01/2022 Rapat kerja daerah")).toContain("seluruh program");
    const which = await ask(coordinator, "/libur hapus 24/01/2022");
    expect(which).toContain("Ada beberapa libur program pada Senin, 24 Januari 2022");
    expect(which).toContain(`/libur hapus ${pkp} 2022-01-24`);
    expect((await stored()).filter((d) => d.date === "2022-01-24")).toHaveLength(2);
    expect(await ask(coordinator, `/libur hapus ${pkp} 24/01/2022`)).toContain(`untuk ${pkp} (${program}) dihapus`);
    expect((await stored()).map((d) => [d.date, d.region?.name ?? null])).toEqual([
      ["2022-01-19", babar],
      ["2022-01-24", null],
    ]);
  });

  it("when a day off has begun, then it can no longer be removed", async () => {
    h.clock = new Date("2022-01-19T07:00:00+07:00");
    expect(await ask(babarCoordinator, "/libur hapus 19/01/2022")).toContain("Rabu, 19 Januari 2022 sudah dimulai atau sudah lewat");
    expect((await stored()).map((d) => d.date)).toEqual(["2022-01-19", "2022-01-24"]);
  });
});
