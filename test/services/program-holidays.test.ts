import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPrisma, type Prisma } from "../../src/db/connection.js";
import { applyMigrations } from "../../src/db/schema-engine.js";
import { createScratchDatabase, type ScratchDatabase } from "../../src/db/scratch-database.js";
import { personActor } from "../../src/services/audit.js";
import { findPerson } from "../../src/services/people.js";
import { addProgramHoliday, pickPlace, splitAtDate, type HolidayPlace } from "../../src/services/program-holidays.js";
import { planPass } from "../../src/services/reminders.js";
import { databaseKinds } from "../support/databases.js";

const place = (programId: number, program: string, regionId: number | null, region: string | null): HolidayPlace => ({
  programId,
  program,
  regionId,
  region,
  timezones: ["Asia/Jakarta"],
});
const replikasi = "Replikasi Inovasi 2022 Kabupaten Bangka Barat";
const kipp = "KIPP 2023 Kabupaten Bangka Barat";
const whole = place(1, replikasi, null, null);
const babar = place(1, replikasi, 10, "Kabupaten Bangka Barat");
const pkp = place(1, replikasi, 11, "Kota Pangkalpinang");
const kippBabar = place(2, kipp, 10, "Kabupaten Bangka Barat");

describe("pickPlace: the program or region a /libur command is about", () => {
  it("when a coordinator of the whole program names nothing, then the day is the whole program's", () => {
    expect(pickPlace([whole, babar, pkp], "")).toEqual({ kind: "found", place: whole });
  });

  it("when a coordinator of one region names nothing, then the day is their region's; of two regions, they must name one", () => {
    expect(pickPlace([babar], "")).toEqual({ kind: "found", place: babar });
    expect(pickPlace([babar, pkp], "")).toEqual({ kind: "ambiguous" });
  });

  it("when a region is named, even as part of a program's name, then that region is meant; the program's full name means the whole program", () => {
    expect(pickPlace([whole, babar, pkp], "kota  PANGKALPINANG")).toEqual({ kind: "found", place: pkp });
    expect(pickPlace([whole, babar, pkp], "Kabupaten Bangka Barat")).toEqual({ kind: "found", place: babar });
    expect(pickPlace([whole, babar, pkp], "bangka barat")).toEqual({ kind: "found", place: babar });
    expect(pickPlace([whole, babar, pkp], replikasi)).toEqual({ kind: "found", place: whole });
    expect(pickPlace([whole, babar, pkp], "replikasi")).toEqual({ kind: "found", place: whole });
  });

  it("when a region is in two of their programs, then its name alone is ambiguous and the program's name with it picks one", () => {
    expect(pickPlace([babar, kippBabar], "Kabupaten Bangka Barat")).toEqual({ kind: "ambiguous" });
    expect(pickPlace([babar, kippBabar], `${kipp} Kabupaten Bangka Barat`)).toEqual({ kind: "found", place: kippBabar });
    expect(pickPlace([babar, kippBabar], "")).toEqual({ kind: "ambiguous" });
  });

  it("when the words name no place of theirs, then it is unknown", () => {
    expect(pickPlace([babar], "Kota Pangkalpinang")).toEqual({ kind: "unknown" });
  });
});

describe("splitAtDate: the place before the date, the name after it", () => {
  it("when the date is written as the plan import takes it, then it is found with what comes before and after", () => {
    expect(splitAtDate("14 Maret 2026 Hari Jadi")).toEqual({ kind: "dated", place: "", date: "2026-03-14", rest: "Hari Jadi" });
    expect(splitAtDate("14/03/2026 Hari Jadi")).toEqual({ kind: "dated", place: "", date: "2026-03-14", rest: "Hari Jadi" });
    expect(splitAtDate("Kota Pangkalpinang 2026-03-14  Hari  Jadi Kota")).toEqual({
      kind: "dated",
      place: "Kota Pangkalpinang",
      date: "2026-03-14",
      rest: "Hari  Jadi Kota",
    });
    expect(splitAtDate("KIPP 2023 14 Maret 2026 Hari Jadi")).toMatchObject({ place: "KIPP 2023", date: "2026-03-14" });
  });

  it("when no date can be read (or it is impossible), then it says so", () => {
    expect(splitAtDate("besok Hari Jadi")).toEqual({ kind: "no_date" });
    expect(splitAtDate("31/02/2026 Hari Jadi")).toEqual({ kind: "no_date" });
    expect(splitAtDate("")).toEqual({ kind: "no_date" });
  });
});

