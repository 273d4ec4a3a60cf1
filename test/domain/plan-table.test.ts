import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { deriveUnitCode, planColumnOf, validatePlanTable, type PlanError } from "../../src/domain/plan-table.js";
import { readCsvTable } from "../../src/files/plan-file.js";

const examplePath = new URL("../../examples/rencana-aksi-bangka-barat-2022.csv", import.meta.url);

const header = ["program", "pemda", "zona_waktu", "opd", "kode_opd", "inovasi", "asal", "tahapan", "tenggat", "bobot"];

/** A valid data row of KIPP 2023, with some cells replaced. */
function row(changes: Partial<Record<string, string>> = {}): string[] {
  const base: Record<string, string> = {
    program: "KIPP 2023",
    pemda: "Kabupaten Bangka Barat",
    zona_waktu: "WIB",
    opd: "Dinas Kominfo",
    kode_opd: "BABAR-KOMINFO",
    inovasi: "Proposal Kominfo",
    asal: "",
    tahapan: "Verifikasi proposal",
    tenggat: "2023-02-10",
    bobot: "1",
  };
  return header.map((column) => changes[column] ?? base[column]!);
}

describe("planColumnOf", () => {
  it.each([
    ["program", "program"],
    ["Pemda", "pemda"],
    ["Region", "pemda"],
    ["Zona Waktu", "zona_waktu"],
    ["zona-waktu", "zona_waktu"],
    ["TimeZone", "zona_waktu"],
    ["time zone", "zona_waktu"],
    ["OPD", "opd"],
    ["unit", "opd"],
    ["Kode OPD", "kode_opd"],
    ["unit-code", "kode_opd"],
    ["Inovasi", "inovasi"],
    ["initiative", "inovasi"],
    ["ASAL", "asal"],
    ["origin", "asal"],
    ["Tahapan", "tahapan"],
    ["milestone", "tahapan"],
    [" tenggat ", "tenggat"],
    ["due", "tenggat"],
    ["Due Date", "tenggat"],
    ["tenggat*", "tenggat"],
    ["\uFEFFprogram", "program"],
    ["Bobot", "bobot"],
    ["weight", "bobot"],
  ])('when the header says "%s", then it is the column %s', (text, column) => {
    expect(planColumnOf(text)).toBe(column);
  });

  it("knows nothing of other columns, nor of names inherited from Object", () => {
    expect(planColumnOf("keterangan")).toBeUndefined();
    expect(planColumnOf("constructor")).toBeUndefined();
    expect(planColumnOf("")).toBeUndefined();
  });
});

