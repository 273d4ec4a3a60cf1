import { writeFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds, examplePlan, Harness } from "../support/harness.js";
import { examplePlanXlsx, workbookBytes } from "../support/plan-xlsx.js";

// `pantau import`: all or nothing, row-numbered errors, updates in place.

const header = "program,pemda,zona_waktu,opd,kode_opd,inovasi,asal,tahapan,tenggat,bobot";
const dir = mkdtempSync(path.join(os.tmpdir(), "pantau-import-"));
function csv(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, [header, ...lines].join("\n"));
  return file;
}

describe.each(await databaseKinds())("pantau import on %s", (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.create(kind);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("rejects a file with bad rows whole, naming every bad row and column, and changes nothing", async () => {
    const file = csv("bad.csv", [
      "KIPP 2023,Kabupaten Bangka Barat,WIB,Dinas Kominfo,BABAR-KOMINFO,Proposal Kominfo,,Verifikasi proposal,2023-02-10,1",
      "KIPP 2023,Kabupaten Bangka Barat,WIB,Dinas Kominfo,BABAR-KOMINFO,Proposal Kominfo,,Validasi proposal,31/02/2023,1",
      "KIPP 2023,Kota Kendari,WITT,Kelurahan Lepo-Lepo,,Bank data,,Input data,2023-03-01,1",
      "KIPP 2023,Kabupaten Bangka Barat,WIB,Dinas Kominfo,BABAR-KOMINFO,Proposal Kominfo,,Input SINOVIK,2023-03-01,berat",
      ",Kabupaten Bangka Barat,WIB,PDAM Tirta Sejiran Setason,,Proposal PDAM,,Verifikasi proposal,2023-02-10,1",
    ]);
    const result = await h.cli("import", file);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("Impor ditolak");
    expect(result.stderr).toMatch(/Baris 3, kolom tenggat: .*31\/02\/2023/);
    expect(result.stderr).toMatch(/Baris 4, kolom zona_waktu: .*WITT/);
    expect(result.stderr).toMatch(/Baris 5, kolom bobot: .*berat/);
    expect(result.stderr).toMatch(/Baris 6, kolom program: wajib diisi/);
    expect(result.stderr).not.toContain("Baris 2");
    expect(await h.db.program.count()).toBe(0);
    expect(await h.db.milestone.count()).toBe(0);
  });

  it("rejects a file without a required column", async () => {
    const file = path.join(dir, "no-due.csv");
    writeFileSync(file, "program,pemda,opd,inovasi,tahapan\nKIPP 2023,Kabupaten Bangka Barat,Dinas Kominfo,Proposal,Verifikasi\n");
    const result = await h.cli("import", file);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Baris 1, kolom tenggat/);
    expect(await h.db.program.count()).toBe(0);
  });

  it("updates a changed due date in place and keeps the reports already made", async () => {
    expect((await h.cli("import", examplePlan)).code).toBe(0);
    const step = await h.db.milestone.findFirstOrThrow({ where: { title: "Penyusunan SOP layanan", initiative: { name: "SIP Banget" } } });
    await h.db.progressReport.create({ data: { milestoneId: step.id, percent: 40, status: "in_progress", source: "flow" } });
    const total = await h.db.milestone.count();

    const changed = csv("changed.csv", [
      `Replikasi Inovasi 2022 Kabupaten Bangka Barat,Kabupaten Bangka Barat,WIB,Dinas Pariwisata dan Kebudayaan,BABAR-DISPARBUD,SIP Banget,Kota Batu,Penyusunan SOP layanan,21 Januari 2022,2`,
    ]);
    const result = await h.cli("import", changed);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Diperbarui: 0 program, 0 pemda, 0 OPD, 0 inovasi, 1 tahapan");
    const after = await h.db.milestone.findUniqueOrThrow({ where: { id: step.id } });
    expect(after.dueDate).toBe("2022-01-21");
    expect(after.weight).toBe(2);
    expect(await h.db.milestone.count()).toBe(total);
    expect(await h.db.progressReport.count({ where: { milestoneId: step.id } })).toBe(1);
  });

  it("gives new units without a kode_opd distinct codes, even when their initials are the same", async () => {
    const file = csv("derived.csv", [
      "KIPP 2023,Kabupaten Bangka Barat,WIB,Dinas Pendidikan,,Proposal Disdik,,Verifikasi proposal,2023-02-10,1",
      "KIPP 2023,Kabupaten Bangka Barat,WIB,Dinas Perhubungan,,Proposal Dishub,,Verifikasi proposal,2023-02-10,1",
    ]);
    const result = await h.cli("import", file);
    expect(result.stderr).toBe("");
    const codes = (await h.db.unit.findMany({ where: { name: { in: ["Dinas Pendidikan", "Dinas Perhubungan"] } } })).map((u) => u.code);
    expect(codes).toHaveLength(2);
    expect(new Set(codes).size).toBe(2);
    for (const code of codes) expect(code).toMatch(/^BANGKABARAT-DP/);
    await h.db.milestone.deleteMany({ where: { initiative: { program: { name: "KIPP 2023" } } } });
    await h.db.initiative.deleteMany({ where: { program: { name: "KIPP 2023" } } });
    await h.db.program.deleteMany({ where: { name: "KIPP 2023" } });
  });

  it("gives a coordinator of a program over several regions a recap naming each unit's region", async () => {
    const file = csv("sumbar.csv", [
      "Replikasi Inovasi Sumatera Barat 2021,Kota Padang,WIB,Dinas Kesehatan,PDG-DINKES,Ayo Ceting,Kota Padang,SK tim replikasi,2022-01-21,1",
      "Replikasi Inovasi Sumatera Barat 2021,Kabupaten Agam,WIB,Dinas Pariwisata,AGAM-DISPAR,SIP Banget,Kota Batu,SK tim replikasi,2022-01-21,1",
    ]);
    expect((await h.cli("import", file)).code).toBe(0);
    const invite = await h.cli("invite", "--role", "koordinator", "--program", "Replikasi Inovasi Sumatera Barat 2021");
    await h.startBot();
    const coordinator = { id: 8100, first_name: "Yusuf" };
    await h.emulator.sendText(coordinator, `/start ${/start=([\w-]+)/.exec(invite.stdout)![1]}`);
    await h.emulator.waitForMessage(coordinator.id);
    await h.emulator.sendText(coordinator, "/rekap");
    const recap = (await h.emulator.waitForMessage(coordinator.id)).plainText ?? "";
    expect(recap).toContain("2 unit di 2 pemda");
    expect(recap).toMatch(/Dinas Pariwisata \(Kabupaten Agam\)[\s\S]*Dinas Kesehatan \(Kota Padang\)/);
    expect(recap).not.toContain("Bangka");
  });

  it("refuses a unit code that already belongs to another unit, writing nothing", async () => {
    const before = await h.db.unit.count();
    const file = csv("taken.csv", [
      "KIPP 2023,Kabupaten Bangka Barat,WIB,Dinas Keluarga Berencana,BABAR-DISPARBUD,Proposal KB 1,,Verifikasi proposal,2023-02-10,1",
    ]);
    const result = await h.cli("import", file);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Baris 2, kolom kode_opd: .*BABAR-DISPARBUD/);
    expect(await h.db.unit.count()).toBe(before);
    expect(await h.db.program.count({ where: { name: "KIPP 2023" } })).toBe(0);
  });
});

