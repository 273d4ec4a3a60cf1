import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { parseDueDate, resolveTimeZone, type CalendarDate } from "./dates.js";
import { AppError } from "./errors.js";

/**
 * Action-plan files: one row per step, the header in spreadsheet row 1. A reader (CSV or XLSX)
 * turns a file into rows of strings, where index i is spreadsheet row i + 1; validatePlanTable
 * checks every cell of every row and names each problem by spreadsheet row and canonical
 * (Indonesian) column name, whatever the file's format.
 */

/** One valid step of an action plan, with the spreadsheet row it came from. */
export interface PlanRow {
  /** Spreadsheet row number (the header is row 1). */
  row: number;
  program: string;
  region: string;
  /** IANA time zone; null when no row of this region gives one. */
  timezone: string | null;
  unit: string;
  /** Upper-case unit code; null when no row of this unit gives one. */
  unitCode: string | null;
  initiative: string;
  /** Where the innovation comes from; null when no row of this initiative gives it. */
  origin: string | null;
  milestone: string;
  dueDate: CalendarDate;
  /** Weight of the step within its initiative, > 0 (1 when the cell is blank). */
  weight: number;
}

export const planErrorCodes = [
  "missing_column",
  "required",
  "bad_date",
  "bad_timezone",
  "bad_weight",
  "bad_unit_code",
  "too_long",
  "duplicate_row",
  "timezone_conflict",
  "unit_code_conflict",
  /** Not produced here: the importer's code for a unit code already held by another unit in the database. */
  "unit_code_taken",
  "empty_file",
] as const;
export type PlanErrorCode = (typeof planErrorCodes)[number];

/** Longest name (program, region, unit, initiative, origin, step) a file may give. */
export const maxNameLength = 200;

/** A problem in a file: where (spreadsheet row, Indonesian column name) and what. */
export interface PlanError {
  /** Spreadsheet row number (the header is row 1). */
  row: number;
  /** Canonical (Indonesian) column name; "" for a whole-row or whole-file problem. */
  column: string;
  code: PlanErrorCode;
  /**
   * The offending text (bad_date, bad_timezone, bad_weight, bad_unit_code, unit_code_conflict),
   * the time zone the region was given first (timezone_conflict) or the row number of the
   * earlier identical row (duplicate_row).
   */
  value?: string;
}

/** The canonical (Indonesian) column names, in the order of the example file. */
export const planColumns = ["program", "pemda", "zona_waktu", "opd", "kode_opd", "inovasi", "asal", "tahapan", "tenggat", "bobot"] as const;
export type PlanColumn = (typeof planColumns)[number];

/** Columns every file must have (and every data row must fill). */
export const requiredPlanColumns: readonly PlanColumn[] = ["program", "pemda", "opd", "inovasi", "tahapan", "tenggat"];

/** Header spellings, normalised (lower case, runs of spaces, "_" and "-" as one "_"). */
const aliases: Record<string, PlanColumn> = {
  program: "program",
  pemda: "pemda",
  region: "pemda",
  zona_waktu: "zona_waktu",
  timezone: "zona_waktu",
  time_zone: "zona_waktu",
  opd: "opd",
  unit: "opd",
  kode_opd: "kode_opd",
  unit_code: "kode_opd",
  inovasi: "inovasi",
  initiative: "inovasi",
  asal: "asal",
  origin: "asal",
  tahapan: "tahapan",
  milestone: "tahapan",
  tenggat: "tenggat",
  due: "tenggat",
  due_date: "tenggat",
  bobot: "bobot",
  weight: "bobot",
};

/** The canonical column a header cell names, or undefined for a column Pantau does not use. */
export function planColumnOf(header: string): PlanColumn | undefined {
  const key = header
    .replace(/^\uFEFF/, "")
    .trim()
    .toLowerCase()
    .replace(/\*+$/, "") // "tenggat*": a template's mark for a required column
    .trim()
    .replace(/[\s_-]+/g, "_");
  return Object.hasOwn(aliases, key) ? aliases[key] : undefined;
}

// ---------------------------------------------------------------------------------------------
// CSV

/** Windows-1252 characters at 0x80-0x9F (the rest of the range is Latin-1). */
const cp1252High: Record<number, string> = {
  0x80: "€", 0x82: "‚", 0x83: "ƒ", 0x84: "„", 0x85: "…", 0x86: "†", 0x87: "‡", 0x88: "ˆ", 0x89: "‰",
  0x8a: "Š", 0x8b: "‹", 0x8c: "Œ", 0x8e: "Ž", 0x91: "‘", 0x92: "’", 0x93: "“", 0x94: "”", 0x95: "•",
  0x96: "–", 0x97: "—", 0x98: "˜", 0x99: "™", 0x9a: "š", 0x9b: "›", 0x9c: "œ", 0x9e: "ž", 0x9f: "Ÿ",
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
 * text after a closing quote), `row` being the spreadsheet row of the broken record.
 */
