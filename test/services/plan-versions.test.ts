import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openPrisma, type DatabaseKind, type Prisma } from "../../src/db/connection.js";
import { applyMigrations } from "../../src/db/schema-engine.js";
import { createScratchDatabase, type ScratchDatabase } from "../../src/db/scratch-database.js";
import type { OutboxMessage } from "../../src/outbox/index.js";
import { planPass, runReminderPass } from "../../src/services/reminders.js";
import { databaseKinds } from "../support/databases.js";

// A pass leaves out the steps the last one found owing nothing new until the next turn of the
// hours (see `nextTurn`), as long as the step, its unit and its program keep their plan versions.
// The database's triggers count those versions up whoever writes: these tests write as the bot,
// an import or a shell would, and check that the next tick sees the change.

describe.each(await databaseKinds())("plan versions on %s", (kind: DatabaseKind) => {
  let scratch: ScratchDatabase;
  let db: Prisma;
  let ids: { program: number; region: number; unit: number; initiative: number; step: number; pic: number };
  let telegramId = 91_000;

  beforeAll(async () => {
    scratch = await createScratchDatabase(kind);
    await applyMigrations(scratch.url);
    db = openPrisma(scratch.url);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await scratch?.drop();
  });

  beforeEach(async () => {
    for (const table of ["Delivery", "Leave", "Membership", "ProgramHoliday", "Milestone", "Initiative", "Unit", "Person", "Region", "Program"]) {
      await db.$executeRawUnsafe(`DELETE FROM "${table}"`);
    }
    const program = await db.program.create({ data: { name: "Replikasi Inovasi 2022", reminderOffsets: "3", escalationEnabled: false } });
    const region = await db.region.create({ data: { name: "Kabupaten Bantaeng", timezone: "Asia/Makassar" } });
    const unit = await db.unit.create({ data: { regionId: region.id, name: "Dinas Kesehatan", code: "BTG-DINKES" } });
    const initiative = await db.initiative.create({ data: { programId: program.id, unitId: unit.id, name: "Brigade Siaga Bencana" } });
    // Due Friday 4 March 2022: H-3 is Tuesday 1 March, 08:00 WITA (00:00 UTC).
    const step = await db.milestone.create({ data: { initiativeId: initiative.id, title: "Penyusunan SOP layanan", dueDate: "2022-03-04" } });
    const pic = await person("Andi");
    await db.membership.create({ data: { personId: pic, role: "pic", unitId: unit.id } });
    ids = { program: program.id, region: region.id, unit: unit.id, initiative: initiative.id, step: step.id, pic };
  });

  async function person(firstName: string): Promise<number> {
    return (await db.person.create({ data: { telegramId: BigInt(++telegramId), firstName } })).id;
  }

  const versions = async () => ({
    step: (await db.milestone.findUniqueOrThrow({ where: { id: ids.step } })).planVersion,
    unit: (await db.unit.findUniqueOrThrow({ where: { id: ids.unit } })).planVersion,
    program: (await db.program.findUniqueOrThrow({ where: { id: ids.program } })).planVersion,
  });

  /** What reaches whom at `iso`, by first name. */
  async function tick(iso: string): Promise<string[]> {
    const sent: string[] = [];
    const send = async (m: OutboxMessage) => {
      sent.push(m.to.name);
      return { chatId: m.to.telegramId, messageId: sent.length };
    };
    await runReminderPass(db, { now: new Date(iso), send });
    return sent.sort();
  }

  /** Runs `work` with `sql` run inside the pass whenever a delivery goes into the outbox (a database trigger). */
  async function whileDeliveriesGoIn<T>(sql: string, work: () => Promise<T>): Promise<T> {
    if (kind === "sqlite") {
      await db.$executeRawUnsafe(`CREATE TRIGGER "test_join" AFTER INSERT ON "Delivery" BEGIN ${sql}; END`);
    } else {
      await db.$executeRawUnsafe(`CREATE FUNCTION "test_join"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${sql}; RETURN NULL; END $$`);
      await db.$executeRawUnsafe(`CREATE TRIGGER "test_join" AFTER INSERT ON "Delivery" FOR EACH ROW EXECUTE FUNCTION "test_join"()`);
    }
    try {
      return await work();
    } finally {
      await db.$executeRawUnsafe(kind === "sqlite" ? `DROP TRIGGER "test_join"` : `DROP TRIGGER "test_join" ON "Delivery"`);
      if (kind === "postgresql") await db.$executeRawUnsafe(`DROP FUNCTION "test_join"()`);
    }
  }

  it("count up, whoever writes, when what a pass reads of a step, its unit or its program changes", async () => {
    const expectBump = async (write: () => Promise<unknown>, bumped: Partial<Record<"step" | "unit" | "program", number>>) => {
      const before = await versions();
      await write();
      expect(await versions()).toEqual({
        step: before.step + (bumped.step ?? 0),
        unit: before.unit + (bumped.unit ?? 0),
        program: before.program + (bumped.program ?? 0),
      });
    };
    const pic2 = await person("Sitti");
    const coordinator = await person("Koordinator");
    // The step itself: what planning reads of it, not its title.
    await expectBump(() => db.milestone.update({ where: { id: ids.step }, data: { lastReportAt: new Date("2022-03-01T02:00:00Z") } }), { step: 1 });
    await expectBump(() => db.milestone.update({ where: { id: ids.step }, data: { dueDate: "2022-03-05" } }), { step: 1 });
    await expectBump(() => db.milestone.update({ where: { id: ids.step }, data: { status: "blocked" } }), { step: 1 });
    await expectBump(() => db.milestone.update({ where: { id: ids.step }, data: { title: "Penyusunan SOP" } }), {});
    // The unit's people: seats, blocking the bot, leave; its region's zone.
    const seat = await db.membership.create({ data: { personId: pic2, role: "kepala", unitId: ids.unit } });
    await expectBump(() => db.membership.update({ where: { id: seat.id }, data: { role: "pic" } }), { unit: 1 });
    await expectBump(() => db.person.update({ where: { id: pic2 }, data: { blockedAt: new Date() } }), { unit: 1 });
    await expectBump(() => db.person.update({ where: { id: pic2 }, data: { firstName: "Sitti Aisyah" } }), {});
    const leave = { personId: pic2, firstDay: "2022-03-01", lastDay: "2022-03-02", createdAt: new Date(), updatedAt: new Date() };
    const away = await db.leave.create({ data: leave });
    await expectBump(() => db.leave.update({ where: { id: away.id }, data: { lastDay: "2022-03-03" } }), { unit: 1 });
    await expectBump(() => db.leave.delete({ where: { id: away.id } }), { unit: 1 });
    await expectBump(() => db.leave.create({ data: leave }), { unit: 1 });
    await expectBump(() => db.membership.delete({ where: { id: seat.id } }), { unit: 1 });
    // A zone moved: the unit's own, and its programs' (whose coordinators of the whole program
    // count their day in the zone most of its units are in).
    await expectBump(() => db.region.update({ where: { id: ids.region }, data: { timezone: "Asia/Jakarta" } }), { unit: 1, program: 1 });
    const other = await db.region.create({ data: { name: "Kota Kendari", timezone: "Asia/Makassar" } });
    await expectBump(() => db.unit.update({ where: { id: ids.unit }, data: { regionId: other.id } }), { unit: 1, program: 1 });
    // The program: its rules, days off, coordinators, initiatives.
    await expectBump(() => db.program.update({ where: { id: ids.program }, data: { sendHour: 9 } }), { program: 1 });
    const dayOff = { programId: ids.program, date: "2022-03-03", name: "Hari jadi Bantaeng", createdById: coordinator, createdAt: new Date() };
    await expectBump(() => db.programHoliday.create({ data: dayOff }), { program: 1 });
    await expectBump(() => db.programHoliday.deleteMany({ where: { programId: ids.program } }), { program: 1 });
    const coordinatorSeat = await db.membership.create({ data: { personId: coordinator, role: "koordinator", programId: ids.program } });
    await expectBump(() => db.person.update({ where: { id: coordinator }, data: { blockedAt: new Date() } }), { program: 1 });
    await expectBump(() => db.membership.delete({ where: { id: coordinatorSeat.id } }), { program: 1 });
    await expectBump(() => db.initiative.create({ data: { programId: ids.program, unitId: ids.unit, name: "Sistem Antrian Online" } }), { program: 1 });
    await expectBump(
      () => db.initiative.delete({ where: { programId_unitId_name: { programId: ids.program, unitId: ids.unit, name: "Sistem Antrian Online" } } }),
      {
        program: 1,
      },
    );
    // An initiative moved to another unit: its steps are read again.
    const elsewhere = await db.unit.create({ data: { regionId: ids.region, name: "Dinas Sosial", code: "BTG-DINSOS" } });
    await expectBump(() => db.initiative.update({ where: { id: ids.initiative }, data: { unitId: elsewhere.id } }), { step: 1, program: 1 });
  });

  it("a quiet tick plans nothing twice; a focal point who joins within the hour gets the reminder at the next tick", async () => {
    expect(await tick("2022-03-01T00:05:00Z")).toEqual(["Andi"]);
    expect(await tick("2022-03-01T00:10:00Z")).toEqual([]);
    // The step was left out: the tick did not even look at it.
    expect((await planPass(db, new Date("2022-03-01T00:11:00Z"))).reminders).toEqual([]);
    const sitti = await person("Sitti");
    await db.membership.create({ data: { personId: sitti, role: "pic", unitId: ids.unit } });
    expect(await tick("2022-03-01T00:12:00Z")).toEqual(["Sitti"]);
    expect(await tick("2022-03-01T00:13:00Z")).toEqual([]);
  });

  it("a step whose due date an import moves within the hour is reminded at the next tick", async () => {
    await db.milestone.update({ where: { id: ids.step }, data: { dueDate: "2022-03-10" } });
    expect(await tick("2022-03-01T00:05:00Z")).toEqual([]);
    await db.milestone.update({ where: { id: ids.step }, data: { dueDate: "2022-03-04" } });
    expect(await tick("2022-03-01T00:10:00Z")).toEqual(["Andi"]);
  });

  it("a program whose send hour is moved later within the day is reminded at the new hour, not twice", async () => {
    await db.program.update({ where: { id: ids.program }, data: { sendHour: 10 } });
    // 09:05 WITA: before the new send hour nothing is owed.
    expect(await tick("2022-03-01T01:05:00Z")).toEqual([]);
    await db.program.update({ where: { id: ids.program }, data: { sendHour: 9 } });
    expect(await tick("2022-03-01T01:10:00Z")).toEqual(["Andi"]);
    expect(await tick("2022-03-01T01:15:00Z")).toEqual([]);
  });

  it("the next turn of the hours brings the next reminder without any write", async () => {
    await db.program.update({ where: { id: ids.program }, data: { reminderOffsets: "3,2" } });
    expect(await tick("2022-03-01T00:05:00Z")).toEqual(["Andi"]);
    // 23:59 WITA: nothing new; 08:00 WITA the next day: H-2.
    expect(await tick("2022-03-01T15:59:00Z")).toEqual([]);
    expect(await tick("2022-03-02T00:00:00Z")).toEqual(["Andi"]);
  });

  it("a change committed while a pass plans is seen by the next tick", async () => {
    // Staged inside the pass: the reminder going into the outbox gives the unit a second focal
    // point, after the pass read the unit and before it recorded what the step owed.
    const sitti = await person("Sitti");
    const join = `INSERT INTO "Membership" ("personId", "role", "unitId", "createdAt") VALUES (${sitti}, 'pic', ${ids.unit}, CURRENT_TIMESTAMP)`;
    expect(await whileDeliveriesGoIn(join, () => tick("2022-03-01T00:05:00Z"))).toEqual(["Andi"]);
    expect(await tick("2022-03-01T00:10:00Z")).toEqual(["Sitti"]);
  });

  it("a change committed after a pass read the unit, on a later page of the same pass, is seen by the next tick", async () => {
    // 2,001 steps due the same day: two pages. The unit's seats are read with the first; the
    // second page's steps were recorded with the unit's version of that time, not a newer one.
    await db.milestone.createMany({
      data: Array.from({ length: 2000 }, (_, i) => ({ initiativeId: ids.initiative, title: `Sosialisasi kelurahan ${i + 1}`, dueDate: "2022-03-04" })),
    });
    const sitti = await person("Sitti");
    const join = `INSERT INTO "Membership" ("personId", "role", "unitId", "createdAt") SELECT ${sitti}, 'pic', ${ids.unit}, CURRENT_TIMESTAMP
      WHERE NOT EXISTS (SELECT 1 FROM "Membership" WHERE "personId" = ${sitti})`;
    await whileDeliveriesGoIn(join, () => tick("2022-03-01T00:05:00Z"));
    await tick("2022-03-01T00:10:00Z");
    expect(await db.delivery.count({ where: { personId: sitti, kind: "reminder" } })).toBe(2001);
  });

  it("a new process (a restart, perhaps with other code or holiday data) looks at every step once", async () => {
    expect(await tick("2022-03-01T00:05:00Z")).toEqual(["Andi"]);
    // What no version counts: the outbox lost its rows and the step its hash (as if an older
    // Pantau had planned it differently). This client trusts its own marks; a new one does not.
    await db.delivery.deleteMany();
    await db.$executeRawUnsafe(`UPDATE "Milestone" SET "plannedHash" = NULL`);
    expect(await tick("2022-03-01T00:10:00Z")).toEqual([]);
    const restarted = openPrisma(scratch.url);
    try {
      expect((await planPass(restarted, new Date("2022-03-01T00:15:00Z"))).reminders.map((r) => r.personName)).toEqual(["Andi"]);
    } finally {
      await restarted.$disconnect();
    }
  });

  it("a clock set back before the pass that planned the step looks at it again", async () => {
    // Planned at 22:00 WITA (quiet hours: nothing owed until midnight), then the clock set back to
    // 08:05 that morning, as a test harness does.
    expect(await tick("2022-03-01T14:00:00Z")).toEqual([]);
    expect(await tick("2022-03-01T00:05:00Z")).toEqual(["Andi"]);
  });
});
