import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmuUser, SentMessage } from "../support/bot-api-emulator.js";
import { buttons, databaseKinds, examplePlan, Harness } from "../support/harness.js";

// The recap as a file: /ekspor (/export) in Telegram and `pantau export` on the command line,
// through the real bot, the emulator and both databases.

const focalPoint: EmuUser = { id: 7001, first_name: "Rina", language_code: "id" };
const coordinator: EmuUser = { id: 7002, first_name: "Budi", language_code: "id" };
const padangCoordinator: EmuUser = { id: 7003, first_name: "Yusuf", language_code: "id" };
const stranger: EmuUser = { id: 7004, first_name: "Orang", language_code: "id" };

const program = "Replikasi Inovasi 2022 Kabupaten Bangka Barat";
const evil = '=HYPERLINK("http://evil")';
const dir = mkdtempSync(path.join(os.tmpdir(), "pantau-export-"));
const inviteCode = (stdout: string) => /start=([A-Za-z0-9_-]+)/.exec(stdout)?.[1] ?? "";

async function workbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  return book;
}

/** A sheet's rows as objects keyed by its header row. */
function records(sheet: ExcelJS.Worksheet): Record<string, ExcelJS.Cell>[] {
  const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Record<string, ExcelJS.Cell>[] = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    rows.push(Object.fromEntries(header.map((h, i) => [h, row.getCell(i + 1)])));
  });
  return rows;
}

const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));

