import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPrisma, type Prisma } from "../../src/db/connection.js";
import { applyMigrations } from "../../src/db/schema-engine.js";
import { createScratchDatabase, type ScratchDatabase } from "../../src/db/scratch-database.js";
import { DeliveryFailure, type OutboxMessage } from "../../src/outbox/index.js";
import { planPass, runReminderPass, type PlannedReminder } from "../../src/services/reminders.js";

// Reminder passes over a real database, with focal points in three time zones. The suite runs
// with the server's own TZ far from Indonesia (vitest.config.ts), which must not matter.

describe("reminder passes", () => {
  let scratch: ScratchDatabase;
  let db: Prisma;
  const people: Record<string, number> = {};

  beforeAll(async () => {
    scratch = await createScratchDatabase("sqlite");
    await applyMigrations(scratch.url);
    db = openPrisma(scratch.url);
    const program = await db.program.create({ data: { name: "Replikasi Inovasi 2022", reminderOffsets: "3", overdueEveryDays: 3 } });
    const zones = { WIB: ["Kabupaten Bangka Barat", "Asia/Jakarta"], WITA: ["Kota Kendari", "Asia/Makassar"], WIT: ["Kota Jayapura", "Asia/Jayapura"] };
    let telegramId = 7000;
    for (const [label, [regionName, timezone]] of Object.entries(zones)) {
      const region = await db.region.create({ data: { name: regionName!, timezone: timezone! } });
      const unit = await db.unit.create({ data: { regionId: region.id, name: `Dinas Kominfo ${label}`, code: `KOMINFO-${label}` } });
      const initiative = await db.initiative.create({ data: { programId: program.id, unitId: unit.id, name: `SIP Banget ${label}` } });
      // Due on 1 March: H-3 is 26 February (2022 is not a leap year).
      await db.milestone.create({ data: { initiativeId: initiative.id, title: `Penyusunan SOP ${label}`, dueDate: "2022-03-01" } });
      const person = await db.person.create({ data: { telegramId: BigInt(++telegramId), firstName: `PIC ${label}` } });
      await db.membership.create({ data: { personId: person.id, role: "pic", unitId: unit.id } });
      people[label] = person.id;
    }
  });
  afterAll(async () => {
    await db?.$disconnect();
    await scratch?.drop();
  });

  const titles = (planned: PlannedReminder[]) => planned.map((p) => p.milestone.title).sort();

  it("opens the H-3 reminder at 08:00 local time in each region, across the month end", async () => {
    // The server itself is on Los Angeles time (UTC-8), a day behind Indonesia at this hour.
    expect(new Date("2022-02-25T23:30:00Z").getTimezoneOffset()).toBe(480);
    // 25 Feb 23:30 UTC is 26 Feb 08:30 WIT, 07:30 WITA and 06:30 WIB.
    const witOnly = await planPass(db, new Date("2022-02-25T23:30:00Z"));
    expect(titles(witOnly.reminders)).toEqual(["Penyusunan SOP WIT"]);
    expect(witOnly.reminders[0]!.slot.daysLeft).toBe(3);
    const witAndWita = await planPass(db, new Date("2022-02-26T00:30:00Z"));
    expect(titles(witAndWita.reminders)).toEqual(["Penyusunan SOP WIT", "Penyusunan SOP WITA"]);
    const all = await planPass(db, new Date("2022-02-26T01:00:00Z"));
    expect(titles(all.reminders)).toHaveLength(3);
    // A dry run records nothing.
    expect(await db.delivery.count()).toBe(0);
  });

  const titleOf = (m: OutboxMessage) => (m.type === "reminder" ? m.items.map((i) => i.milestone.title).join(",") : m.type);

  it("sends each reminder once; a passing failure is retried once its backoff has passed", async () => {
    const now = new Date("2022-02-26T01:00:00Z");
    let wall = Date.now();
    const wallClock = () => wall;
    const sent: string[] = [];
    let failWita = true;
    const send = async (m: OutboxMessage) => {
      if (titleOf(m).endsWith("WITA") && failWita) throw new DeliveryFailure("retry", "Internal Server Error");
      sent.push(titleOf(m));
      return { chatId: m.to.telegramId, messageId: sent.length };
    };
    const first = await runReminderPass(db, { now, send, wallClock });
    expect(first).toMatchObject({ sent: 2, retrying: 1, failed: 0, blocked: 0 });
    failWita = false;
    // Within the backoff (a minute after the first attempt) nothing is sent again.
    expect(await runReminderPass(db, { now, send, wallClock })).toMatchObject({ sent: 0, retrying: 0 });
    wall += 61_000;
    const second = await runReminderPass(db, { now, send, wallClock });
    expect(second).toMatchObject({ sent: 1, failed: 0 });
    const third = await runReminderPass(db, { now, send, wallClock });
    expect(third.planned).toBe(0);
    expect(third.sent).toBe(0);
    expect(sent.sort()).toEqual(["Penyusunan SOP WIB", "Penyusunan SOP WIT", "Penyusunan SOP WITA"]);
    expect(await db.delivery.count({ where: { status: "sent" } })).toBe(3);
  });

  it("after downtime sends the current overdue reminder, not the stale H-3 one", async () => {
    // Bot down from 26 Feb to 5 Mar 10:00 WIB: due 1 Mar, so overdue slots are 2 Mar and 5 Mar.
    const planned = (await planPass(db, new Date("2022-03-05T03:00:00Z"))).reminders;
    expect(planned).toHaveLength(3);
    for (const p of planned) {
      expect(p.slot.kind).toBe("overdue");
      expect(p.slot.date).toBe("2022-03-05");
      expect(p.slot.daysLeft).toBe(-4);
    }
  });

  it("marks a person who blocked the bot and skips them afterwards", async () => {
    const now = new Date("2022-03-05T03:00:00Z");
    const result = await runReminderPass(db, {
      now,
      send: async (m) => {
        if (m.to.personId === people.WIB) throw new DeliveryFailure("blocked", "Forbidden: bot was blocked by the user");
        return { chatId: m.to.telegramId, messageId: 100 };
      },
    });
    expect(result).toMatchObject({ sent: 2, blocked: 1 });
    expect((await db.person.findUniqueOrThrow({ where: { id: people.WIB } })).blockedAt).not.toBeNull();
    const later = await planPass(db, new Date("2022-03-08T03:00:00Z"));
    expect(later.reminders.map((p) => p.personId).sort()).toEqual([people.WIT, people.WITA].sort());
  });

  it("stops reminding once the step is done", async () => {
    await db.milestone.updateMany({ data: { status: "done", progress: 100 } });
    expect((await planPass(db, new Date("2022-03-11T03:00:00Z"))).reminders).toHaveLength(0);
  });
});

