import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/domain/errors.js";
import { validatePlanTable } from "../../src/domain/plan-table.js";
import { noPlanFileLimits, planFileLimits, readCsvTable, readPlanTable, readXlsxTable } from "../../src/files/plan-file.js";
import { examplePlanXlsx, workbookBytes, zipBombXlsx } from "../support/plan-xlsx.js";

const examplePath = new URL("../../examples/rencana-aksi-bangka-barat-2022.csv", import.meta.url);

function caught(run: () => unknown): AppError {
  try {
    run();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected an AppError");
}

describe("readCsvTable", () => {
  it("reads a comma-separated file into trimmed cells, one array per spreadsheet row", () => {
    expect(readCsvTable("program, pemda \nKIPP 2023 ,  Kota Kendari\n")).toEqual([
      ["program", "pemda"],
      ["KIPP 2023", "Kota Kendari"],
    ]);
  });

  it("when the file is a semicolon export of Indonesian Excel, then it splits on semicolons", () => {
    const table = readCsvTable('program;pemda;bobot\nKIPP 2023;"Kabupaten Bangka Barat";1,5\n');
    expect(table).toEqual([
      ["program", "pemda", "bobot"],
      ["KIPP 2023", "Kabupaten Bangka Barat", "1,5"],
    ]);
  });

  it("when the header has more commas than semicolons, then commas delimit even if cells hold semicolons", () => {
    expect(readCsvTable("a,b\nx;y,z\n")).toEqual([
      ["a", "b"],
      ["x;y", "z"],
    ]);
  });

  it("does not count delimiters inside a quoted header cell", () => {
    expect(readCsvTable('"a,b,c";d;e\n1;2;3')).toEqual([
      ["a,b,c", "d", "e"],
      ["1", "2", "3"],
    ]);
  });

  it('honours the "sep=;" line Excel writes and does not count it as a row', () => {
    expect(readCsvTable("sep=;\r\nprogram;pemda\r\nKIPP;Kota Kendari\r\n")).toEqual([
      ["program", "pemda"],
      ["KIPP", "Kota Kendari"],
    ]);
  });

  it("strips a UTF-8 byte order mark, from a string or from a Buffer", () => {
    expect(readCsvTable("\uFEFFprogram,pemda\nA,B")[0]).toEqual(["program", "pemda"]);
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("program,pemda\nA,B", "utf8")]);
    expect(readCsvTable(bytes)[0]).toEqual(["program", "pemda"]);
  });

  it("when the bytes are not UTF-8, then they are read as Windows-1252 (older Excel)", () => {
    // “Kota Batu” with curly quotes and an é, as Windows-1252 bytes.
    const bytes = Buffer.from([...Buffer.from("asal\n", "latin1"), 0x93, ...Buffer.from("Kota Batu", "latin1"), 0x94, 0x20, 0xe9]);
    expect(readCsvTable(bytes)[1]).toEqual(["\u201cKota Batu\u201d \u00e9"]);
  });

  it("keeps blank rows as empty arrays so that indexes stay spreadsheet row numbers", () => {
    const table = readCsvTable("h1,h2\n\na,b\n , \nc,d\n");
    expect(table).toEqual([["h1", "h2"], [], ["a", "b"], [], ["c", "d"]]);
  });

  it("keeps a quoted cell with commas, quotes and a line break as one cell of one row", () => {
    const table = readCsvTable('opd,tahapan\r\n"Dinas Koperasi, UKM dan Perindustrian","Sosialisasi ""Sibakul""\r\nke UKM"\r\nX,Y');
    expect(table).toEqual([
      ["opd", "tahapan"],
      ["Dinas Koperasi, UKM dan Perindustrian", 'Sosialisasi "Sibakul"\r\nke UKM'],
      ["X", "Y"],
    ]);
  });

  it("keeps quotes typed inside an unquoted cell as text", () => {
    expect(readCsvTable('opd,tahapan\nDinas "Kominfo",Verifikasi')[1]).toEqual(['Dinas "Kominfo"', "Verifikasi"]);
  });

  it("accepts rows with fewer or more cells than the header", () => {
    expect(readCsvTable("a,b,c\n1\n1,2,3,4")).toEqual([["a", "b", "c"], ["1"], ["1", "2", "3", "4"]]);
  });

  it("when a quote is never closed, then it throws import.unreadable naming the row where the broken cell starts", () => {
    const err = caught(() => readCsvTable('program,pemda\nKIPP,"Kota Kendari\nKIPP,Kota Kendari\n'));
    expect(err.code).toBe("import.unreadable");
    expect(err.params).toEqual({ row: 2 });
  });

  it("when text follows a closing quote, then it throws import.unreadable with that row", () => {
    const err = caught(() => readCsvTable('program,pemda\nA,B\nC,"D"x\n'));
    expect(err.code).toBe("import.unreadable");
    expect(err.params).toEqual({ row: 3 });
  });

  it("reads an empty file as an empty table", () => {
    expect(readCsvTable("")).toEqual([]);
  });
});

