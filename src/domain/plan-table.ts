import { parseDueDate, resolveTimeZone, type CalendarDate } from "./dates.js";
import { withoutAccents } from "./text.js";

/**
 * Action-plan files: one row per step, the header in spreadsheet row 1. A reader (CSV or XLSX,
 * in src/files/) turns a file into rows of strings, where index i is spreadsheet row i + 1;
 * validatePlanTable checks every cell of every row and names each problem by spreadsheet row and
 * canonical (Indonesian) column name, whatever the file's format.
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

/**
 * The canonical column a header cell names, or undefined for a column Pantau does not use.
 * Encodings are the readers' (src/files/); `trim` also drops a stray byte order mark.
 */
export function planColumnOf(header: string): PlanColumn | undefined {
  const key = header
    .trim()
    .toLowerCase()
    .replace(/\*+$/, "") // "tenggat*": a template's mark for a required column
    .trim()
    .replace(/[\s_-]+/g, "_");
  return Object.hasOwn(aliases, key) ? aliases[key] : undefined;
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
  return withoutAccents(text)
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
    (unitWords.length === 1 ? unitWords[0]! : unitWords.map((w) => (/^\d+$/.test(w) ? w : w.slice(0, 1))).join("")).slice(0, maxCode - regionPart.length - 1) ||
    "OPD";

  const base = `${regionPart}-${unitPart}`;
  if (!taken?.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const suffix = `-${n}`;
    const candidate = base.slice(0, maxCode - suffix.length).replace(/-+$/, "") + suffix;
    if (!taken.has(candidate)) return candidate;
  }
}