describe("validatePlanTable", () => {
  it("turns valid rows into plan rows numbered as in the spreadsheet", () => {
    const { rows, errors } = validatePlanTable([header, row(), row({ tahapan: "Validasi proposal", tenggat: "14/03/2023", bobot: "2" })]);
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      {
        row: 2,
        program: "KIPP 2023",
        region: "Kabupaten Bangka Barat",
        timezone: "Asia/Jakarta",
        unit: "Dinas Kominfo",
        unitCode: "BABAR-KOMINFO",
        initiative: "Proposal Kominfo",
        origin: null,
        milestone: "Verifikasi proposal",
        dueDate: "2023-02-10",
        weight: 1,
      },
      expect.objectContaining({ row: 3, milestone: "Validasi proposal", dueDate: "2023-03-14", weight: 2 }),
    ]);
  });

  it("finds columns by English alias in any order and ignores unknown columns", () => {
    const table = [
      ["Due", "Milestone", "Notes", "Initiative", "Unit", "Region", "Program", "Weight", "Origin", "Unit Code", "Time Zone"],
      ["14 Maret 2022", "Studi tiru", "anything", "SIP Banget", "Dinas Pariwisata", "Kota Kendari", "P", "3", "Kota Batu", "kdi-dispar", "WITA"],
    ];
    const { rows, errors } = validatePlanTable(table);
    expect(errors).toEqual([]);
    expect(rows[0]).toMatchObject({
      program: "P",
      region: "Kota Kendari",
      timezone: "Asia/Makassar",
      unit: "Dinas Pariwisata",
      unitCode: "KDI-DISPAR",
      initiative: "SIP Banget",
      origin: "Kota Batu",
      milestone: "Studi tiru",
      dueDate: "2022-03-14",
      weight: 3,
    });
  });

  it("when optional columns are absent, then time zone, code and origin are null and the weight is 1", () => {
    const { rows, errors } = validatePlanTable([
      ["program", "pemda", "opd", "inovasi", "tahapan", "tenggat"],
      ["KIPP 2023", "Kota Kendari", "Kelurahan Lepo-Lepo", "Bank data", "Input data", "2023-03-01"],
    ]);
    expect(errors).toEqual([]);
    expect(rows[0]).toMatchObject({ timezone: null, unitCode: null, origin: null, weight: 1 });
  });

  it("when required columns are missing, then it reports one missing_column error per column on row 1 and nothing else", () => {
    const { rows, errors } = validatePlanTable([
      ["program", "pemda", "opd", "keterangan"],
      ["KIPP 2023", "", "Dinas Kominfo", "x"],
    ]);
    expect(rows).toEqual([]);
    expect(errors).toEqual([
      { row: 1, column: "inovasi", code: "missing_column" },
      { row: 1, column: "tahapan", code: "missing_column" },
      { row: 1, column: "tenggat", code: "missing_column" },
    ]);
  });

  it("reports every bad cell of every row, not only the first, and returns only the valid rows", () => {
    const { rows, errors } = validatePlanTable([
      header,
      row(),
      row({ program: "", tahapan: "Validasi", tenggat: "31/02/2023", zona_waktu: "WITT", bobot: "berat", kode_opd: "BABAR KOMINFO" }),
      row({ tahapan: "Input", opd: " ", inovasi: "" }),
    ]);
    expect(rows.map((r) => r.row)).toEqual([2]);
    expect(errors).toEqual<PlanError[]>([
      { row: 3, column: "program", code: "required" },
      { row: 3, column: "tenggat", code: "bad_date", value: "31/02/2023" },
      { row: 3, column: "zona_waktu", code: "bad_timezone", value: "WITT" },
      { row: 3, column: "bobot", code: "bad_weight", value: "berat" },
      { row: 3, column: "kode_opd", code: "bad_unit_code", value: "BABAR KOMINFO" },
      { row: 4, column: "opd", code: "required" },
      { row: 4, column: "inovasi", code: "required" },
    ]);
  });

  it("when a required cell is blank, then it is reported as required, also the due date", () => {
    const { errors } = validatePlanTable([header, row({ tenggat: "", pemda: "", tahapan: "" })]);
    expect(errors).toEqual([
      { row: 2, column: "pemda", code: "required" },
      { row: 2, column: "tahapan", code: "required" },
      { row: 2, column: "tenggat", code: "required" },
    ]);
  });

  it.each([
    ["2022-03-14", "2022-03-14"],
    ["14/03/2022", "2022-03-14"],
    ["14 Maret 2022", "2022-03-14"],
    ["14 March 2022", "2022-03-14"],
    ["29/02/2024", "2024-02-29"],
  ])("accepts the due date %s as %s", (text, date) => {
    const { rows, errors } = validatePlanTable([header, row({ tenggat: text })]);
    expect(errors).toEqual([]);
    expect(rows[0]?.dueDate).toBe(date);
  });

  it.each(["31/02/2022", "29/02/2023", "2022-13-01", "14 Maretz 2022", "besok", "14/03/22"])(
    "when the due date is %s, then it is bad_date with the text as written",
    (text) => {
      const { errors } = validatePlanTable([header, row({ tenggat: text })]);
      expect(errors).toEqual([{ row: 2, column: "tenggat", code: "bad_date", value: text }]);
    },
  );

  it.each([
    ["WIB", "Asia/Jakarta"],
    ["wita", "Asia/Makassar"],
    ["WIT", "Asia/Jayapura"],
    ["Asia/Jakarta", "Asia/Jakarta"],
    ["asia/makassar", "Asia/Makassar"],
  ])("reads the time zone %s as %s", (text, zone) => {
    const { rows, errors } = validatePlanTable([header, row({ zona_waktu: text, pemda: "Pemda " + text })]);
    expect(errors).toEqual([]);
    expect(rows[0]?.timezone).toBe(zone);
  });

  it.each(["WITT", "GMT+7", "Asia/Bandung", "Jakarta"])("when the time zone is %s, then it is bad_timezone", (text) => {
    const { errors } = validatePlanTable([header, row({ zona_waktu: text })]);
    expect(errors).toEqual([{ row: 2, column: "zona_waktu", code: "bad_timezone", value: text }]);
  });

  it.each([
    ["", 1],
    ["1", 1],
    ["3", 3],
    ["1,5", 1.5],
    ["2.25", 2.25],
    ["0,5", 0.5],
  ])('reads the weight "%s" as %s', (text, weight) => {
    const { rows, errors } = validatePlanTable([header, row({ bobot: text })]);
    expect(errors).toEqual([]);
    expect(rows[0]?.weight).toBe(weight);
  });

  it.each(["0", "0,0", "-1", "abc", "1e2", "0x10", "Infinity", "1,5,2", "50%"])('when the weight is "%s", then it is bad_weight', (text) => {
    const { errors } = validatePlanTable([header, row({ bobot: text })]);
    expect(errors).toEqual([{ row: 2, column: "bobot", code: "bad_weight", value: text }]);
  });

  it("upper-cases unit codes and accepts letters, digits, - and _", () => {
    const { rows, errors } = validatePlanTable([header, row({ kode_opd: "babar-kominfo_2" })]);
    expect(errors).toEqual([]);
    expect(rows[0]?.unitCode).toBe("BABAR-KOMINFO_2");
  });

  it.each(["BABAR.KOMINFO", "BABAR/KOMINFO", "KÖMINFO", "X".repeat(41)])("when the unit code is %s, then it is bad_unit_code", (code) => {
    const { errors } = validatePlanTable([header, row({ kode_opd: code })]);
    expect(errors).toEqual([{ row: 2, column: "kode_opd", code: "bad_unit_code", value: code.toUpperCase() }]);
  });

  it("collapses whitespace inside names and trims them", () => {
    const { rows } = validatePlanTable([
      header,
      row({ opd: "  Dinas   Pariwisata\u00a0dan\tKebudayaan ", tahapan: "Penyusunan  SOP layanan", program: " KIPP  2023 " }),
    ]);
    expect(rows[0]).toMatchObject({ unit: "Dinas Pariwisata dan Kebudayaan", milestone: "Penyusunan SOP layanan", program: "KIPP 2023" });
  });

  it("skips blank rows but keeps counting them in row numbers", () => {
    const { rows, errors } = validatePlanTable([header, [], ["", " ", ""], row(), row({ tahapan: "", tenggat: "x" })]);
    expect(rows.map((r) => r.row)).toEqual([4]);
    expect(errors.map((e) => e.row)).toEqual([5, 5]);
  });

  it("skips rows shorter than the header that are blank, and reads short rows as blank cells", () => {
    const { errors } = validatePlanTable([header, ["KIPP 2023", "Kota Kendari"]]);
    expect(errors.map((e) => `${e.row}:${e.column}:${e.code}`)).toEqual(["2:opd:required", "2:inovasi:required", "2:tahapan:required", "2:tenggat:required"]);
  });

  it("when the file has a header and no data rows, then it reports empty_file on row 1", () => {
    expect(validatePlanTable([header]).errors).toEqual([{ row: 1, column: "", code: "empty_file" }]);
    expect(validatePlanTable([header, [], [" "]]).errors).toEqual([{ row: 1, column: "", code: "empty_file" }]);
  });

  it("when the file is entirely empty, then it reports empty_file rather than every column as missing", () => {
    expect(validatePlanTable([]).errors).toEqual([{ row: 1, column: "", code: "empty_file" }]);
    expect(validatePlanTable([[], []]).errors).toEqual([{ row: 1, column: "", code: "empty_file" }]);
  });

  it("when all data rows are bad, then it reports their errors and not empty_file", () => {
    const { errors } = validatePlanTable([header, row({ tenggat: "nanti" })]);
    expect(errors.map((e) => e.code)).toEqual(["bad_date"]);
  });

  describe("checks across rows", () => {
    it("when a step appears twice, then the later row is a duplicate_row naming the earlier row", () => {
      const { errors } = validatePlanTable([header, row(), row({ tahapan: "Validasi" }), row({ tenggat: "2023-03-01", bobot: "2" })]);
      expect(errors).toEqual([{ row: 4, column: "", code: "duplicate_row", value: "2" }]);
    });

    it("compares steps ignoring case and extra spaces", () => {
      const { errors } = validatePlanTable([header, row(), row({ tahapan: "verifikasi  PROPOSAL" })]);
      expect(errors).toEqual([{ row: 3, column: "", code: "duplicate_row", value: "2" }]);
    });

    it("does not call a step duplicate when any part of its identity differs", () => {
      const { errors } = validatePlanTable([
        header,
        row(),
        row({ program: "KIPP 2024" }),
        row({ pemda: "Kota Kendari", zona_waktu: "WITA", kode_opd: "KDI-KOMINFO" }),
        row({ opd: "Dinas Kominfo 2", kode_opd: "BABAR-KOMINFO2" }),
        row({ inovasi: "Proposal lain" }),
      ]);
      expect(errors).toEqual([]);
    });

    it("reports a duplicate even when the earlier row has another problem", () => {
      const { errors } = validatePlanTable([header, row({ tenggat: "31/02/2023" }), row()]);
      expect(errors).toEqual([
        { row: 2, column: "tenggat", code: "bad_date", value: "31/02/2023" },
        { row: 3, column: "", code: "duplicate_row", value: "2" },
      ]);
    });

    it("when a region is given two different time zones, then the later row is a timezone_conflict naming the first zone", () => {
      const { errors } = validatePlanTable([
        header,
        row(),
        row({ tahapan: "Validasi", zona_waktu: "Asia/Jakarta" }), // the same zone, written otherwise
        row({ tahapan: "Input", zona_waktu: "WITA" }),
        row({ tahapan: "Pengumuman", zona_waktu: "" }), // blank: no opinion
      ]);
      expect(errors).toEqual([{ row: 4, column: "zona_waktu", code: "timezone_conflict", value: "Asia/Jakarta" }]);
    });

    it("when one code is given to two units, then the later row is a unit_code_conflict", () => {
      const { errors } = validatePlanTable([header, row(), row({ opd: "Dinas Keluarga Berencana", inovasi: "Proposal KB 1" })]);
      expect(errors).toEqual([{ row: 3, column: "kode_opd", code: "unit_code_conflict", value: "BABAR-KOMINFO" }]);
    });

    it("when one code is given to units of the same name in two regions, then it is a unit_code_conflict", () => {
      const { errors } = validatePlanTable([header, row(), row({ pemda: "Kota Pangkalpinang" })]);
      expect(errors).toEqual([{ row: 3, column: "kode_opd", code: "unit_code_conflict", value: "BABAR-KOMINFO" }]);
    });

    it("when one unit is given two codes, then the later row is a unit_code_conflict", () => {
      const { errors } = validatePlanTable([header, row(), row({ tahapan: "Validasi", kode_opd: "babar-diskominfo" })]);
      expect(errors).toEqual([{ row: 3, column: "kode_opd", code: "unit_code_conflict", value: "BABAR-DISKOMINFO" }]);
    });

    it("treats codes differing only in case as the same code", () => {
      const { errors } = validatePlanTable([header, row(), row({ tahapan: "Validasi", kode_opd: "babar-kominfo" })]);
      expect(errors).toEqual([]);
    });

    it("applies a time zone, code or origin given in one row to the other rows of that region, unit or initiative", () => {
      const { rows, errors } = validatePlanTable([
        header,
        row({ zona_waktu: "", kode_opd: "", asal: "" }),
        row({ tahapan: "Validasi", zona_waktu: "WIB", kode_opd: "BABAR-KOMINFO", asal: "Kota Batu" }),
        row({ tahapan: "Input", zona_waktu: "", kode_opd: "", asal: "" }),
        row({ pemda: "Kota Kendari", opd: "Kelurahan Lepo-Lepo", kode_opd: "", zona_waktu: "", inovasi: "Bank data" }),
      ]);
      expect(errors).toEqual([]);
      expect(rows.map((r) => [r.row, r.timezone, r.unitCode, r.origin])).toEqual([
        [2, "Asia/Jakarta", "BABAR-KOMINFO", "Kota Batu"],
        [3, "Asia/Jakarta", "BABAR-KOMINFO", "Kota Batu"],
        [4, "Asia/Jakarta", "BABAR-KOMINFO", "Kota Batu"],
        [5, null, null, null],
      ]);
    });
  });

  describe("the example action plan", () => {
    const { rows, errors } = validatePlanTable(readCsvTable(readFileSync(examplePath)));

    it("validates with no errors", () => {
      expect(errors).toEqual([]);
      expect(rows.length).toBeGreaterThanOrEqual(20);
    });

    it("holds one program and region in WIB, with 4 units and 4 initiatives of 5 to 6 steps", () => {
      expect(new Set(rows.map((r) => r.program))).toEqual(new Set(["Replikasi Inovasi 2022 Kabupaten Bangka Barat"]));
      expect(new Set(rows.map((r) => `${r.region} ${r.timezone}`))).toEqual(new Set(["Kabupaten Bangka Barat Asia/Jakarta"]));
      expect(new Set(rows.map((r) => `${r.unitCode} ${r.unit}`))).toEqual(
        new Set([
          "BABAR-DISKOPUKMPERIN Dinas Koperasi, UKM dan Perindustrian",
          "BABAR-DISTANPANGAN Dinas Pertanian dan Pangan",
          "BABAR-DISPARBUD Dinas Pariwisata dan Kebudayaan",
          "BABAR-DISDIKPORA Dinas Pendidikan, Kepemudaan dan Olahraga",
        ]),
      );
      const initiatives = new Map<string, number>();
      for (const r of rows) initiatives.set(`${r.initiative} (${r.origin})`, (initiatives.get(`${r.initiative} (${r.origin})`) ?? 0) + 1);
      expect([...initiatives.keys()].sort()).toEqual([
        "Aksi Tali Intan (null)",
        "Jogja Belajar Class (Yogyakarta)",
        "Rajutan Sibakul Jogja (Yogyakarta)",
        "SIP Banget (Kota Batu)",
      ]);
      for (const count of initiatives.values()) {
        expect(count).toBeGreaterThanOrEqual(5);
        expect(count).toBeLessThanOrEqual(6);
      }
    });

    it("has SIP Banget's SOP step due on Friday 14 January 2022, and all steps within budget year 2022", () => {
      expect(rows.find((r) => r.initiative === "SIP Banget" && r.milestone === "Penyusunan SOP layanan")).toMatchObject({
        dueDate: "2022-01-14",
        weight: 2,
      });
      for (const r of rows) {
        expect(r.dueDate.startsWith("2022-")).toBe(true);
        expect([1, 2, 3]).toContain(r.weight);
      }
    });

    it("uses the three date forms", () => {
      const text = readFileSync(examplePath, "utf8");
      expect(text).toMatch(/,2022-\d\d-\d\d,/);
      expect(text).toMatch(/,\d\d\/\d\d\/2022,/);
      expect(text).toMatch(/,\d+ [A-Z][a-z]+ 2022,/);
    });

    it("reads the same from a semicolon export of the same sheet", () => {
      const semicolons = readFileSync(examplePath, "utf8")
        .split("\n")
        .map(
          (line) =>
            readCsvTable(line)[0]
              ?.map((cell) => (cell.includes(";") ? `"${cell}"` : cell))
              .join(";") ?? "",
        )
        .join("\r\n");
      expect(validatePlanTable(readCsvTable(semicolons))).toEqual({ rows, errors: [] });
    });
  });
});