describe("reminder passes on working days only", () => {
  let scratch: ScratchDatabase;
  let db: Prisma;

  beforeAll(async () => {
    scratch = await createScratchDatabase("sqlite");
    await applyMigrations(scratch.url);
    db = openPrisma(scratch.url);
    const program = await db.program.create({ data: { name: "Replikasi Inovasi 2022 Kota Kendari", reminderOffsets: "3", workingDaysOnly: true } });
    const region = await db.region.create({ data: { name: "Kota Kendari", timezone: "Asia/Makassar" } });
    const unit = await db.unit.create({ data: { regionId: region.id, name: "Kelurahan Kadia", code: "KDI-KADIA" } });
    const initiative = await db.initiative.create({ data: { programId: program.id, unitId: unit.id, name: "Bank data kelurahan" } });
    // Due Wednesday 9 March 2022: H-3 is Sunday the 6th. Due Friday 19 August: H-3 is Tuesday
    // the 16th, and the 17th (Independence Day) is no working day either.
    await db.milestone.create({ data: { initiativeId: initiative.id, title: "Input data penduduk", dueDate: "2022-03-09" } });
    await db.milestone.create({ data: { initiativeId: initiative.id, title: "Validasi data", dueDate: "2022-08-19" } });
    const person = await db.person.create({ data: { telegramId: 8801n, firstName: "Wa Ode" } });
    await db.membership.create({ data: { personId: person.id, role: "pic", unitId: unit.id } });
  });
  afterAll(async () => {
    await db?.$disconnect();
    await scratch?.drop();
  });

  const planned = async (iso: string) => (await planPass(db, new Date(iso))).reminders.map((p) => `${p.milestone.title}@${p.slot.date}`);

  it("when H-3 falls on a Sunday, then the reminder goes out on Friday at 08:00 WITA, whatever the server's time zone", async () => {
    // Friday 4 March 2022, 07:30 WITA (23:30 UTC on the 3rd; the server is on Los Angeles time).
    expect(await planned("2022-03-03T23:30:00Z")).toEqual([]);
    expect(await planned("2022-03-04T00:05:00Z")).toEqual(["Input data penduduk@2022-03-04"]);
    // Still owed over the weekend (not sent yet), and no second slot on Sunday.
    expect(await planned("2022-03-06T02:00:00Z")).toEqual(["Input data penduduk@2022-03-04"]);
  });

  it("when H-3 is a working day before a national holiday, then it stays where it is", async () => {
    expect(await planned("2022-08-16T00:05:00Z")).toEqual(["Validasi data@2022-08-16"]);
  });

  it("when the overdue slot falls on a holiday, then it moves to the next working day", async () => {
    // Due 19 August (Friday): the first overdue slot, Saturday the 20th, moves to Monday the 22nd;
    // the weekend stays quiet (once late, only overdue reminders are owed).
    expect(await planned("2022-08-20T02:00:00Z")).toEqual([]);
    expect(await planned("2022-08-22T00:05:00Z")).toEqual(["Validasi data@2022-08-22"]);
  });
});
