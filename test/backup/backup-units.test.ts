import { describe, expect, it } from "vitest";
import { backupFileTime, freeBackupPath } from "../../src/backup/format.js";
import { latestSlot } from "../../src/backup/schedule.js";
import { dependencyOrder, instantToIso, type Table } from "../../src/backup/tables.js";

// The pieces of backup and restore that need no database: file names, table order, instants
// as they are stored, and when the daily backup falls due.

const table = (name: string, ...references: string[]): Table => ({ name, columns: [], primaryKey: ["id"], references, counter: "id" });

describe("backup file names", () => {
  it("when a backup is named, then its time reads back from the name, and only names of its own kind match", () => {
    const at = new Date("2026-11-30T02:00:07.123Z");
    const file = freeBackupPath("/nowhere", "daily", at);
    expect(file).toBe("/nowhere/pantau-daily-20261130T020007Z.jsonl.gz");
    expect(backupFileTime("daily", "pantau-daily-20261130T020007Z.jsonl.gz")).toEqual(new Date("2026-11-30T02:00:07Z"));
    expect(backupFileTime("daily", "pantau-daily-20261130T020007Z-2.jsonl.gz")).toEqual(new Date("2026-11-30T02:00:07Z"));
    for (const other of [
      "pantau-20261130T020007Z.jsonl.gz",
      "pantau-before-restore-20261130T020007Z.jsonl.gz",
      "pantau-daily-20261130T020007Z.jsonl.gz.partial",
    ]) {
      expect(backupFileTime("daily", other), other).toBeNull();
    }
  });
});

describe("dependencyOrder", () => {
  it("when tables reference each other, then every table comes after those it references, alphabetically among equals", () => {
    const ordered = dependencyOrder([
      table("Evidence", "ProgressReport"),
      table("ProgressReport", "Milestone", "Person"),
      table("Person"),
      table("Milestone"),
      table("Flow", "Flow"),
    ]);
    expect(ordered.map((t) => t.name)).toEqual(["Flow", "Milestone", "Person", "ProgressReport", "Evidence"]);
  });

  it("when references form a cycle, then there is no order and it says which tables", () => {
    expect(() => dependencyOrder([table("A", "B"), table("B", "A"), table("C")])).toThrow(/cycle among A, B/);
  });
});

describe("instantToIso", () => {
  it("when an instant is stored the ways Prisma and SQL defaults store it, then it reads as the same UTC instant", () => {
    const iso = "2026-11-30T02:00:00.250Z";
    expect(instantToIso("2026-11-30T02:00:00.250+00:00", "t.c")).toBe(iso);
    expect(instantToIso(Date.parse(iso), "t.c")).toBe(iso);
    expect(instantToIso(BigInt(Date.parse(iso)), "t.c")).toBe(iso);
    expect(instantToIso("2026-11-30 02:00:00.25", "t.c")).toBe(iso);
    expect(instantToIso("2026-11-30T09:00:00.250+07:00", "t.c")).toBe(iso);
    expect(() => instantToIso("kemarin", "Person.createdAt")).toThrow(/Person.createdAt: kemarin is not a date/);
  });
});

describe("latestSlot", () => {
  it("when the daily hour has passed today (local time), then today's is the latest; before it, yesterday's", () => {
    expect(latestSlot(new Date("2022-01-11T10:00:00+07:00"), 2, "Asia/Jakarta")).toEqual(new Date("2022-01-11T02:00:00+07:00"));
    expect(latestSlot(new Date("2022-01-11T02:00:00+07:00"), 2, "Asia/Jakarta")).toEqual(new Date("2022-01-11T02:00:00+07:00"));
    expect(latestSlot(new Date("2022-01-11T01:59:00+07:00"), 2, "Asia/Jakarta")).toEqual(new Date("2022-01-10T02:00:00+07:00"));
    expect(latestSlot(new Date("2022-01-11T01:00:00+09:00"), 0, "Asia/Jayapura")).toEqual(new Date("2022-01-11T00:00:00+09:00"));
  });
});
