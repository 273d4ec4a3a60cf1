import { parse } from "csv-parse/sync";
import { parseDueDate, resolveTimeZone, type CalendarDate } from "./dates.js";
import { AppError } from "./errors.js";

/**
 * Action-plan files: one row per step, header in spreadsheet row 1. A reader turns a file
 * (CSV here) into a table of strings; validatePlanTable checks every cell of every row and
 * names each problem by spreadsheet row and column.
 */

/** One valid step of an action plan, with the spreadsheet row it came from. */
export interface PlanRow {
  row: number;
  program: string;
  region: string;
  /** IANA time zone, null when the file gives none. */
  timezone: string | null;
  unit: string;
  unitCode: string | null;
  initiative: string;
  origin: string | null;
  milestone: string;
  dueDate: CalendarDate;
  weight: number;
}

export type PlanErrorCode =
  | "missing_column"
  | "required"
  | "bad_date"
  | "bad_timezone"
  | "bad_weight"
  | "bad_unit_code"
  | "duplicate_row"
  | "timezone_conflict"
  | "unit_code_conflict"
  | "unit_code_taken"
  | "empty_file";

/** A problem in a file: the spreadsheet row (header is 1), the Indonesian column name, what. */
export interface PlanError {
  row: number;
  /** Canonical (Indonesian) column name; "" for a whole-row or whole-file problem. */
  column: string;
  code: PlanErrorCode;
  value?: string;
}

type Column = "program" | "pemda" | "zona_waktu" | "opd" | "kode_opd" | "inovasi" | "asal" | "tahapan" | "tenggat" | "bobot";

const aliases: Record<string, Column> = {
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
  bobot: "bobot",
  weight: "bobot",
};
const required: Column[] = ["program", "pemda", "opd", "inovasi", "tahapan", "tenggat"];

/**
 * Reads a CSV file (UTF-8, with or without BOM; comma or semicolon separated, as Indonesian
 * Excel exports semicolons) into rows of trimmed cells. Index i of the result is spreadsheet
 * row i + 1.
 */
export function readCsvTable(content: string | Buffer): string[][] {
  const text = (typeof content === "string" ? content : content.toString("utf8")).replace(/^\uFEFF/, "");
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ";" : ",";
  try {
    // One record per spreadsheet row (a quoted cell may span lines); blank lines stay as rows.
    return (parse(text, { delimiter, relax_column_count: true, skip_empty_lines: false, trim: true }) as string[][]).map(
      (record) => (record.every((c) => c === "") ? [] : record),
    );
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new AppError("import.unreadable", line ? { row: line } : {});
  }
}

const collapse = (s: string | undefined) => (s ?? "").replace(/\s+/g, " ").trim();

