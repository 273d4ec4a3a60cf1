import { readFileSync } from "node:fs";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createDeflateRaw } from "node:zlib";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { readCsvTable } from "../../src/files/plan-file.js";

/** The example action plan's path, from the repository root. */
export const examplePlanCsv = new URL("../../examples/rencana-aksi-bangka-barat-2022.csv", import.meta.url);

const english: Record<string, string> = {
  program: "Program",
  pemda: "Region",
  zona_waktu: "Time zone",
  opd: "Unit",
  kode_opd: "Unit code",
  inovasi: "Initiative",
  asal: "Origin",
  tahapan: "Milestone",
  tenggat: "Due",
  bobot: "Weight",
};

/** Bytes of a workbook whose first sheet holds these rows (row 1 first). */
export async function workbookBytes(rows: ExcelJS.CellValue[][], build?: (sheet: ExcelJS.Worksheet, book: ExcelJS.Workbook) => void): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet("Rencana Aksi");
  for (const row of rows) sheet.addRow(row);
  build?.(sheet, book);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/**
 * The example action plan as an XLSX a coordinator would keep: ISO due dates as real Excel
 * date cells (dd/mm/yyyy), the other dates as the text typed, weights as numbers, and the
 * header in English when asked.
 */
export async function examplePlanXlsx(options: { english?: boolean } = {}): Promise<Buffer> {
  const [header, ...data] = readCsvTable(readFileSync(examplePlanCsv));
  const due = header!.indexOf("tenggat");
  const weight = header!.indexOf("bobot");
  const dateCells: string[] = [];
  const rows: ExcelJS.CellValue[][] = [
    options.english ? header!.map((h) => english[h] ?? h) : header!,
    ...data.map((cells, r) =>
      cells.map((cell, i) => {
        if (i === weight) return Number(cell);
        const iso = /^(\d{4})-(\d\d)-(\d\d)$/.exec(cell);
        if (i === due && iso) {
          dateCells.push(`${String.fromCharCode(65 + i)}${r + 2}`);
          return new Date(Date.UTC(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3])));
        }
        return cell;
      }),
    ),
  ];
  return workbookBytes(rows, (sheet) => {
    for (const address of dateCells) sheet.getCell(address).numFmt = "dd/mm/yyyy";
  });
}

/**
 * A "zip bomb" workbook: its sheet is `megabytes` MB of spaces after a valid start, deflated to a
 * couple of MB, and its central directory claims the sheet unpacks to 1,000 bytes. Deflated as
 * a stream by zlib, so the test process never holds the inflated sheet itself.
 */
export async function zipBombXlsx(megabytes: number): Promise<Buffer> {
  const zip = await JSZip.loadAsync(await workbookBytes([["program"], ["KIPP 2023"]]));
  const sheetName = "xl/worksheets/sheet1.xml";
  const sheet = await zip.file(sheetName)!.async("string");
  const spaces = Buffer.alloc(1024 * 1024, 0x20);
  const deflated: Buffer[] = [];
  await pipeline(
    Readable.from(
      (function* () {
        yield Buffer.from(sheet.slice(0, sheet.indexOf("<sheetData>")));
        for (let i = 0; i < megabytes; i += 1) yield spaces;
      })(),
    ),
    createDeflateRaw({ level: 1 }),
    new Writable({ write: (chunk: Buffer, _encoding, done) => void (deflated.push(chunk), done()) }),
  );
  // Stored as is, then marked deflated (method 8) with a declared size of 1,000 bytes.
  zip.file(sheetName, Buffer.concat(deflated), { compression: "STORE" });
  const bomb = await zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
  const named = (at: number, nameAt: number, lengthAt: number) =>
    bomb.toString("latin1", at + nameAt, at + nameAt + bomb.readUInt16LE(at + lengthAt)) === sheetName;
  for (let at = bomb.indexOf("PK\x03\x04"); at >= 0; at = bomb.indexOf("PK\x03\x04", at + 4)) {
    if (named(at, 30, 26)) bomb.writeUInt16LE(8, at + 8);
  }
  for (let at = bomb.indexOf("PK\x01\x02"); at >= 0; at = bomb.indexOf("PK\x01\x02", at + 4)) {
    if (!named(at, 46, 28)) continue;
    bomb.writeUInt16LE(8, at + 10);
    bomb.writeUInt32LE(1000, at + 24);
  }
  return bomb;
}
