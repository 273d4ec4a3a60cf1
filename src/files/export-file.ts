import type ExcelJS from "exceljs";
import type { CalendarDate } from "../domain/dates.js";
import { withoutAccents } from "../domain/text.js";
import type { ProgramExport, RecapExportRow, StepExportRow } from "../services/export.js";

/**
 * The recap file (services/export.ts builds its data): an XLSX workbook with a "Rekap" and a
 * "Tahapan" sheet, or the "Tahapan" rows as CSV, cells neutralised against formula injection.
 */

/** The words of an export file, from the reader's catalogue. */
export interface ExportLabels {
  recapSheet: string;
  stepsSheet: string;
  recapHeaders: Record<keyof RecapExportRow, string>;
  stepHeaders: Record<keyof StepExportRow, string>;
  /** Status names by MilestoneStatus ("belum mulai", "berjalan", "selesai", "terkendala"). */
  statusNames: Record<string, string>;
}

const recapColumns: (keyof RecapExportRow)[] = ["program", "region", "unit", "initiative", "progress", "steps", "done", "overdue"];
const stepColumns: (keyof StepExportRow)[] = [
  "program",
  "region",
  "unit",
  "unitCode",
  "initiative",
  "origin",
  "step",
  "dueDate",
  "weight",
  "progress",
  "status",
  "daysLate",
  "lastReportDate",
  "lastReportNote",
  "reportedBy",
];
const dateColumns = new Set<string>(["dueDate", "lastReportDate"]);

/**
 * Text a spreadsheet could take for a formula, per OWASP's "CSV Injection": a leading =, +, -
 * or @ (also their full-width forms, which some Excel locales read alike, and after leading
 * blanks), a tab or a carriage return.
 */
const formulaLike = /^(?:[\t\r]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/;

/**
 * Neutralises text for a spreadsheet cell as OWASP recommends: text a spreadsheet could take
 * for a formula gets a leading apostrophe, so a note such as =HYPERLINK("http://evil") stays
 * visible text in Excel, LibreOffice and Google Sheets, in the XLSX file and in the CSV file.
 */
export function neutraliseFormula(text: string): string {
  return formulaLike.test(text) ? `'${text}` : text;
}

type CellValue = string | number | CalendarDate | null;

function cellsOf<T extends object>(row: T, columns: (keyof T)[], labels: ExportLabels): CellValue[] {
  return columns.map((column) => {
    const value = row[column] as unknown;
    if (column === "status") return labels.statusNames[String(value)] ?? String(value);
    return value === undefined ? null : (value as CellValue);
  });
}

const utcDate = (date: CalendarDate) => {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  // Midnight UTC is what Excel's day serial means (exceljs converts with UTC): no zone shift.
  return new Date(Date.UTC(y, m - 1, d));
};

function addSheet(workbook: ExcelJS.Workbook, name: string, headers: string[], columns: string[], rows: CellValue[][]): void {
  const sheet = workbook.addWorksheet(name, { views: [{ state: "frozen", ySplit: 1, xSplit: 0 }] });
  const header = sheet.addRow(headers);
  header.font = { bold: true };
  header.alignment = { vertical: "middle", wrapText: true };
  header.eachCell((cell) => {
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFDDEBF7" } };
    cell.value = neutraliseFormula(String(cell.value ?? ""));
  });
  const widths = headers.map((h) => Math.min(h.length, 24));
  for (const values of rows) {
    const row = sheet.addRow(
      values.map((value, i) => {
        if (value === null) return null;
        if (dateColumns.has(columns[i]!)) return utcDate(String(value));
        return typeof value === "string" ? neutraliseFormula(value) : value;
      }),
    );
    values.forEach((value, i) => {
      if (dateColumns.has(columns[i]!) && value !== null) row.getCell(i + 1).numFmt = "dd/mm/yyyy";
      const shown = value === null ? 0 : dateColumns.has(columns[i]!) ? 10 : String(value).length;
      widths[i] = Math.max(widths[i]!, shown);
    });
  }
  // Wide enough for most cells, never so wide that a long note pushes everything off screen.
  widths.forEach((width, i) => (sheet.getColumn(i + 1).width = Math.min(Math.max(width + 2, 8), 50)));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, rows.length + 1), column: headers.length } };
}

/** An XLSX workbook with the sheets "Rekap" (per initiative) and "Tahapan" (per step). */
export async function writeExportXlsx(programs: ProgramExport[], labels: ExportLabels, now: Date): Promise<Buffer> {
  // Loaded on the first export: exceljs costs tens of megabytes a bot that never exports would hold.
  const { default: Excel } = await import("exceljs");
  const workbook = new Excel.Workbook();
  workbook.creator = "Pantau";
  workbook.created = now;
  workbook.modified = now;
  addSheet(
    workbook,
    labels.recapSheet,
    recapColumns.map((c) => labels.recapHeaders[c]),
    recapColumns,
    programs.flatMap((p) => p.recap.map((row) => cellsOf(row, recapColumns, labels))),
  );
  addSheet(
    workbook,
    labels.stepsSheet,
    stepColumns.map((c) => labels.stepHeaders[c]),
    stepColumns,
    programs.flatMap((p) => p.steps.map((row) => cellsOf(row, stepColumns, labels))),
  );
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** RFC 4180 field: text always quoted (doubling quotes) and neutralised; numbers and dates bare. */
export function csvField(value: CellValue, isText: boolean): string {
  if (value === null) return "";
  if (!isText) return String(value);
  return `"${neutraliseFormula(String(value)).replace(/"/g, '""')}"`;
}

/**
 * The "Tahapan" rows as CSV: UTF-8 with a byte order mark (so Excel reads the accents right),
 * comma-separated, CRLF line ends, dates as 2022-01-14 (read alike by every locale and by
 * `pantau import`).
 */
export function writeExportCsv(programs: ProgramExport[], labels: ExportLabels): Buffer {
  const lines = [stepColumns.map((c) => csvField(labels.stepHeaders[c], true)).join(",")];
  for (const program of programs) {
    for (const row of program.steps) {
      const values = cellsOf(row, stepColumns, labels);
      lines.push(values.map((value, i) => csvField(value, typeof value === "string" && !dateColumns.has(stepColumns[i]!))).join(","));
    }
  }
  return Buffer.from(`\uFEFF${lines.join("\r\n")}\r\n`, "utf8");
}

/** "rekap-replikasi-inovasi-2022-kabupaten-bangka-barat-2022-01-11.xlsx" */
export function exportFileName(program: string, date: CalendarDate, extension = "xlsx"): string {
  const slug =
    withoutAccents(program)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60)
      .replace(/-+$/, "") || "program";
  return `rekap-${slug}-${date}.${extension}`;
}