describe("deriveUnitCode", () => {
  it("joins the region without its type word and the initials of the unit without fillers", () => {
    expect(deriveUnitCode("Kabupaten Bangka Barat", "Dinas Pariwisata dan Kebudayaan")).toBe("BANGKABARAT-DPK");
    expect(deriveUnitCode("Kab. Bangka Barat", "Dinas Koperasi, UKM dan Perindustrian")).toBe("BANGKABARAT-DKUP");
    expect(deriveUnitCode("Kota Kendari", "Kelurahan Lepo-Lepo")).toBe("KENDARI-KLL");
    expect(deriveUnitCode("Provinsi Sumatera Barat", "Biro Organisasi")).toBe("SUMATERABARAT-BO");
    expect(deriveUnitCode("Prov. Jawa Barat", "Dinas Komunikasi & Informatika")).toBe("JAWABARAT-DKI");
    expect(deriveUnitCode("Pemerintah Kabupaten Agam", "Bagian Organisasi and Reform of Bureaucracy")).toBe("AGAM-BORB");
  });

  it("keeps a one-word unit whole and numbers whole", () => {
    expect(deriveUnitCode("Kabupaten Bangka Barat", "Bappeda")).toBe("BANGKABARAT-BAPPEDA");
    expect(deriveUnitCode("Kota Padang", "UPTD Puskesmas 12")).toBe("PADANG-UP12");
  });

  it('drops a type word only at the start ("Lima Puluh Kota" keeps its Kota)', () => {
    expect(deriveUnitCode("Kabupaten Lima Puluh Kota", "Dinas Kesehatan")).toBe("LIMAPULUHKOTA-DK");
    expect(deriveUnitCode("Kota", "Dinas Kesehatan")).toBe("KOTA-DK");
  });

  it("shortens a long region from the left by initials, keeping its distinctive last word", () => {
    expect(deriveUnitCode("Kabupaten Kepulauan Mentawai", "Dinas Pariwisata")).toBe("KMENTAWAI-DP");
    expect(deriveUnitCode("Provinsi Kepulauan Bangka Belitung", "Biro Organisasi")).toBe("KBANGKABELITUNG-BO");
  });

  it("drops accents and anything outside A-Z and 0-9", () => {
    expect(deriveUnitCode("Kota Bàtu", "Dinas Pariwisata (Dispar) / Ekonomi Kreatif")).toBe("BATU-DPDEK");
  });

  it("falls back to PEMDA and OPD when a part has no letters", () => {
    expect(deriveUnitCode("", "")).toBe("PEMDA-OPD");
    expect(deriveUnitCode("Kabupaten Bangka Barat", "dan")).toBe("BANGKABARAT-OPD");
  });

  it("is stable, upper case, at most 24 characters of A-Z, 0-9 and -", () => {
    const cases: [string, string][] = [
      ["Kabupaten Bangka Barat", "Dinas Pariwisata dan Kebudayaan"],
      ["Kota Administrasi Jakarta Selatan", "Suku Dinas Pendidikan Wilayah Satu Dua Tiga Empat Lima Enam"],
      ["Kabupaten Pesisir Selatan Jauh Sekali Panjangnya", "Inspektoratdaerahyangsangatpanjang"],
      ["Kota Bukittinggi", "Dinas Komunikasi dan Informatika"],
    ];
    for (const [region, unit] of cases) {
      const code = deriveUnitCode(region, unit);
      expect(code).toMatch(/^[A-Z0-9]+(?:-[A-Z0-9]+)+$/);
      expect(code.length).toBeLessThanOrEqual(24);
      expect(deriveUnitCode(region, unit)).toBe(code);
    }
  });

  it("when the code is taken, then it returns the first free one with a number", () => {
    expect(deriveUnitCode("Kota Solok", "Dinas Pendidikan", new Set(["SOLOK-DP"]))).toBe("SOLOK-DP-2");
    expect(deriveUnitCode("Kabupaten Solok", "Dinas Pendidikan", new Set(["SOLOK-DP", "SOLOK-DP-2"]))).toBe("SOLOK-DP-3");
    expect(deriveUnitCode("Kota Solok", "Dinas Pendidikan", new Set(["OTHER"]))).toBe("SOLOK-DP");
    const long = deriveUnitCode("Kota Administrasi Jakarta Selatan", "Suku Dinas Pendidikan Wilayah Satu Dua Tiga");
    const next = deriveUnitCode("Kota Administrasi Jakarta Selatan", "Suku Dinas Pendidikan Wilayah Satu Dua Tiga", new Set([long]));
    expect(next.length).toBeLessThanOrEqual(24);
    expect(next).toMatch(/-2$/);
  });

  it("gives the derived code of a valid unit a form validatePlanTable accepts as kode_opd", () => {
    const code = deriveUnitCode("Kabupaten Bangka Barat", "Dinas Pariwisata dan Kebudayaan");
    expect(validatePlanTable([header, row({ kode_opd: code })]).errors).toEqual([]);
  });
});

describe("validatePlanTable: name lengths", () => {
  it("refuses a step title longer than 200 characters, naming the row and column", () => {
    const header = ["program", "pemda", "opd", "inovasi", "tahapan", "tenggat"];
    const long = "Penyusunan SOP ".repeat(14);
    const { rows, errors } = validatePlanTable([header, ["KIPP 2023", "Kota Kendari", "Kelurahan Lepo-Lepo", "Bank data", long, "2023-03-01"]]);
    expect(rows).toHaveLength(0);
    expect(errors).toEqual([{ row: 2, column: "tahapan", code: "too_long", value: "200" }]);
  });
});
