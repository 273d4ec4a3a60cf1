import { readFileSync } from "node:fs";
import ExcelJS from "exceljs";
import { readCsvTable } from "../../src/domain/plan-table.js";

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