describe("reminder passes around a program's own days off", () => {
  let scratch: ScratchDatabase;
  let db: Prisma;
  let programId: number;
  const regions: Record<string, number> = {};

  beforeAll(async () => {
    scratch = await createScratchDatabase("sqlite");
    await applyMigrations(scratch.url);
    db = openPrisma(scratch.url);
    const program = await db.program.create({
      data: { name: "Replikasi Inovasi 2022 Provinsi Kepulauan Bangka Belitung", reminderOffsets: "1", workingDaysOnly: true, escalateHeadAfterDays: 0 },
    });
    programId = program.id;
    const coordinator = await db.person.create({ data: { telegramId: 8900n, firstName: "Budi" } });
    let telegramId = 8900;
    for (const name of ["Kabupaten Bangka Barat", "Kota Pangkalpinang"]) {
      const region = await db.region.create({ data: { name, timezone: "Asia/Jakarta" } });
      regions[name] = region.id;
      const unit = await db.unit.create({ data: { regionId: region.id, name: `Diskominfo ${name}`, code: `KOMINFO-${region.id}` } });
      const initiative = await db.initiative.create({ data: { programId, unitId: unit.id, name: `Satu Data ${name}` } });
      // Due Thursday 20 January 2022 (H-1 Wednesday the 19th) and Friday 14 January (late from Monday the 17th).
      await db.milestone.create({ data: { initiativeId: initiative.id, title: `SOP ${name}`, dueDate: "2022-01-20" } });
      await db.milestone.create({ data: { initiativeId: initiative.id, title: `SK ${name}`, dueDate: "2022-01-14" } });
      for (const role of ["pic", "kepala"]) {
        const person = await db.person.create({ data: { telegramId: BigInt(++telegramId), firstName: `${role} ${name}` } });
        await db.membership.create({ data: { personId: person.id, role, unitId: unit.id } });
      }
    }
    const day = (date: string, regionId: number | null) =>
      db.programHoliday.create({
        data: { programId, regionId, date, name: "Hari libur", createdById: coordinator.id, createdAt: new Date("2022-01-10T00:00:00Z") },
      });
    await day("2022-01-19", regions["Kabupaten Bangka Barat"]!);
    await day("2022-01-17", regions["Kabupaten Bangka Barat"]!);
    await day("2022-01-18", null);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await scratch?.drop();
  });

  const reminders = async (iso: string) => (await planPass(db, new Date(iso))).reminders.map((r) => `${r.milestone.title}@${r.slot.date}`).sort();
  const heads = async (iso: string) =>
    (await planPass(db, new Date(iso))).escalations.filter((e) => e.kind === "escalation_head").map((e) => `${e.milestone.title}@${e.dueAt.toISOString()}`);

  it("when H-1 falls on a region's own day off and the day before on the whole program's, then that region is reminded on the working day before both, the other on H-1", async () => {
    // Bangka Barat: the 19th its own, the 18th the whole program's, the 17th its own again: Friday the 14th.
    expect(await reminders("2022-01-14T01:05:00Z")).toContain("SOP Kabupaten Bangka Barat@2022-01-14");
    expect(await reminders("2022-01-14T01:05:00Z")).not.toContain("SOP Kota Pangkalpinang@2022-01-14");
    expect(await reminders("2022-01-19T01:05:00Z")).toContain("SOP Kota Pangkalpinang@2022-01-19");
  });

  it("when the first late day is a region's own day off, then its overdue reminder and its head's escalation wait for the next working day there", async () => {
    // Late from Saturday the 15th: Monday the 17th in Pangkalpinang; in Bangka Barat the 17th and the 18th are off.
    expect(await reminders("2022-01-17T01:05:00Z")).toContain("SK Kota Pangkalpinang@2022-01-17");
    expect(await reminders("2022-01-17T01:05:00Z")).not.toContain("SK Kabupaten Bangka Barat@2022-01-17");
    expect(await heads("2022-01-17T01:05:00Z")).toEqual(["SK Kota Pangkalpinang@2022-01-17T01:00:00.000Z"]);
    // The 18th is off for both; Bangka Barat's first working late day is Thursday the 20th.
    expect(await heads("2022-01-20T01:05:00Z")).toContain("SK Kabupaten Bangka Barat@2022-01-20T01:00:00.000Z");
    expect(await reminders("2022-01-20T01:05:00Z")).toContain("SK Kabupaten Bangka Barat@2022-01-20");
  });
});

describe.each(await databaseKinds())("a day off added by several coordinators at once on %s", (kind) => {
  let scratch: ScratchDatabase;
  let db: Prisma;

  beforeAll(async () => {
    scratch = await createScratchDatabase(kind);
    await applyMigrations(scratch.url);
    db = openPrisma(scratch.url);
    const program = await db.program.create({ data: { name: replikasi } });
    const region = await db.region.create({ data: { name: "Kabupaten Bangka Barat", timezone: "Asia/Jakarta" } });
    const unit = await db.unit.create({ data: { regionId: region.id, name: "Dinas Pariwisata dan Kebudayaan", code: "BABAR-DISPARBUD" } });
    await db.initiative.create({ data: { programId: program.id, unitId: unit.id, name: "SIP Banget" } });
    for (let i = 0; i < 4; i++) {
      const person = await db.person.create({ data: { telegramId: BigInt(8950 + i), firstName: `Koordinator ${i + 1}` } });
      await db.membership.create({ data: { personId: person.id, role: "koordinator", programId: program.id } });
    }
  });
  afterAll(async () => {
    await db?.$disconnect();
    await scratch?.drop();
  });

  it("when four coordinators of the whole program add the same date at the same moment, then it is added once and the others are told it exists", async () => {
    const now = new Date("2026-03-02T02:00:00Z");
    const people = await Promise.all([0, 1, 2, 3].map((i) => findPerson(db, 8950 + i)));
    const results = await Promise.all(people.map((p) => addProgramHoliday(db, p!, "16/03/2026 Hari Jadi Kabupaten", now, personActor(p!, null))));
    expect(results.map((r) => r.kind).sort()).toEqual(["added", "duplicate", "duplicate", "duplicate"]);
    expect(await db.programHoliday.count()).toBe(1);
    expect(await db.auditLog.count({ where: { action: "holiday.add" } })).toBe(1);
  });
});
