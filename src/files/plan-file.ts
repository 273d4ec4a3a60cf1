import { parse } from "csv-parse/sync";
import type JSZip from "jszip";
import { AppError } from "../domain/errors.js";

/**
 * Reading action-plan files (CSV, XLSX) into rows of cell texts, index i being spreadsheet row
 * i + 1, within limits that keep a huge or hostile file from filling the bot's memory. The rules
 * a plan must follow are the domain's (validatePlanTable in domain/plan-table.ts).
 */

/** What a plan file may be: its size, its steps and, for a workbook, what it unpacks to. */
export interface PlanFileLimits {
  /** Bytes of the file itself. */
  maxFileBytes: number;
  /** Data rows (steps) that are not blank. */
  maxRows: number;
  /** Bytes a workbook's ZIP entries inflate to, counted as they inflate. */
  maxUnpackedBytes: number;
}

/**
 * The limits for a file sent to the bot and for `pantau import` (which lifts them with
 * --no-limits): a plan of a whole province is a few thousand steps, well under a megabyte.
 */
export const planFileLimits: PlanFileLimits = { maxFileBytes: 10 * 1024 * 1024, maxRows: 10_000, maxUnpackedBytes: 50 * 1024 * 1024 };

/** No limits, for an admin who means it. */
export const noPlanFileLimits: PlanFileLimits = { maxFileBytes: Infinity, maxRows: Infinity, maxUnpackedBytes: Infinity };

/** Throws import.too_many_rows when a table holds more non-blank data rows than allowed. */
function checkRows(table: string[][], maxRows: number): string[][] {
  let rows = 0;
  for (let i = 1; i < table.length; i += 1) if (table[i]!.length > 0) rows += 1;
  if (rows > maxRows) throw new AppError("import.too_many_rows", { max: maxRows });
  return table;
}

// ---------------------------------------------------------------------------------------------
// CSV

/** Windows-1252 characters at 0x80-0x9F (the rest of the range is Latin-1). */
const cp1252High: Record<number, string> = {
  0x80: "€",
  0x82: "‚",
  0x83: "ƒ",
  0x84: "„",
  0x85: "…",
  0x86: "†",
  0x87: "‡",
  0x88: "ˆ",
  0x89: "‰",
  0x8a: "Š",
  0x8b: "‹",
  0x8c: "Œ",
  0x8e: "Ž",
  0x91: "‘",
  0x92: "’",
  0x93: "“",
  0x94: "”",
  0x95: "•",
  0x96: "–",
  0x97: "—",
  0x98: "˜",
  0x99: "™",
  0x9a: "š",
  0x9b: "›",
  0x9c: "œ",
  0x9e: "ž",
  0x9f: "Ÿ",
};

/** UTF-8 when the bytes are valid UTF-8, else Windows-1252 (what older Excel versions save). */
function decode(content: Buffer): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(content);
  } catch {
    return Array.from(content, (byte) => cp1252High[byte] ?? String.fromCharCode(byte)).join("");
  }
}

/** Counts a character outside double-quoted parts of a line. */
function countUnquoted(line: string, char: string): number {
  let count = 0;
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (c === char && !quoted) count += 1;
  }
  return count;
}

/**
 * Reads a CSV action-plan file into rows of trimmed cells; index i of the result is
 * spreadsheet row i + 1 (a quoted cell spanning lines stays one row, as in a spreadsheet).
 *
 * - UTF-8 with or without BOM; bytes that are not valid UTF-8 are read as Windows-1252.
 * - The delimiter is "," or ";" (Indonesian Excel saves ";"), whichever the header row uses
 *   more outside quotes; a first line "sep=;" as Excel writes it is honoured and dropped.
 * - Blank rows (no cell with text) come back as [] so that row numbers stay right.
 * - Quotes inside an unquoted cell (Dinas "Kominfo", typed by hand) are kept as text.
 *
 * Throws AppError("import.unreadable", { row }) when the file is not CSV (an unclosed quote,
 * text after a closing quote), `row` being the spreadsheet row of the broken record, and
 * "import.too_many_rows" when it holds more than `maxRows` steps.
 */