describe.each(await databaseKinds())("export of the recap on %s", (kind) => {
  let h: Harness;

  /** A report through /lapor: pick the step, a percentage button, a typed note, save. */
  async function report(user: EmuUser, title: string, percent: number, note: string): Promise<void> {
    await h.emulator.sendText(user, "/lapor");
    // Predicates everywhere: the scheduler may send reminders to the same chat meanwhile.
    const pick = await h.emulator.waitForMessage(user.id, (m) => !!m.plainText?.includes("Tahapan mana") && buttons(m).some((b) => b.text.includes(title)));
    await h.emulator.pressButton(user, pick, buttons(pick).find((b) => b.text.includes(title))!.callback_data);
    const percentMessage = await h.emulator.waitForMessage(
      user.id,
      (m) => !!m.plainText?.includes("Pilih progres") && buttons(m).some((b) => b.text === `${percent}%`),
    );
    await h.emulator.pressButton(user, percentMessage, buttons(percentMessage).find((b) => b.text === `${percent}%`)!.callback_data);
    await h.emulator.waitForMessage(user.id, (m) => !!m.plainText?.includes("Tulis catatan"));
    await h.emulator.sendText(user, note);
    const confirm = await h.emulator.waitForMessage(user.id, (m) => !!m.plainText?.includes("Simpan?"));
    await h.emulator.pressButton(user, confirm, buttons(confirm).find((b) => b.text.includes("Simpan"))!.callback_data);
    await h.emulator.waitForMessage(user.id, (m) => !!m.plainText?.includes("Tersimpan"));
  }

  async function join(user: EmuUser, ...inviteArgs: string[]): Promise<void> {
    const invite = await h.cli("invite", ...inviteArgs);
    expect(invite.code).toBe(0);
    await h.emulator.sendText(user, `/start ${inviteCode(invite.stdout)}`);
    await h.emulator.waitForMessage(user.id, (m) => !!m.plainText?.includes("Selamat bergabung"));
  }

  /** Sends a command and waits for the documents it brings (as many as expected). */
  async function documents(user: EmuUser, command: string, count = 1): Promise<SentMessage[]> {
    await h.emulator.sendText(user, command);
    const docs: SentMessage[] = [];
    for (let i = 0; i < count; i += 1) docs.push(await h.emulator.waitForMessage(user.id, (m) => m.method === "sendDocument", 15_000));
    return docs;
  }

  beforeAll(async () => {
    h = await Harness.create(kind);
    expect((await h.cli("import", examplePlan)).code).toBe(0);
    const sumbar = path.join(dir, `sumbar-${kind}.csv`);
    writeFileSync(
      sumbar,
      [
        "program,pemda,zona_waktu,opd,kode_opd,inovasi,asal,tahapan,tenggat,bobot",
        "Replikasi Inovasi Sumatera Barat 2021,Kota Padang,WIB,Dinas Kesehatan,PDG-DINKES,Ayo Ceting,Kota Padang,SK tim replikasi,2022-01-21,1",
        "Replikasi Inovasi Sumatera Barat 2021,Kabupaten Agam,WIB,Dinas Pariwisata,AGAM-DISPAR,SIP Banget,Kota Batu,SK tim replikasi,2022-01-21,1",
      ].join("\n"),
    );
    expect((await h.cli("import", sumbar)).code).toBe(0);
    await h.startBot();
    await join(focalPoint, "--unit", "BABAR-DISPARBUD");
    await join(coordinator, "--role", "koordinator", "--program", program);
    await join(padangCoordinator, "--role", "koordinator", "--program", "Replikasi Inovasi Sumatera Barat 2021", "--region", "Kota Padang");
    // On Tuesday 11 January 2022 the focal point reports twice, with notes a spreadsheet could run.
    await report(focalPoint, "SK tim replikasi", 100, "+1+1");
    await report(focalPoint, "Penyusunan SOP layanan", 50, evil);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("sends the coordinator an XLSX with the recap per initiative and every step with its latest report", async () => {
    h.clock = new Date("2022-02-01T10:00:00+07:00");
    const [doc] = await documents(coordinator, "/ekspor");
    expect(doc!.document?.file_name).toBe("rekap-replikasi-inovasi-2022-kabupaten-bangka-barat-2022-02-01.xlsx");
    expect(doc!.document?.mime_type).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(doc!.plainText).toContain(`Rekap ${program} per Selasa, 1 Februari 2022`);
    expect(doc!.plainText).toMatch(/\d+% · 3 tahapan terlambat/);

    const book = await workbook(doc!.document!.bytes!);
    expect(book.worksheets.map((s) => s.name)).toEqual(["Rekap", "Tahapan"]);

    const recap = book.getWorksheet("Rekap")!;
    expect((recap.getRow(1).values as unknown[]).slice(1)).toEqual([
      "Program",
      "Pemda",
      "OPD",
      "Inovasi",
      "Progres (%)",
      "Jumlah tahapan",
      "Selesai",
      "Terlambat",
    ]);
    expect(recap.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(recap.autoFilter).toBeTruthy();
    const recapRows = records(recap);
    expect(recapRows).toHaveLength(4);
    // SIP Banget: weights 1 (done) and 2 (50%) of 11 in all: (100 + 100) / 11 = 18%.
    const sip = recapRows.find((r) => r["Inovasi"]!.value === "SIP Banget")!;
    expect(Object.fromEntries(Object.entries(sip).map(([k, c]) => [k, c.value]))).toEqual({
      Program: program,
      Pemda: "Kabupaten Bangka Barat",
      OPD: "Dinas Pariwisata dan Kebudayaan",
      Inovasi: "SIP Banget",
      "Progres (%)": 18,
      "Jumlah tahapan": 6,
      Selesai: 1,
      Terlambat: 1,
    });
    expect(recapRows.map((r) => r["Program"]!.value)).not.toContain("Replikasi Inovasi Sumatera Barat 2021");

    const steps = book.getWorksheet("Tahapan")!;
    expect((steps.getRow(1).values as unknown[]).slice(1)).toEqual([
      "Program",
      "Pemda",
      "OPD",
      "Kode OPD",
      "Inovasi",
      "Asal",
      "Tahapan",
      "Tenggat",
      "Bobot",
      "Progres (%)",
      "Status",
      "Hari terlambat",
      "Laporan terakhir",
      "Catatan laporan terakhir",
      "Dilaporkan oleh",
    ]);
    expect(steps.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    const stepRows = records(steps);
    expect(stepRows).toHaveLength(24);
    const sop = stepRows.find((r) => r["Tahapan"]!.value === "Penyusunan SOP layanan" && r["Inovasi"]!.value === "SIP Banget")!;
    // A real date cell, shown as 14/01/2022, the same calendar day whatever the server's zone.
    expect(sop["Tenggat"]!.type).toBe(ExcelJS.ValueType.Date);
    expect(sop["Tenggat"]!.value).toEqual(utc(2022, 1, 14));
    expect(sop["Tenggat"]!.numFmt).toBe("dd/mm/yyyy");
    expect(sop["Kode OPD"]!.value).toBe("BABAR-DISPARBUD");
    expect(sop["Asal"]!.value).toBe("Kota Batu");
    expect(sop["Bobot"]!.value).toBe(2);
    expect(sop["Progres (%)"]!.value).toBe(50);
    expect(sop["Status"]!.value).toBe("berjalan");
    expect(sop["Hari terlambat"]!.value).toBe(18);
    expect(sop["Laporan terakhir"]!.value).toEqual(utc(2022, 1, 11));
    expect(sop["Dilaporkan oleh"]!.value).toBe("Rina");
    // The note stays text: neutralised with a leading apostrophe, never a formula.
    expect(sop["Catatan laporan terakhir"]!.type).toBe(ExcelJS.ValueType.String);
    expect(sop["Catatan laporan terakhir"]!.value).toBe(`'${evil}`);

    const decree = stepRows.find((r) => r["Tahapan"]!.value === "SK tim replikasi" && r["Inovasi"]!.value === "SIP Banget")!;
    expect(decree["Status"]!.value).toBe("selesai");
    expect(decree["Progres (%)"]!.value).toBe(100);
    expect(decree["Hari terlambat"]!.value).toBe(0);
    expect(decree["Catatan laporan terakhir"]!.value).toBe("'+1+1");

    const untouched = stepRows.find((r) => r["Tahapan"]!.value === "SK tim replikasi" && r["Inovasi"]!.value === "Jogja Belajar Class")!;
    expect(untouched["Status"]!.value).toBe("belum mulai");
    expect(untouched["Hari terlambat"]!.value).toBe(4);
    expect(untouched["Laporan terakhir"]!.value).toBeNull();
    expect(untouched["Asal"]!.value).toBe("Yogyakarta");

    // No cell anywhere in the file is a formula.
    for (const sheet of book.worksheets) sheet.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
  });

  it("answers /export in English for an English-speaking coordinator", async () => {
    await h.db.person.update({ where: { telegramId: BigInt(coordinator.id) }, data: { language: "en" } });
    const [doc] = await documents(coordinator, "/export");
    expect(doc!.plainText).toContain(`Summary of ${program} as of Tuesday, 1 February 2022`);
    const book = await workbook(doc!.document!.bytes!);
    expect(book.worksheets.map((s) => s.name)).toEqual(["Summary", "Steps"]);
    const sop = records(book.getWorksheet("Steps")!).find((r) => r["Milestone"]!.value === "Penyusunan SOP layanan")!;
    expect(sop["Status"]!.value).toBe("in progress");
    expect(sop["Due date"]!.value).toEqual(utc(2022, 1, 14));
    expect(sop["Last report note"]!.value).toBe(`'${evil}`);
    await h.db.person.update({ where: { telegramId: BigInt(coordinator.id) }, data: { language: "id" } });
  });

  it("gives a coordinator of one region only that region's units", async () => {
    const [doc] = await documents(padangCoordinator, "/ekspor");
    expect(doc!.document?.file_name).toMatch(/^rekap-replikasi-inovasi-sumatera-barat-2021-2022-02-01\.xlsx$/);
    const book = await workbook(doc!.document!.bytes!);
    const regions = records(book.getWorksheet("Tahapan")!).map((r) => r["Pemda"]!.value);
    expect(regions).toEqual(["Kota Padang"]);
    expect(records(book.getWorksheet("Rekap")!).map((r) => r["OPD"]!.value)).toEqual(["Dinas Kesehatan"]);
  });

  it("refuses a focal point and a stranger, and sends them no file", async () => {
    await h.emulator.sendText(focalPoint, "/ekspor");
    await h.emulator.waitForMessage(focalPoint.id, (m) => !!m.plainText?.includes("bukan untuk peran Anda"));
    await h.emulator.sendText(stranger, "/export");
    await h.emulator.waitForMessage(stranger.id, (m) => !!m.plainText?.includes("belum terdaftar"));
    await h.answered();
    expect(h.emulator.messages(focalPoint.id).some((m) => m.method === "sendDocument")).toBe(false);
    expect(h.emulator.messages(stranger.id).some((m) => m.method === "sendDocument")).toBe(false);
  });

  it("writes every program to an XLSX file from the command line, in Indonesian", async () => {
    const file = path.join(dir, `rekap-${kind}.xlsx`);
    const result = await h.cli("export", file);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`Rekap ditulis ke ${file}: 2 program, 26 tahapan.`);
    const book = await workbook(readFileSync(file));
    expect(book.worksheets.map((s) => s.name)).toEqual(["Rekap", "Tahapan"]);
    const steps = records(book.getWorksheet("Tahapan")!);
    expect(steps).toHaveLength(26);
    expect(new Set(steps.map((r) => r["Program"]!.value))).toEqual(new Set([program, "Replikasi Inovasi Sumatera Barat 2021"]));
    const sop = steps.find((r) => r["Tahapan"]!.value === "Penyusunan SOP layanan")!;
    expect(sop["Tenggat"]!.value).toEqual(utc(2022, 1, 14));
    expect(sop["Catatan laporan terakhir"]!.value).toBe(`'${evil}`);
    expect(records(book.getWorksheet("Rekap")!)).toHaveLength(6);
  });

  it("writes the steps as a CSV file with a BOM, quoted and neutralised, that pantau import reads back unchanged", async () => {
    const file = path.join(dir, `rekap-${kind}.csv`);
    const result = await h.cli("export", file);
    expect(result.code).toBe(0);
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString("utf8");
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(text).toContain(`"'+1+1"`);
    const rows = parse(text.slice(1), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(26);
    const sop = rows.find((r) => r["Tahapan"] === "Penyusunan SOP layanan")!;
    expect(sop).toMatchObject({ Tenggat: "2022-01-14", Bobot: "2", "Progres (%)": "50", Status: "berjalan", "Laporan terakhir": "2022-01-11" });
    expect(sop["Catatan laporan terakhir"]).toBe(`'${evil}`);
    const again = await h.cli("import", file);
    expect(again.stderr).toBe("");
    expect(again.stdout).toContain("Tidak berubah: 26 tahapan");
  });

  it("refuses a file name that is neither .xlsx nor .csv, writing nothing", async () => {
    const result = await h.cli("export", path.join(dir, "rekap.pdf"));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("harus berakhiran .xlsx atau .csv");
    expect((await h.cli("export")).stderr).toContain("Sebutkan berkas tujuan");
  });
});