describe.each(await databaseKinds())("pantau import of an XLSX workbook on %s", (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.create(kind);
  });
  afterAll(async () => {
    await h?.stop();
  });

  const steps = async () =>
    (await h.db.milestone.findMany({ include: { initiative: { include: { unit: { include: { region: true } }, program: true } } } }))
      .map((m) =>
        [
          m.initiative.program.name,
          m.initiative.unit.region.name,
          m.initiative.unit.region.timezone,
          m.initiative.unit.name,
          m.initiative.unit.code,
          m.initiative.name,
          m.initiative.origin,
          m.title,
          m.dueDate,
          m.weight,
        ].join(" | "),
      )
      .sort();

  it("rejects a workbook with a bad row whole, naming the row as the spreadsheet shows it, and changes nothing", async () => {
    const file = path.join(dir, "bad.xlsx");
    writeFileSync(
      file,
      await workbookBytes(
        [
          header.split(","),
          [
            "KIPP 2023",
            "Kabupaten Bangka Barat",
            "WIB",
            "Dinas Kominfo",
            "BABAR-KOMINFO",
            "Proposal Kominfo",
            null,
            "Verifikasi proposal",
            new Date(Date.UTC(2023, 1, 10)),
            1,
          ],
          [],
          [
            "KIPP 2023",
            "Kabupaten Bangka Barat",
            "WIB",
            "Dinas Kominfo",
            "BABAR-KOMINFO",
            "Proposal Kominfo",
            null,
            "Validasi proposal",
            "30 Februari 2023",
            1,
          ],
        ],
        (sheet) => {
          sheet.getCell("I2").numFmt = "dd/mm/yyyy";
        },
      ),
    );
    const result = await h.cli("import", file);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("Impor ditolak: 1 kesalahan. Tidak ada yang diubah.");
    expect(result.stderr).toMatch(/Baris 4, kolom tenggat: .*30 Februari 2023/);
    expect(await h.db.program.count()).toBe(0);
    expect(await h.db.milestone.count()).toBe(0);
  });

  it("refuses a damaged workbook, a password-protected one and an old .xls clearly, in Indonesian", async () => {
    const good = await examplePlanXlsx();
    const damaged = path.join(dir, "rusak.xlsx");
    writeFileSync(damaged, good.subarray(0, 300));
    const damagedRun = await h.cli("import", damaged);
    expect(damagedRun.code).toBe(1);
    expect(damagedRun.stderr).toContain("Impor ditolak");
    expect(damagedRun.stderr).toContain("Berkas XLSX rusak atau bukan buku kerja Excel");
    expect(damagedRun.stderr).not.toMatch(/zip|central directory/i);

    const ole = Buffer.alloc(4096);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole);
    const legacy = path.join(dir, "lama.xls");
    writeFileSync(legacy, ole);
    expect((await h.cli("import", legacy)).stderr).toContain("bukan XLSX (mis. .xls Excel 97-2003");
    Buffer.from("EncryptionInfo", "utf16le").copy(ole, 1024);
    const locked = path.join(dir, "terkunci.xlsx");
    writeFileSync(locked, ole);
    const lockedRun = await h.cli("import", locked);
    expect(lockedRun.code).toBe(1);
    expect(lockedRun.stderr).toContain("dilindungi kata sandi");
    expect(await h.db.program.count()).toBe(0);
  });

  it("imports the example kept as a workbook (real dates, numeric weights) exactly as its CSV, in either header language", async () => {
    const file = path.join(dir, "rencana.xlsx");
    writeFileSync(file, await examplePlanXlsx());
    const first = await h.cli("import", file);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Dibuat: 1 program, 1 pemda, 4 OPD, 4 inovasi, 24 tahapan/);
    const fromXlsx = await steps();
    expect(fromXlsx).toContain(
      "Replikasi Inovasi 2022 Kabupaten Bangka Barat | Kabupaten Bangka Barat | Asia/Jakarta | Dinas Pariwisata dan Kebudayaan | BABAR-DISPARBUD | SIP Banget | Kota Batu | Penyusunan SOP layanan | 2022-01-14 | 2",
    );

    const csv = await h.cli("import", examplePlan);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toContain("Dibuat: 0 program, 0 pemda, 0 OPD, 0 inovasi, 0 tahapan");
    expect(csv.stdout).toContain("Diperbarui: 0 program, 0 pemda, 0 OPD, 0 inovasi, 0 tahapan");
    expect(csv.stdout).toContain("Tidak berubah: 24 tahapan");

    const englishFile = path.join(dir, "plan-english.xlsx");
    writeFileSync(englishFile, await examplePlanXlsx({ english: true }));
    const english = await h.cli("import", englishFile);
    expect(english.stdout).toContain("Tidak berubah: 24 tahapan");
    expect(await steps()).toEqual(fromXlsx);
  });

  it("refuses a plan of more than 10,000 steps naming the limit and the flag, and imports it with --no-limits", async () => {
    const file = csv(
      "huge.csv",
      Array.from({ length: 10_001 }, (_, i) => `KIPP 2024,Kota Kendari,WITA,Kelurahan Lepo-Lepo,KDI-LEPO,Bank data,,Langkah ${i + 1},2024-03-01,1`),
    );
    const refused = await h.cli("import", file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("lebih dari 10.000 tahapan, batas satu impor");
    expect(refused.stderr).toContain("pantau import --no-limits");
    expect(await h.db.program.count({ where: { name: "KIPP 2024" } })).toBe(0);

    const lifted = await h.cli("import", "--no-limits", file);
    expect(lifted.stderr).toBe("");
    expect(lifted.code).toBe(0);
    expect(await h.db.milestone.count({ where: { initiative: { program: { name: "KIPP 2024" } } } })).toBe(10_001);
  }, 300_000);
});