export function readCsvTable(content: string | Buffer, maxRows = Infinity): string[][] {
  let text = (typeof content === "string" ? content : decode(content)).replace(/^\uFEFF/, "");
  let delimiter: string | undefined;
  const sep = /^sep=([,;\t|])[ \t]*(?:\r?\n|\r|$)/i.exec(text);
  if (sep) {
    delimiter = sep[1];
    text = text.slice(sep[0].length);
  }
  if (!delimiter) {
    const header = text.split(/\r?\n|\r/).find((line) => line.trim() !== "") ?? "";
    delimiter = countUnquoted(header, ";") > countUnquoted(header, ",") ? ";" : ",";
  }
  let records: string[][];
  try {
    records = parse(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, trim: true }) as string[][];
  } catch (err) {
    const parsedBefore = (err as { records?: unknown }).records;
    throw new AppError("import.unreadable", typeof parsedBefore === "number" ? { row: parsedBefore + 1 } : {});
  }
  const table = records.map((record) => {
    const cells = record.map((cell) => cell.trim());
    return cells.every((cell) => cell === "") ? [] : cells;
  });
  return checkRows(table, maxRows);
}

// ---------------------------------------------------------------------------------------------
// XLSX

/** "YYYY-MM-DD" of a Date exceljs made from an Excel serial date (it is midnight UTC of that day). */
function excelCalendarDate(date: Date): string {
  if (Number.isNaN(date.getTime())) return "";
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  // UTC parts: exceljs maps serial day n to n days after 1899-12-30 00:00 UTC, so reading the
  // parts in the server's zone (or any region's) would shift the day west of Greenwich.
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** The text a cell shows, as the CSV export of the same sheet would hold it. */
function xlsxCellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) return excelCalendarDate(value);
  if (typeof value === "object") {
    const v = value as { richText?: { text?: string }[]; result?: unknown; formula?: string; sharedFormula?: string; text?: unknown; error?: string };
    if (Array.isArray(v.richText)) return v.richText.map((run) => run.text ?? "").join("");
    // A formula: the value Excel computed and saved with it (a formula never computed reads as blank).
    if (v.formula !== undefined || v.sharedFormula !== undefined || "result" in v) return xlsxCellText(v.result);
    // A hyperlink: its shown text (itself plain or rich text).
    if (v.text !== undefined) return xlsxCellText(v.text);
    if (typeof v.error === "string") return v.error;
  }
  return "";
}

const zipMagic = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
/** OLE compound file: an .xls of Excel 97-2003, or an .xlsx encrypted with a password. */
const oleMagic = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/**
 * Inflates every entry of a ZIP file, keeping nothing, and throws import.xlsx_too_large as soon
 * as more than `maxBytes` came out in all. The sizes a ZIP declares can lie (a "zip bomb" of a
 * few hundred KB declaring 1,000 bytes inflates to gigabytes): only inflated bytes are counted,
 * and JSZip inflates in small steps, so little more than one step is ever held.
 */
async function checkUnpackedSize(zip: JSZip, maxBytes: number): Promise<void> {
  let total = 0;
  for (const entry of Object.values(zip.files)) {
    if (entry.dir) continue;
    await new Promise<void>((resolve, reject) => {
      const stream = entry.nodeStream("nodebuffer");
      stream
        .on("data", (chunk: Buffer) => {
          total += chunk.length;
          if (total <= maxBytes) return;
          // Pausing the stream stops the inflating; nothing more is read of this file.
          stream.pause();
          reject(new AppError("import.xlsx_too_large", { max: maxBytes }));
        })
        .on("error", reject)
        .on("end", resolve);
    });
  }
}

/** True when the bytes are a ZIP container (XLSX, but also ODS or DOCX) rather than text. */
export function looksLikeXlsx(content: Buffer): boolean {
  return content.subarray(0, 4).equals(zipMagic) || content.subarray(0, 8).equals(oleMagic);
}

