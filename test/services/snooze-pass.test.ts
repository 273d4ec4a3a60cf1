import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPrisma, type Prisma } from "../../src/db/connection.js";
import { applyMigrations } from "../../src/db/schema-engine.js";
import { createScratchDatabase, type ScratchDatabase } from "../../src/db/scratch-database.js";
import type { OutboxMessage } from "../../src/outbox/index.js";
import { personActor } from "../../src/services/audit.js";
import { findPerson, type Person } from "../../src/services/people.js";
import { reportableMilestones } from "../../src/services/milestones.js";
import { runReminderPass } from "../../src/services/reminders.js";
import { snoozeReminder, undoSnooze } from "../../src/services/snooze.js";
import { databaseKinds } from "../support/databases.js";

// A snooze and the reminder pass on a real database: the regular reminder a pending snooze holds
// back is not counted as planned, and one held back by a snooze undone while the pass ran (between
// its read of the pending snoozes and its insert) is sent all the same, not lost.

describe.each(await databaseKinds())("a snooze during a reminder pass on %s", (kind) => {
  let scratch: ScratchDatabase;
  let db: Prisma;
  let person: Person;
  let stepId: number;
  const sent: string[] = [];
  const send = async (m: OutboxMessage) => {
    sent.push(m.type === "reminder" ? m.items.map((i) => i.milestone.title).join(",") : m.type);
    return { chatId: m.to.telegramId, messageId: sent.length };
  };
  /** A pending snooze of the step for the person, as ⏰ Besok leaves it, due at 08:00 WIB on `date`. */
  const snoozeFor = async (date: string) =>
    (
      await db.delivery.create({
        data: {
          key: `snooze:${stepId}:${person.id}:${date}`,
          kind: "reminder",
          personId: person.id,
          milestoneId: stepId,
          dueAt: new Date(`${date}T01:00:00Z`),
        },
      })
    ).id;
  const regular = (date: string) => db.delivery.findUniqueOrThrow({ where: { key: `reminder:${stepId}:${person.id}:${date}` } });

  beforeAll(async () => {
    scratch = await createScratchDatabase(kind);
    await applyMigrations(scratch.url);
    db = openPrisma(scratch.url);
    const program = await db.program.create({ data: { name: "Replikasi Inovasi 2022", reminderOffsets: "3,1,0", digestEnabled: false } });
    const region = await db.region.create({ data: { name: "Kabupaten Bangka Barat", timezone: "Asia/Jakarta" } });
    const unit = await db.unit.create({ data: { regionId: region.id, name: "Dinas Pariwisata dan Kebudayaan", code: "BABAR-DISPARBUD" } });
    const initiative = await db.initiative.create({ data: { programId: program.id, unitId: unit.id, name: "SIP Banget" } });
    stepId = (await db.milestone.create({ data: { initiativeId: initiative.id, title: "Penyusunan SOP layanan", dueDate: "2022-01-14" } })).id;
    const row = await db.person.create({ data: { telegramId: 8301n, firstName: "Rina" } });
    await db.membership.create({ data: { personId: row.id, role: "pic", unitId: unit.id, createdAt: new Date("2022-01-01T00:00:00Z") } });
    person = (await findPerson(db, 8301))!;
  });
  afterAll(async () => {
    await db?.$disconnect();
    await scratch?.drop();
  });

  it("when the snooze is undone after the pass read it and before it inserted the reminder it holds back, then that reminder is sent", async () => {
    const now = new Date("2022-01-13T08:05:00+07:00"); // H-1
    const snoozeId = await snoozeFor("2022-01-13");
    // The undo lands right after the pass's read of the pending reminders of its steps.
    let armed = true;
    const racing = db.$extends({
      query: {
        delivery: {
          async findMany({ args, query }) {
            const rows = await query(args);
            if (armed && args.where?.status === "pending") {
              armed = false;
              expect(await undoSnooze(db, person, snoozeId, now, personActor(person, null))).toMatchObject({ ok: true, released: 0 });
            }
            return rows;
          },
        },
      },
    }) as unknown as Prisma;
    const result = await runReminderPass(racing, { now, send });
    expect(armed).toBe(false);
    expect(await regular("2022-01-13")).toMatchObject({ status: "sent", error: null });
    expect(result).toMatchObject({ planned: 1, sent: 1 });
    expect(sent).toEqual(["Penyusunan SOP layanan"]);
  });

  it("when a snooze holding a reminder back is moved by a second press and that one is undone, then the reminder held back is sent", async () => {
    // The state a pass leaves while a snooze for later today is still pending: today's H-1 held back by it.
    const first = await snoozeFor("2022-01-12");
    await db.delivery.update({ where: { id: first }, data: { dueAt: new Date("2022-01-12T05:00:00Z") } });
    await db.delivery.create({
      data: {
        key: `reminder:${stepId}:${person.id}:2022-01-12`,
        kind: "reminder",
        personId: person.id,
        milestoneId: stepId,
        dueAt: new Date("2022-01-12T01:00:00Z"),
        status: "cancelled",
        error: `held back by snooze ${first}`,
      },
    });
    // ⏰ Besok again, on the 12th at 09:00: the snooze moves to the 13th at 08:00.
    const now = new Date("2022-01-12T09:00:00+07:00");
    const [step] = await reportableMilestones(db, person, [stepId], now);
    const pressed = { id: first, personId: person.id, milestoneId: stepId, sentAt: now, chatId: 8301, messageId: 1 };
    const moved = await snoozeReminder(db, person, { delivery: pressed, step: step! }, now, personActor(person, null));
    expect(moved).toMatchObject({ ok: true, date: "2022-01-13" });
    expect(await db.delivery.findUniqueOrThrow({ where: { id: first } })).toMatchObject({ status: "cancelled" });
    // Undone: what the first one held back is released with it, not lost.
    const undone = await undoSnooze(db, person, (moved as { snoozeId: number }).snoozeId, now, personActor(person, null));
    expect(undone).toMatchObject({ ok: true, released: 1 });
    expect(await regular("2022-01-12")).toMatchObject({ status: "pending", error: null });
  });

  it("when a pending snooze holds the day's reminder back, then the pass plans nothing new and sends the snooze alone", async () => {
    const now = new Date("2022-01-14T08:05:00+07:00"); // H-0
    await snoozeFor("2022-01-14");
    const result = await runReminderPass(db, { now, send });
    expect(await regular("2022-01-14")).toMatchObject({ status: "cancelled" });
    expect(result).toMatchObject({ planned: 0, sent: 1 });
    expect(sent).toEqual(["Penyusunan SOP layanan", "Penyusunan SOP layanan"]);
  });
});