/** Checks every row of a table whose first row is the header. Reports every problem. */
export function validatePlanTable(table: string[][]): { rows: PlanRow[]; errors: PlanError[] } {
  const errors: PlanError[] = [];
  const header = (table[0] ?? []).map((h) => aliases[h.trim().toLowerCase().replace(/[\s-]+/g, "_")]);
  const index = new Map<Column, number>();
  header.forEach((column, i) => column && !index.has(column) && index.set(column, i));
  for (const column of required) if (!index.has(column)) errors.push({ row: 1, column, code: "missing_column" });
  if (errors.length) return { rows: [], errors };

  const rows: PlanRow[] = [];
  const seen = new Map<string, number>();
  const zones = new Map<string, string>();
  const codeOwner = new Map<string, string>();
  const unitCode = new Map<string, string>();

  table.forEach((cells, i) => {
    if (i === 0 || cells.every((c) => c.trim() === "")) return;
    const row = i + 1;
    const cell = (column: Column) => collapse(index.has(column) ? cells[index.get(column)!] : "");
    const rowErrors: PlanError[] = [];
    for (const column of required) if (!cell(column)) rowErrors.push({ row, column, code: "required" });

    const dueText = cell("tenggat");
    const dueDate = dueText ? parseDueDate(dueText) : null;
    if (dueText && !dueDate) rowErrors.push({ row, column: "tenggat", code: "bad_date", value: dueText });

    const zoneText = cell("zona_waktu");
    const timezone = zoneText ? resolveTimeZone(zoneText) : null;
    if (zoneText && !timezone) rowErrors.push({ row, column: "zona_waktu", code: "bad_timezone", value: zoneText });

    const weightText = cell("bobot");
    const weight = weightText ? Number(weightText.replace(",", ".")) : 1;
    if (!(Number.isFinite(weight) && weight > 0)) rowErrors.push({ row, column: "bobot", code: "bad_weight", value: weightText });

    const codeText = cell("kode_opd").toUpperCase();
    if (codeText && !/^[A-Z0-9_-]{1,40}$/.test(codeText)) rowErrors.push({ row, column: "kode_opd", code: "bad_unit_code", value: codeText });

    if (rowErrors.length === 0) {
      const region = cell("pemda");
      const unitKey = `${region}|${cell("opd")}`;
      const identity = [cell("program"), unitKey, cell("inovasi"), cell("tahapan")].join("|").toLowerCase();
      if (seen.has(identity)) rowErrors.push({ row, column: "tahapan", code: "duplicate_row", value: cell("tahapan") });
      if (timezone) {
        const earlier = zones.get(region);
        if (earlier && earlier !== timezone) rowErrors.push({ row, column: "zona_waktu", code: "timezone_conflict", value: earlier });
        else zones.set(region, timezone);
      }
      if (codeText) {
        const owner = codeOwner.get(codeText);
        const earlierCode = unitCode.get(unitKey);
        if ((owner && owner !== unitKey) || (earlierCode && earlierCode !== codeText)) {
          rowErrors.push({ row, column: "kode_opd", code: "unit_code_conflict", value: codeText });
        } else {
          codeOwner.set(codeText, unitKey);
          unitCode.set(unitKey, codeText);
        }
      }
      seen.set(identity, row);
    }
    if (rowErrors.length) {
      errors.push(...rowErrors);
      return;
    }
    rows.push({
      row,
      program: cell("program"),
      region: cell("pemda"),
      timezone,
      unit: cell("opd"),
      unitCode: codeText || null,
      initiative: cell("inovasi"),
      origin: cell("asal") || null,
      milestone: cell("tahapan"),
      dueDate: dueDate!,
      weight,
    });
  });
  if (rows.length === 0 && errors.length === 0) errors.push({ row: 1, column: "", code: "empty_file" });
  // Codes given for a unit in one row apply to its other rows too.
  for (const r of rows) r.unitCode ??= unitCode.get(`${r.region}|${r.unit}`) ?? null;
  return { rows, errors };
}

const regionWords = /^(kabupaten|kab\.?|kota|provinsi|prov\.?)\s+/i;
const fillerWords = new Set(["dan", "&", "of", "and", "the", "serta"]);

/**
 * A readable unit code from a region and a unit name, used when the file gives none for a new
 * unit: the region without its type word (Kabupaten, Kota, Provinsi), then the initials of the
 * unit's words without fillers (dan, and, &). "Kabupaten Bangka Barat" + "Dinas Pariwisata dan
 * Kebudayaan" gives "BANGKABARAT-DPK". At most 24 characters of A-Z, 0-9 and -.
 */
export function deriveUnitCode(region: string, unit: string): string {
  const clean = (s: string) => s.normalize("NFKD").toUpperCase().replace(/[^A-Z0-9 ]/g, " ");
  const regionPart = clean(region.replace(regionWords, "")).replace(/\s+/g, "").slice(0, 14);
  const unitPart = clean(unit)
    .split(/\s+/)
    .filter((w) => w && !fillerWords.has(w.toLowerCase()))
    .map((w) => (/^\d+$/.test(w) ? w : w[0]))
    .join("")
    .slice(0, 9);
  return `${regionPart}-${unitPart}`.slice(0, 24);
}