export function readCsvTable(content: string | Buffer): string[][] {
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
  return records.map((record) => {
    const cells = record.map((cell) => cell.trim());
    return cells.every((cell) => cell === "") ? [] : cells;
  });
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

/** Most a workbook may unpack to: an action plan is hundreds of rows, not hundreds of megabytes. */
export const maxXlsxUnpackedBytes = 100 * 1024 * 1024;

/**
 * What the entries of a ZIP file say they unpack to, from its central directory; null when
 * there is no readable directory (exceljs then finds the file damaged), Infinity for ZIP64
 * sizes (no action plan needs them). Refusing large totals before unpacking keeps a "zip
 * bomb" sent to the bot from filling its memory; sizes that lie are caught by the unpacker's
 * own checks.
 */
function zipUnpackedBytes(content: Buffer): number | null {
  const eocd = content.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0 || eocd + 22 > content.length) return null;
  const entries = content.readUInt16LE(eocd + 10);
  let at = content.readUInt32LE(eocd + 16);
  let total = 0;
  for (let i = 0; i < entries; i += 1) {
    if (at + 46 > content.length || content.readUInt32LE(at) !== 0x02014b50) return null;
    const size = content.readUInt32LE(at + 24);
    if (size === 0xffffffff || content.readUInt32LE(at + 20) === 0xffffffff) return Infinity;
    total += size;
    at += 46 + content.readUInt16LE(at + 28) + content.readUInt16LE(at + 30) + content.readUInt16LE(at + 32);
  }
  return total;
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
 * "import.xlsx_too_large" for one that unpacks to more than maxXlsxUnpackedBytes, and
 * "import.xlsx_unreadable" for anything else that is not a readable workbook.
 */
export async function readXlsxTable(content: Buffer): Promise<string[][]> {
  if (content.subarray(0, 8).equals(oleMagic)) {
    // Both are OLE files; an encrypted OOXML package holds an "EncryptionInfo" stream.
    throw new AppError(content.includes(Buffer.from("EncryptionInfo", "utf16le")) ? "import.xlsx_encrypted" : "import.xlsx_format");
  }
  if (!content.subarray(0, 4).equals(zipMagic)) throw new AppError("import.xlsx_unreadable");
  // An OpenDocument file names its type in the first entry, "mimetype", stored uncompressed.
  if (content.subarray(30, 100).includes("application/vnd.oasis.opendocument")) throw new AppError("import.xlsx_format");
  if ((zipUnpackedBytes(content) ?? 0) > maxXlsxUnpackedBytes) throw new AppError("import.xlsx_too_large");
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs declares its own Buffer (an ArrayBuffer) in its types; at run time it takes Node's.
    await workbook.xlsx.load(content as unknown as ArrayBuffer);
  } catch {
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
  return table;
}

/**
 * Reads an action-plan file of either format, told apart by its bytes (a ZIP or OLE container
 * is a workbook, anything else CSV), so a file named wrongly is still read right. The name
 * only matters for a damaged workbook: "plan.xlsx" that is no ZIP is an unreadable workbook,
 * not a CSV file of binary garbage.
 */
export async function readPlanTable(content: Buffer, fileName = ""): Promise<string[][]> {
  if (looksLikeXlsx(content) || /\.xls[xm]?$/i.test(fileName)) return readXlsxTable(content);
  return readCsvTable(content);
}

// ---------------------------------------------------------------------------------------------
// Validation

/** Trims and collapses runs of whitespace (also non-breaking spaces) to one space. */
const collapse = (s: string | undefined) => (s ?? "").replace(/\s+/g, " ").trim();

/** "1", "2.5", "1,5" (Indonesian decimal comma); nothing else (no signs, exponents, hex). */
function parseWeight(text: string): number | null {
  if (!/^\d+(?:[.,]\d+)?$/.test(text)) return null;
  const value = Number(text.replace(",", "."));
  return value > 0 ? value : null;
}

/** Allowed unit codes after upper-casing. */
const unitCodePattern = /^[A-Z0-9_-]{1,40}$/;

const key = (...parts: string[]) => parts.join("\u0000");

/**
 * Checks a table whose first row is the header and turns its data rows into PlanRows.
 *
 * Columns are found by name (Indonesian or English, any case, spaces/"_"/"-" alike, in any
 * order); other columns are ignored. A missing required column is one `missing_column` error
 * (row 1) per column, and nothing else is checked. Otherwise every problem of every row is
 * reported, not only the first; blank rows are skipped. Cross-row checks name the later row:
 * - `duplicate_row`: program, region, unit, initiative and step (ignoring case) seen before;
 * - `timezone_conflict`: a region given another time zone than before;
 * - `unit_code_conflict`: a code given before to another (region, unit), or a (region, unit)
 *   given another code than before.
 * A time zone, unit code or origin given in one row applies to the region's, unit's or
 * initiative's other rows too, so the rows agree whichever of them an importer reads first.
 *
 * `rows` holds the valid rows; a caller must import nothing when `errors` is not empty.
 */
export function validatePlanTable(table: string[][]): { rows: PlanRow[]; errors: PlanError[] } {
  const errors: PlanError[] = [];
  const isBlank = (cells: string[] | undefined) => !cells || cells.every((cell) => collapse(cell) === "");
  if (table.every(isBlank)) return { rows: [], errors: [{ row: 1, column: "", code: "empty_file" }] };

  const index = new Map<PlanColumn, number>();
  (table[0] ?? []).forEach((header, i) => {
    const column = planColumnOf(header ?? "");
    if (column && !index.has(column)) index.set(column, i);
  });
  for (const column of requiredPlanColumns) if (!index.has(column)) errors.push({ row: 1, column, code: "missing_column" });
  if (errors.length) return { rows: [], errors };

  const rows: PlanRow[] = [];
  const firstRowOf = new Map<string, number>();
  const zoneOf = new Map<string, string>();
  const codeOwner = new Map<string, string>();
  const codeOf = new Map<string, string>();
  const originOf = new Map<string, string>();
  let dataRows = 0;

  table.forEach((cells, i) => {
    if (i === 0 || isBlank(cells)) return;
    dataRows += 1;
    const row = i + 1;
    const cell = (column: PlanColumn) => {
      const at = index.get(column);
      return at === undefined ? "" : collapse(cells[at]);
    };
    const rowErrors: PlanError[] = [];
    const fail = (column: PlanColumn | "", code: PlanErrorCode, value?: string) =>
      rowErrors.push(value === undefined ? { row, column, code } : { row, column, code, value });

    for (const column of requiredPlanColumns) if (!cell(column)) fail(column, "required");
    const [program, region, unit, initiative, milestone] = [cell("program"), cell("pemda"), cell("opd"), cell("inovasi"), cell("tahapan")];
    // Names end up in chat messages and on buttons: a paragraph pasted into a cell is a mistake.
    for (const column of ["program", "pemda", "opd", "inovasi", "asal", "tahapan"] as const) {
      if (cell(column).length > maxNameLength) fail(column, "too_long", String(maxNameLength));
    }

    const dueText = cell("tenggat");
    const dueDate = dueText ? parseDueDate(dueText) : null;
    if (dueText && !dueDate) fail("tenggat", "bad_date", dueText);

    const zoneText = cell("zona_waktu");
    const timezone = zoneText ? resolveTimeZone(zoneText) : null;
    if (zoneText && !timezone) fail("zona_waktu", "bad_timezone", zoneText);

    const weightText = cell("bobot");
    const weight = weightText ? parseWeight(weightText) : 1;
    if (weight === null) fail("bobot", "bad_weight", weightText);

    const codeText = cell("kode_opd").toUpperCase();
    const unitCode = codeText && unitCodePattern.test(codeText) ? codeText : null;
    if (codeText && !unitCode) fail("kode_opd", "bad_unit_code", codeText);

    // Cross-row checks run whenever the cells they compare are valid, whatever else is wrong.
    if (program && region && unit && initiative && milestone) {
      const identity = key(program, region, unit, initiative, milestone).toLowerCase();
      const earlier = firstRowOf.get(identity);
      if (earlier !== undefined) fail("", "duplicate_row", String(earlier));
      else firstRowOf.set(identity, row);
    }
    if (region && timezone) {
      const earlier = zoneOf.get(region);
      if (earlier !== undefined && earlier !== timezone) fail("zona_waktu", "timezone_conflict", earlier);
      else zoneOf.set(region, timezone);
    }
    const unitKey = key(region, unit);
    if (region && unit && unitCode) {
      const owner = codeOwner.get(unitCode);
      const earlierCode = codeOf.get(unitKey);
      if ((owner !== undefined && owner !== unitKey) || (earlierCode !== undefined && earlierCode !== unitCode)) {
        fail("kode_opd", "unit_code_conflict", unitCode);
      } else {
        codeOwner.set(unitCode, unitKey);
        codeOf.set(unitKey, unitCode);
      }
    }
    const origin = cell("asal");
    const initiativeKey = key(program, region, unit, initiative);
    if (origin && !originOf.has(initiativeKey)) originOf.set(initiativeKey, origin);

    if (rowErrors.length) {
      errors.push(...rowErrors);
      return;
    }
    rows.push({
      row,
      program,
      region,
      timezone,
      unit,
      unitCode,
      initiative,
      origin: origin || null,
      milestone,
      dueDate: dueDate!,
      weight: weight!,
    });
  });

  if (dataRows === 0) errors.push({ row: 1, column: "", code: "empty_file" });
  for (const r of rows) {
    r.timezone ??= zoneOf.get(r.region) ?? null;
    r.unitCode ??= codeOf.get(key(r.region, r.unit)) ?? null;
    r.origin ??= originOf.get(key(r.program, r.region, r.unit, r.initiative)) ?? null;
  }
  return { rows, errors };
}

// ---------------------------------------------------------------------------------------------
// Unit codes

/** Words naming the kind of region, dropped from the start of a region name. */
const regionTypeWords = new Set(["PEMERINTAH", "PEMKAB", "PEMKOT", "PEMPROV", "KABUPATEN", "KAB", "KOTA", "PROVINSI", "PROV", "ADMINISTRASI"]);
/** Words left out of a unit's initials. */
const fillerWords = new Set(["DAN", "AND", "OF", "THE", "SERTA"]);

const maxCode = 24;
const maxRegionPart = 15;

/** Upper-case words of Latin letters and digits, accents dropped ("&", "," and "." split words). */
function codeWords(text: string): string[] {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
}

/**
 * A readable unit code for a unit the file gives no `kode_opd` for:
 * `<REGION>-<UNIT>`, upper case, at most 24 characters of A-Z, 0-9 and "-".
 *
 * - Region part: the region's words without the leading type words (Pemerintah, Kabupaten,
 *   Kab., Kota, Provinsi, Prov., Administrasi), joined: "Kabupaten Bangka Barat" → BANGKABARAT.
 *   Longer than 15 characters: words are cut to their initial from the left until it fits
 *   ("Kabupaten Kepulauan Mentawai" → KMENTAWAI), then it is cut at 15.
 * - Unit part: the initials of the unit's words without fillers (dan, and, of, the, serta;
 *   "&" and punctuation separate words), numbers kept whole: "Dinas Pariwisata dan
 *   Kebudayaan" → DPK, "UPTD Puskesmas 2" → UP2. A unit of one word keeps the word
 *   ("Bappeda" → BAPPEDA), cut to fit.
 * - Accents are dropped; an empty part becomes PEMDA or OPD.
 *
 * So "Kabupaten Bangka Barat" + "Dinas Pariwisata dan Kebudayaan" → "BANGKABARAT-DPK".
 * Different units can get the same code (Dinas Pendidikan and Dinas Perhubungan are both DP;
 * Kota Solok and Kabupaten Solok are both SOLOK): pass the codes already in use as `taken` to
 * get the first free one of CODE, CODE-2, CODE-3…
 */
export function deriveUnitCode(region: string, unit: string, taken?: ReadonlySet<string>): string {
  const regionWords = codeWords(region);
  let start = 0;
  while (start < regionWords.length - 1 && regionTypeWords.has(regionWords[start]!)) start += 1;
  const place = regionWords.slice(start);
  for (let i = 0; place.join("").length > maxRegionPart && i < place.length - 1; i += 1) place[i] = place[i]!.slice(0, 1);
  const regionPart = place.join("").slice(0, maxRegionPart) || "PEMDA";

  const unitWords = codeWords(unit).filter((w) => !fillerWords.has(w));
  const unitPart =
    (unitWords.length === 1 ? unitWords[0]! : unitWords.map((w) => (/^\d+$/.test(w) ? w : w.slice(0, 1))).join("")).slice(
      0,
      maxCode - regionPart.length - 1,
    ) || "OPD";

  const base = `${regionPart}-${unitPart}`;
  if (!taken?.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const suffix = `-${n}`;
    const candidate = base.slice(0, maxCode - suffix.length).replace(/-+$/, "") + suffix;
    if (!taken.has(candidate)) return candidate;
  }
}
