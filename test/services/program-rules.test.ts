import { personActor } from "../../src/services/audit.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPrisma, type Prisma } from "../../src/db/connection.js";
import { applyMigrations } from "../../src/db/schema-engine.js";
import { createScratchDatabase, type ScratchDatabase } from "../../src/db/scratch-database.js";
import { hourIsQuiet } from "../../src/domain/reminder-plan.js";
import type { Person } from "../../src/services/people.js";
import { changeProgramRule, coordinatedProgramRules, parseRuleChange, pickProgram, type ProgramRulesView } from "../../src/services/program-rules.js";

describe("reading a rule's value", () => {
  it("when reminder days are typed with spaces, duplicates or in any order, then they are kept once, largest first", () => {
    expect(parseRuleChange("offsets", ["7,", "14,", "0,7"])).toEqual({ change: { rule: "offsets", offsets: [14, 7, 0] }, rest: [] });
  });

  it("when words follow the value, then they are left over for the program name", () => {
    expect(parseRuleChange("sendHour", ["08:00", "KIPP", "2023"])).toEqual({ change: { rule: "sendHour", sendHour: 8 }, rest: ["KIPP", "2023"] });
    expect(parseRuleChange("offsets", ["3,1", "KIPP"]).rest).toEqual(["KIPP"]);
  });

  it("when yes/no or on/off are written in Indonesian or English, then both are understood", () => {
    for (const [word, value] of [
      ["ya", true],
      ["yes", true],
      ["tidak", false],
      ["no", false],
    ] as const) {
      expect(parseRuleChange("workingDaysOnly", [word]).change).toEqual({ rule: "workingDaysOnly", workingDaysOnly: value });
    }
    expect(parseRuleChange("escalation", ["off"]).change).toEqual({ rule: "escalation", enabled: false });
    expect(parseRuleChange("escalation", ["nyala"]).change).toEqual({ rule: "escalation", enabled: true });
    expect(parseRuleChange("quietHours", ["mati"]).change).toEqual({ rule: "quietHours", startHour: 0, endHour: 0 });
    expect(parseRuleChange("quietHours", ["21.00–06.00"]).change).toEqual({ rule: "quietHours", startHour: 21, endHour: 6 });
  });

  it("when escalation days are given, then escalation is switched on with them", () => {
    expect(parseRuleChange("escalation", ["0", "30"]).change).toEqual({ rule: "escalation", enabled: true, headAfterDays: 0, coordAfterDays: 30 });
  });

  it("when the silent threshold is typed as days or off, then reminders that far ahead go silently, or none does", () => {
    expect(parseRuleChange("silent", ["7"]).change).toEqual({ rule: "silent", fromDays: 7 });
    expect(parseRuleChange("silent", ["mati"]).change).toEqual({ rule: "silent", fromDays: 0 });
    expect(parseRuleChange("silent", ["0", "KIPP"])).toEqual({ change: { rule: "silent", fromDays: 0 }, rest: ["KIPP"] });
  });

  it("when the digest is given a day, with or without an hour, in Indonesian or English, then it is switched on for that day", () => {
    expect(parseRuleChange("digest", ["Jumat", "15"]).change).toEqual({ rule: "digest", enabled: true, weekday: 5, hour: 15 });
    expect(parseRuleChange("digest", ["monday"]).change).toEqual({ rule: "digest", enabled: true, weekday: 1, hour: null });
    expect(parseRuleChange("digest", ["minggu", "KIPP", "2023"])).toEqual({
      change: { rule: "digest", enabled: true, weekday: 7, hour: null },
      rest: ["KIPP", "2023"],
    });
    expect(parseRuleChange("digest", ["mati"]).change).toEqual({ rule: "digest", enabled: false });
    expect(parseRuleChange("digest", ["on"]).change).toEqual({ rule: "digest", enabled: true });
  });

  it("when a value is out of range or malformed, then it is refused naming the rule", () => {
    const refused: [Parameters<typeof parseRuleChange>[0], string[]][] = [
      ["offsets", []],
      ["offsets", ["1,2,3,4,5,6,7,8,9"]],
      ["offsets", ["60,61"]],
      ["offsets", ["1.5"]],
      ["sendHour", ["24"]],
      ["sendHour", ["8.30"]],
      ["overdue", ["31", "1"]],
      ["overdue", ["1", "61"]],
      ["workingDaysOnly", ["kadang"]],
      ["quietHours", ["24-6"]],
      ["escalation", ["3"]],
      ["escalation", ["3", "31"]],
      ["silent", ["61"]],
      ["silent", []],
      ["digest", []],
      ["digest", ["pekan"]],
      ["digest", ["senin", "24"]],
      ["digest", ["8"]],
    ];
    for (const [rule, words] of refused) {
      expect(() => parseRuleChange(rule, words), `${rule} ${words.join(" ")}`).toThrow(expect.objectContaining({ code: "rules.invalid", params: { rule } }));
    }
    // The limits themselves are allowed.
    expect(parseRuleChange("offsets", ["60,0"]).change).toEqual({ rule: "offsets", offsets: [60, 0] });
    expect(parseRuleChange("overdue", ["30", "0"]).change).toEqual({ rule: "overdue", everyDays: 30, maxReminders: 0 });
  });

  it("when quiet hours wrap midnight, then the send hour is quiet only inside them", () => {
    const rules = { quietStartHour: 21, quietEndHour: 6 };
    expect([20, 21, 0, 5, 6, 8].map((h) => hourIsQuiet(h, rules))).toEqual([false, true, true, true, false, false]);
    expect(hourIsQuiet(8, { quietStartHour: 6, quietEndHour: 10 })).toBe(true);
    expect(hourIsQuiet(8, { quietStartHour: 0, quietEndHour: 0 })).toBe(false);
  });
});