async function rejected(run: () => Promise<unknown>): Promise<AppError> {
  try {
    await run();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected an AppError");
}

describe("readXlsxTable", () => {
  it("reads the first sheet into trimmed texts, one array per spreadsheet row, blank rows kept as []", async () => {
    const bytes = await workbookBytes(
      [["program ", "pemda"], [" KIPP 2023", "Kota Kendari"], [], [null, "  "], ["KIPP 2023", "Kabupaten Agam"]],
      (_sheet, book) => {
        book.addWorksheet("Catatan").addRow(["bukan", "rencana"]);
      },
    );
    expect(await readXlsxTable(bytes)).toEqual([["program", "pemda"], ["KIPP 2023", "Kota Kendari"], [], [], ["KIPP 2023", "Kabupaten Agam"]]);
  });

  it("when the server runs far west of Indonesia, then a real Excel date is still its calendar day", async () => {
    expect(process.env.TZ).toBe("America/Los_Angeles");
    const bytes = await workbookBytes(
      [["tenggat"], [new Date(Date.UTC(2022, 2, 14))], [new Date(Date.UTC(2022, 0, 14, 23, 30))], [new Date(Date.UTC(2022, 11, 31))]],
      (sheet) => {
        for (const address of ["A2", "A3", "A4"]) sheet.getCell(address).numFmt = "dd/mm/yyyy";
      },
    );
    expect(await readXlsxTable(bytes)).toEqual([["tenggat"], ["2022-03-14"], ["2022-01-14"], ["2022-12-31"]]);
  });

  it("reads dates of a workbook in the 1904 date system as the same days", async () => {
    const bytes = await workbookBytes([["tenggat"], [new Date(Date.UTC(2022, 2, 14))]], (sheet, book) => {
      book.properties.date1904 = true;
      sheet.getCell("A2").numFmt = "d mmmm yyyy";
    });
    expect(await readXlsxTable(bytes)).toEqual([["tenggat"], ["2022-03-14"]]);
  });

  it("reads numbers, rich text, formulas (their saved result), hyperlinks and error values as text", async () => {
    const bytes = await workbookBytes(
      [
        ["bobot", "opd", "tahapan", "tenggat", "asal"],
        [
          1.5,
          { richText: [{ text: "Dinas " }, { font: { bold: true }, text: "Pariwisata" }] },
          { formula: 'CONCATENATE("SK ","tim")', result: "SK tim" },
          { formula: "DATE(2022,3,14)", result: new Date(Date.UTC(2022, 2, 14)) },
          { text: "Kota Batu", hyperlink: "https://batukota.go.id" },
        ],
        [{ formula: "1+1", result: 2 }, { error: "#N/A" }, true, "14 Maret 2022", { formula: "A1" }],
      ],
      (sheet) => {
        sheet.getCell("D2").numFmt = "dd/mm/yyyy";
      },
    );
    expect(await readXlsxTable(bytes)).toEqual([
      ["bobot", "opd", "tahapan", "tenggat", "asal"],
      ["1.5", "Dinas Pariwisata", "SK tim", "2022-03-14", "Kota Batu"],
      ["2", "#N/A", "TRUE", "14 Maret 2022", ""],
    ]);
  });

  it("gives the value of a merged range to every row of it (a program merged down a column)", async () => {
    const bytes = await workbookBytes(
      [
        ["program", "tahapan"],
        ["KIPP 2023", "Verifikasi"],
        [null, "Validasi"],
      ],
      (sheet) => {
        sheet.mergeCells("A2:A3");
      },
    );
    expect(await readXlsxTable(bytes)).toEqual([
      ["program", "tahapan"],
      ["KIPP 2023", "Verifikasi"],
      ["KIPP 2023", "Validasi"],
    ]);
  });

  it("skips a hidden first sheet for the first visible one", async () => {
    const book = await workbookBytes([["petunjuk pengisian"]], (sheet, wb) => {
      sheet.state = "hidden";
      wb.addWorksheet("Rencana").addRow(["program"]);
    });
    expect(await readXlsxTable(book)).toEqual([["program"]]);
  });

  it("gives the example plan, kept as a workbook with real dates and numeric weights, the same rows as its CSV", async () => {
    const fromCsv = validatePlanTable(readCsvTable(readFileSync(examplePath)));
    expect(fromCsv.errors).toEqual([]);
    expect(validatePlanTable(await readXlsxTable(await examplePlanXlsx()))).toEqual(fromCsv);
    expect(validatePlanTable(await readXlsxTable(await examplePlanXlsx({ english: true })))).toEqual(fromCsv);
  });

  it("names a bad row by the row number the spreadsheet shows, blank rows counted", async () => {
    const bytes = await workbookBytes([
      ["program", "pemda", "opd", "inovasi", "tahapan", "tenggat", "bobot"],
      ["KIPP 2023", "Kota Kendari", "Kelurahan Lepo-Lepo", "Bank data", "Input data", new Date(Date.UTC(2023, 2, 1)), 1],
      [],
      [],
      ["KIPP 2023", "Kota Kendari", "Kelurahan Lepo-Lepo", "Bank data", "Validasi data", "31/02/2023", -2],
    ]);
    expect(validatePlanTable(await readXlsxTable(bytes)).errors).toEqual([
      { row: 5, column: "tenggat", code: "bad_date", value: "31/02/2023" },
      { row: 5, column: "bobot", code: "bad_weight", value: "-2" },
    ]);
  });

  it("refuses damaged files, password-protected workbooks and other spreadsheet formats with their own codes", async () => {
    const good = await workbookBytes([["program"], ["KIPP 2023"]]);
    const damaged = Buffer.from(good);
    damaged.fill(0x41, 200, 600);
    const ole = Buffer.alloc(2048);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole);
    const encrypted = Buffer.from(ole);
    Buffer.from("EncryptionInfo", "utf16le").copy(encrypted, 1024);
    const ods = Buffer.concat([Buffer.from("PK\x03\x04"), Buffer.alloc(26), Buffer.from("mimetypeapplication/vnd.oasis.opendocument.spreadsheet")]);
    const cases: [Buffer, string][] = [
      [good.subarray(0, good.length / 2), "import.xlsx_unreadable"],
      [damaged, "import.xlsx_unreadable"],
      [Buffer.from("program,pemda\n"), "import.xlsx_unreadable"],
      [Buffer.alloc(0), "import.xlsx_unreadable"],
      [encrypted, "import.xlsx_encrypted"],
      [ole, "import.xlsx_format"],
      [ods, "import.xlsx_format"],
    ];
    for (const [bytes, code] of cases) expect((await rejected(() => readXlsxTable(bytes))).code).toBe(code);
  });

  it("when a workbook's directory lies about its sizes (a zip bomb), then it is refused after inflating no more than the limit", async () => {
    const bomb = await zipBombXlsx(400);
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const error = await rejected(() => readXlsxTable(bomb));
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(error.code).toBe("import.xlsx_too_large");
    expect(error.params.max).toBe(planFileLimits.maxUnpackedBytes);
    // Inflating it all took 460 MB more; the limit (50 MB) and one inflating step stay far below.
    expect(peak - before).toBeLessThan(200 * 1024 * 1024);
  });

  it("when a workbook holds more steps than the limit, then it is refused naming the limit; blank rows do not count", async () => {
    const bytes = await workbookBytes([["program"], ["A"], [], ["B"], ["C"]]);
    expect(await readXlsxTable(bytes, { maxRows: 3, maxUnpackedBytes: 1024 * 1024 })).toHaveLength(5);
    const error = await rejected(() => readXlsxTable(bytes, { maxRows: 2, maxUnpackedBytes: 1024 * 1024 }));
    expect(error).toMatchObject({ code: "import.too_many_rows", params: { max: 2 } });
  });
});