/**
 * Reads the first visible worksheet of an XLSX workbook into rows of trimmed cell texts, index
 * i being spreadsheet row i + 1 (blank rows come back as [] so that row numbers stay right).
 *
 * - A date cell becomes its calendar date "YYYY-MM-DD", never shifted by a time zone.
 * - A number becomes its shortest decimal ("2", "1.5"); rich text its plain text; a formula
 *   the result saved with it; a hyperlink its text; an error value such as #N/A its code.
 * - A merged range gives its value to every cell in it (a program name merged down a column
 *   applies to each row).
 *
 * Throws AppError "import.xlsx_encrypted" for a password-protected workbook,
 * "import.xlsx_format" for an .xls of Excel 97-2003 or an OpenDocument sheet,
 * "import.xlsx_too_large" for one that unpacks to more than `limits.maxUnpackedBytes` (whatever
 * its entries declare), "import.too_many_rows" for more than `limits.maxRows` steps, and
 * "import.xlsx_unreadable" for anything else that is not a readable workbook.
 */
export async function readXlsxTable(content: Buffer, limits: Pick<PlanFileLimits, "maxRows" | "maxUnpackedBytes"> = planFileLimits): Promise<string[][]> {
  if (content.subarray(0, 8).equals(oleMagic)) {
    // Both are OLE files; an encrypted OOXML package holds an "EncryptionInfo" stream.
    throw new AppError(content.includes(Buffer.from("EncryptionInfo", "utf16le")) ? "import.xlsx_encrypted" : "import.xlsx_format");
  }
  if (!content.subarray(0, 4).equals(zipMagic)) throw new AppError("import.xlsx_unreadable");
  // An OpenDocument file names its type in the first entry, "mimetype", stored uncompressed.
  if (content.subarray(30, 100).includes("application/vnd.oasis.opendocument")) throw new AppError("import.xlsx_format");
  // Loaded for the first workbook only (in the reading thread): a CSV plan never needs them.
  const [{ default: ExcelJS }, { default: Zip }] = await Promise.all([import("exceljs"), import("jszip")]);
  const workbook = new ExcelJS.Workbook();
  try {
    // Only once the real size is known does exceljs (which inflates whatever is there) get it.
    if (limits.maxUnpackedBytes !== Infinity) await checkUnpackedSize(await Zip.loadAsync(content), limits.maxUnpackedBytes);
    // exceljs declares its own Buffer (an ArrayBuffer) in its types; at run time it takes Node's.
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError("import.xlsx_unreadable");
  }
  const sheets = workbook.worksheets;
  const sheet = sheets.find((s) => s.state === "visible" || s.state === undefined) ?? sheets[0];
  if (!sheet) throw new AppError("import.xlsx_unreadable");
  const table: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = xlsxCellText(cell.value).trim();
    });
    for (let i = 0; i < cells.length; i += 1) cells[i] ??= "";
    while (table.length < rowNumber - 1) table.push([]);
    table[rowNumber - 1] = cells.every((cell) => cell === "") ? [] : cells;
  });
  return checkRows(table, limits.maxRows);
}

/**
 * Reads an action-plan file of either format, told apart by its bytes (a ZIP or OLE container
 * is a workbook, anything else CSV), so a file named wrongly is still read right. The name
 * only matters for a damaged workbook: "plan.xlsx" that is no ZIP is an unreadable workbook,
 * not a CSV file of binary garbage. Throws import.file_too_large for a file over
 * `limits.maxFileBytes`, and the readers' errors.
 */
export async function readPlanTable(content: Buffer, fileName = "", limits: PlanFileLimits = planFileLimits): Promise<string[][]> {
  if (content.length > limits.maxFileBytes) throw new AppError("import.file_too_large", { max: limits.maxFileBytes });
  if (isWorkbook(content, fileName)) return readXlsxTable(content, limits);
  return readCsvTable(content, limits.maxRows);
}

/** Is this file read as a workbook (by its bytes or its name), else as CSV? */
export function isWorkbook(content: Buffer, fileName: string): boolean {
  return looksLikeXlsx(content) || /\.xls[xm]?$/i.test(fileName);
}