describe("choosing the program", () => {
  const view = (id: number, name: string) => ({ id, name }) as ProgramRulesView;
  const programs = [view(1, "Replikasi Inovasi 2022 Kabupaten Bangka Barat"), view(2, "KIPP 2023 Kabupaten Bangka Barat")];

  it("when the person has one program and names none, then it is that one", () => {
    expect(pickProgram(programs.slice(0, 1), "")).toMatchObject({ kind: "found", program: { id: 1 } });
  });

  it("when the person has several, then a name or a part of one picks it, and anything else is not guessed", () => {
    expect(pickProgram(programs, "")).toEqual({ kind: "ambiguous" });
    expect(pickProgram(programs, "kipp  2023")).toMatchObject({ kind: "found", program: { id: 2 } });
    expect(pickProgram(programs, "bangka barat")).toEqual({ kind: "ambiguous" });
    expect(pickProgram(programs, "Kota Kendari")).toEqual({ kind: "unknown" });
  });
});

describe("changing a program's rules", () => {
  let scratch: ScratchDatabase;
  let db: Prisma;
  let programId = 0;
  let regionId = 0;
  let personId = 0;
  const coordinator = (regionOnly: boolean): Person => ({
    id: personId,
    telegramId: 9001,
    firstName: "Budi",
    name: "Budi",
    language: "id",
    blocked: false,
    memberships: [{ role: "koordinator", unitId: null, programId, regionId: regionOnly ? regionId : null, label: "" }],
  });

  beforeAll(async () => {
    scratch = await createScratchDatabase("sqlite");
    await applyMigrations(scratch.url);
    db = openPrisma(scratch.url);
    programId = (await db.program.create({ data: { name: "Replikasi Inovasi 2022" } })).id;
    regionId = (await db.region.create({ data: { name: "Kabupaten Bangka Barat", timezone: "Asia/Jakarta" } })).id;
    // The audit trail names the actor from their stored row.
    personId = (await db.person.create({ data: { telegramId: 9001n, firstName: "Budi" } })).id;
  });
  afterAll(async () => {
    await db?.$disconnect();
    await scratch?.drop();
  });

  it("when a region-limited coordinator tries, then it is refused and nothing is written", async () => {
    await expect(
      changeProgramRule(db, coordinator(true), programId, { rule: "sendHour", sendHour: 9 }, new Date(), personActor(coordinator(false), null)),
    ).rejects.toMatchObject({
      code: "rules.not_allowed",
    });
    expect((await db.program.findUniqueOrThrow({ where: { id: programId } })).sendHour).toBe(8);
    expect(await db.auditLog.count()).toBe(0);
    expect((await coordinatedProgramRules(db, coordinator(true)))[0]).toMatchObject({ canChange: false, rules: { sendHour: 8 } });
  });

  it("when a value out of range reaches the service directly, then it is refused too", async () => {
    await expect(
      changeProgramRule(db, coordinator(false), programId, { rule: "sendHour", sendHour: 30 }, new Date(), personActor(coordinator(false), null)),
    ).rejects.toMatchObject({
      code: "rules.invalid",
    });
    expect(await db.auditLog.count()).toBe(0);
  });

  it("when a coordinator of the whole program switches escalation off, then its delays are kept and the change is logged", async () => {
    const result = await changeProgramRule(
      db,
      coordinator(false),
      programId,
      { rule: "escalation", enabled: false },
      new Date("2022-01-11T02:00:00Z"),
      personActor(coordinator(false), null),
    );
    expect(result.changed).toBe(true);
    expect(result.program.rules).toMatchObject({ escalationEnabled: false, escalateHeadAfterDays: 3, escalateCoordAfterDays: 4 });
    const [row] = await db.auditLog.findMany();
    expect(row).toMatchObject({
      actorKind: "person",
      actorTelegramId: 9001n,
      actorName: "Budi",
      action: "program.rules",
      entity: "program",
      entityId: String(programId),
      programId,
      createdAt: new Date("2022-01-11T02:00:00Z"),
    });
    expect(JSON.parse(row!.detail!)).toEqual({ rule: "escalation" });
    expect(JSON.parse(row!.before!)).toEqual({ escalationEnabled: true });
    expect(JSON.parse(row!.after!)).toEqual({ escalationEnabled: false });
  });
});
