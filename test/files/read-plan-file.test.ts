import { describe, expect, it } from "vitest";
import { AppError } from "../../src/domain/errors.js";
import { planFileLimits } from "../../src/files/plan-file.js";
import { readPlanFile } from "../../src/files/read-plan-file.js";
import { catalogue, unreadablePlanMessage } from "../../src/i18n/index.js";

// The worker-thread reader: files wait their turn (at most two threads at once), and a thread
// that reads too long is ended with a message the coordinator can act on.

const plan = (count: number, name: string) =>
  Buffer.from(
    [
      "program,pemda,opd,inovasi,tahapan,tenggat",
      ...Array.from({ length: count }, (_, i) => `KIPP 2023,Kota Kendari,Bagian Organisasi,${name},Tahap ${i + 1},2022-06-30`),
    ].join("\n"),
  );

describe("readPlanFile", () => {
  it("when five files are read at once, then they wait their turn and each comes back whole and its own", async () => {
    const names = ["Satu", "Dua", "Tiga", "Empat", "Lima"];
    const results = await Promise.all(names.map((name, i) => readPlanFile(plan(200 + i, name), `${name}.csv`, planFileLimits)));
    results.forEach((result, i) => {
      expect(result.errors).toEqual([]);
      expect(result.rows).toHaveLength(200 + i);
      expect(result.rows.every((row) => row.initiative === names[i])).toBe(true);
    });
  }, 120_000);

  it("when reading takes longer than its time limit, then the thread is ended with a clear message, and the next file is read", async () => {
    const error = await readPlanFile(plan(5000, "Lambat"), "lambat.csv", planFileLimits, { timeoutMs: 1 }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("import.read_timeout");
    expect(unreadablePlanMessage(catalogue("id"), { code: "import.read_timeout", params: { seconds: 60 } })).toContain(
      "terlalu lama dibaca (lebih dari 60 detik)",
    );
    expect(unreadablePlanMessage(catalogue("en"), { code: "import.read_timeout", params: { seconds: 60 } })).toContain("more than 60 seconds");
    // Its turn was given back: files after it are still read.
    const results = await Promise.all([1, 2, 3].map((i) => readPlanFile(plan(10, `Lagi ${i}`), "lagi.csv", planFileLimits)));
    expect(results.map((r) => r.rows.length)).toEqual([10, 10, 10]);
  }, 120_000);
});