describe("plan file limits", () => {
  const limits = { maxFileBytes: 100, maxRows: 2, maxUnpackedBytes: 1024 * 1024 };

  it("when a CSV holds more steps than the limit, then it is refused naming the limit; blank rows do not count", () => {
    expect(readCsvTable("program\nA\n\nB\n", 2)).toHaveLength(4);
    expect(caught(() => readCsvTable("program\nA\nB\nC\n", 2))).toMatchObject({ code: "import.too_many_rows", params: { max: 2 } });
  });

  it("when a file is larger than the limit, then it is refused before it is read", async () => {
    const error = await rejected(() => readPlanTable(Buffer.from(`program\n${"A".repeat(101)}\n`), "rencana.csv", limits));
    expect(error).toMatchObject({ code: "import.file_too_large", params: { max: 100 } });
  });

  it("holds a plan of the whole stated size: 10 MB and 10,000 steps", () => {
    expect(planFileLimits).toEqual({ maxFileBytes: 10 * 1024 * 1024, maxRows: 10_000, maxUnpackedBytes: 50 * 1024 * 1024 });
  });

  it("without limits, reads what the limits refuse", async () => {
    const big = Buffer.from(`program\n${"A\n".repeat(200)}`);
    expect(await readPlanTable(big, "rencana.csv", noPlanFileLimits)).toHaveLength(201);
    expect(await readXlsxTable(await zipBombXlsx(60), noPlanFileLimits).catch((err: AppError) => err.code)).toBe("import.xlsx_unreadable");
  });
});

describe("readPlanTable", () => {
  it("tells the formats apart by their bytes, whatever the file is called", async () => {
    const xlsx = await workbookBytes([["program"], ["KIPP 2023"]]);
    expect(await readPlanTable(xlsx, "rencana.csv")).toEqual([["program"], ["KIPP 2023"]]);
    expect(await readPlanTable(Buffer.from("program\nKIPP 2023\n"), "rencana.txt")).toEqual([["program"], ["KIPP 2023"]]);
    expect(await readPlanTable(Buffer.from("program\nKIPP 2023\n"))).toEqual([["program"], ["KIPP 2023"]]);
  });

  it("when a file named .xlsx is not a workbook, then it is an unreadable workbook, not CSV", async () => {
    expect((await rejected(() => readPlanTable(Buffer.from("program\nKIPP 2023\n"), "Rencana.XLSX"))).code).toBe("import.xlsx_unreadable");
  });
});
