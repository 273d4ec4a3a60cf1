import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPrisma, type Prisma } from "../../src/db/connection.js";
import { applyMigrations } from "../../src/db/schema-engine.js";
import { createScratchDatabase, type ScratchDatabase } from "../../src/db/scratch-database.js";
import type { OutboxMessage } from "../../src/outbox/index.js";
import { personActor } from "../../src/services/audit.js";
import { findPerson, type Person } from "../../src/services/people.js";
import { reportableMilestones } from "../../src/services/milestones.js";
import { runReminderPass } from "../../src/services/reminders.js";
import { snoozeReminder, undoSnooze, type SnoozeResult } from "../../src/services/snooze.js";
import { databaseKinds } from "../support/databases.js";

// A snooze, its undo and the reminder pass on a real database: the regular reminder a pending snooze holds
// back is not counted as planned, and one held back by a snooze undone while the pass ran (between
// its read of the pending snoozes and its insert) is sent all the same, not lost. And the other way
// round: after ⏰ Besok, no regular reminder of the step comes to the person before the snoozed
// one, whether the pass planned it before the press, while it was recorded, or after the snoozed
// one went out. Two presses at once (a double tap reaching two instances) snooze once.

describe.each(await databaseKinds())("a snooze during a reminder pass on %s", (kind) => {
  let scratch: ScratchDatabase;
  let db: Prisma;
  /**
   * A second client (a second process's connections) on PostgreSQL. SQLite's driver waits for
   * another connection's lock synchronously, holding this process still: there it is `db`.
   */
  let other: Prisma;
  let person: Person;
  let stepId: number;
  let initiativeId: number;
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
    initiativeId = initiative.id;
    stepId = (await db.milestone.create({ data: { initiativeId: initiative.id, title: "Penyusunan SOP layanan", dueDate: "2022-01-14" } })).id;
    const row = await db.person.create({ data: { telegramId: 8301n, firstName: "Rina" } });
    await db.membership.create({ data: { personId: row.id, role: "pic", unitId: unit.id, createdAt: new Date("2022-01-01T00:00:00Z") } });
    person = (await findPerson(db, 8301))!;
    other = kind === "postgresql" ? openPrisma(scratch.url) : db;
  });
  afterAll(async () => {
    if (other !== db) await other?.$disconnect();
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

  it("when a snooze holding a reminder back is moved by a second press and that one is undone, then the first snooze stands again, still holding it back", async () => {
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
    // Undone: the first one is back, with what it held back (neither lost, nor sent twice).
    const undone = await undoSnooze(db, person, (moved as { snoozeId: number }).snoozeId, now, personActor(person, null));
    expect(undone).toMatchObject({ ok: true, released: 0, restored: new Date("2022-01-12T05:00:00Z") });
    expect(await db.delivery.findUniqueOrThrow({ where: { id: first } })).toMatchObject({ status: "pending", error: null });
    expect(await regular("2022-01-12")).toMatchObject({ status: "cancelled", error: `held back by snooze ${first}` });
  });

  it("when a pending snooze holds the day's reminder back, then the pass plans nothing new and sends the snooze alone", async () => {
    const now = new Date("2022-01-14T08:05:00+07:00"); // H-0
    await snoozeFor("2022-01-14");
    const result = await runReminderPass(db, { now, send });
    expect(await regular("2022-01-14")).toMatchObject({ status: "cancelled" });
    expect(result).toMatchObject({ planned: 0, sent: 1 });
    expect(sent).toEqual(["Penyusunan SOP layanan", "Penyusunan SOP layanan"]);
  });

  /** A new open step due on `due` (the earlier ones done, out of the pass's way). */
  const freshStep = async (title: string, due: string) => {
    await db.milestone.updateMany({ data: { status: "done" } });
    return (await db.milestone.create({ data: { initiativeId, title, dueDate: due } })).id;
  };
  /** The step's regular reminder to the person for `date` (08:00 WIB), as a pass leaves it. */
  const regularOf = async (step: number, date: string, data: { status: string; sentAt?: Date; chatId?: bigint; messageId?: number }) =>
    db.delivery.create({
      data: {
        key: `reminder:${step}:${person.id}:${date}`,
        kind: "reminder",
        personId: person.id,
        milestoneId: step,
        dueAt: new Date(`${date}T01:00:00Z`),
        ...data,
      },
    });
  /** ⏰ Besok pressed at `at` under the step's reminder sent on `date`, recorded through `client`. */
  const pressBesok = async (client: Prisma, step: number, date: string, at: Date): Promise<SnoozeResult> => {
    const sentAt = new Date(`${date}T01:00:05Z`);
    const shown =
      (await db.delivery.findUnique({ where: { key: key(step, date) } })) ??
      (await regularOf(step, date, { status: "sent", sentAt, chatId: 8301n, messageId: 100 }));
    const [view] = await reportableMilestones(db, person, [step], at);
    const delivery = { id: shown.id, personId: person.id, milestoneId: step, sentAt, chatId: 8301, messageId: 100 };
    return snoozeReminder(client, person, { delivery, step: view! }, at, personActor(person, null));
  };
  const key = (step: number, date: string) => `reminder:${step}:${person.id}:${date}`;

  it("when ⏰ Besok is recorded while a pass plans the day's reminder (after its read of the outbox, before its insert), then that reminder is held back by the snooze, not sent", async () => {
    const step = await freshStep("Sosialisasi layanan", "2022-01-21");
    const now = new Date("2022-01-20T08:05:00+07:00"); // H-1
    let readDone!: () => void;
    const passHasRead = new Promise<void>((resolve) => (readDone = resolve));
    // The press, pressed on Tuesday's H-3 reminder, lands once the pass has read the outbox.
    const snooze = passHasRead.then(() => pressBesok(other, step, "2022-01-18", now));
    let armed = true;
    const racing = db.$extends({
      query: {
        delivery: {
          async findMany({ args, query }) {
            const rows = await query(args);
            if (armed && args.where?.status === "pending") {
              armed = false;
              readDone();
              await snooze;
            }
            return rows;
          },
        },
      },
    }) as unknown as Prisma;
    const before = sent.length;
    const [result, snoozed] = await Promise.all([runReminderPass(racing, { now, send }), snooze]);
    expect(armed).toBe(false);
    expect(snoozed).toMatchObject({ ok: true, fresh: true, date: "2022-01-21" });
    expect(sent.slice(before)).toEqual([]);
    const regular = await db.delivery.findUniqueOrThrow({ where: { key: key(step, "2022-01-20") } });
    expect(regular).toMatchObject({ status: "cancelled", error: `held back by snooze ${(snoozed as { snoozeId: number }).snoozeId}` });
    expect(result).toMatchObject({ planned: 0, sent: 0 });
  });

  it("when ⏰ Besok is pressed while the day's reminder waits in the outbox (its sending retried), then it is held back by the snooze; the snooze's undo sends it", async () => {
    const step = await freshStep("Pelatihan petugas layanan", "2022-01-25");
    await regularOf(step, "2022-01-24", { status: "pending" });
    const now = new Date("2022-01-24T09:00:00+07:00");
    const snoozed = await pressBesok(db, step, "2022-01-22", now);
    expect(snoozed).toMatchObject({ ok: true, date: "2022-01-25" });
    const snoozeId = (snoozed as { snoozeId: number }).snoozeId;
    expect(await db.delivery.findUniqueOrThrow({ where: { key: key(step, "2022-01-24") } })).toMatchObject({
      status: "cancelled",
      error: `held back by snooze ${snoozeId}`,
    });
    const before = sent.length;
    expect(await runReminderPass(db, { now: new Date("2022-01-24T09:05:00+07:00"), send })).toMatchObject({ sent: 0 });
    expect(sent.slice(before)).toEqual([]);
    expect(await undoSnooze(db, person, snoozeId, now, personActor(person, null))).toMatchObject({ ok: true, released: 1 });
    expect(await runReminderPass(db, { now: new Date("2022-01-24T09:10:00+07:00"), send })).toMatchObject({ sent: 1 });
    expect(sent.slice(before)).toEqual(["Pelatihan petugas layanan"]);
  });

  it("when the snoozed reminder went out before a pass planned the regular one of that moment, then the regular one is held back: one reminder, not two", async () => {
    const step = await freshStep("Uji coba layanan", "2022-01-28");
    // Pressed on Monday's H-3 reminder: the snooze for Thursday 08:00 WIB went out at 08:00 by a pass of its own.
    await db.delivery.create({
      data: {
        key: `snooze:${step}:${person.id}:2022-01-27`,
        kind: "reminder",
        personId: person.id,
        milestoneId: step,
        dueAt: new Date("2022-01-27T01:00:00Z"),
        status: "sent",
        sentAt: new Date("2022-01-27T01:00:05Z"),
      },
    });
    const before = sent.length;
    const result = await runReminderPass(db, { now: new Date("2022-01-27T08:05:00+07:00"), send }); // H-1
    expect(sent.slice(before)).toEqual([]);
    expect(await db.delivery.findUniqueOrThrow({ where: { key: key(step, "2022-01-27") } })).toMatchObject({ status: "cancelled" });
    expect(result).toMatchObject({ planned: 0, sent: 0 });
  });

  // PostgreSQL only: SQLite runs one write transaction at a time, so a pass cannot insert while
  // the snooze's is open.
  if (kind === "postgresql")
    it("when a pass puts the day's reminder in while ⏰ Besok is being recorded (its transaction open), then the pass waits for it and holds that reminder back", async () => {
      const step = await freshStep("Evaluasi layanan", "2022-02-04");
      const now = new Date("2022-02-03T08:05:00+07:00"); // H-1
      let inserted!: () => void;
      const passHasInserted = new Promise<void>((resolve) => (inserted = resolve));
      const passing = db.$extends({
        query: {
          delivery: {
            async createMany({ args, query }) {
              const count = await query(args);
              inserted();
              return count;
            },
          },
        },
      }) as unknown as Prisma;
      // The snooze's transaction stays open (its audit row about to be written) until the pass has
      // put the day's reminder in, and a while longer: the pass goes on to check it meanwhile.
      const pressing = other.$extends({
        query: {
          auditLog: {
            async create({ args, query }) {
              await passHasInserted;
              await new Promise((resolve) => setTimeout(resolve, 300));
              return query(args);
            },
          },
        },
      }) as unknown as Prisma;
      const before = sent.length;
      const [, snoozed] = await Promise.all([runReminderPass(passing, { now, send }), pressBesok(pressing, step, "2022-01-31", now)]);
      expect(snoozed).toMatchObject({ ok: true, fresh: true, date: "2022-02-04" });
      expect(sent.slice(before)).toEqual([]);
      expect(await db.delivery.findUniqueOrThrow({ where: { key: key(step, "2022-02-03") } })).toMatchObject({
        status: "cancelled",
        error: `held back by snooze ${(snoozed as { snoozeId: number }).snoozeId}`,
      });
    });

  it("when ⏰ Besok is pressed twice at the same moment after its snooze was undone, then one press snoozes it again and the other only says so", async () => {
    const step = await freshStep("Peluncuran layanan", "2022-02-11");
    const now = new Date("2022-02-08T09:00:00+07:00");
    const first = await pressBesok(db, step, "2022-02-08", now);
    expect(first).toMatchObject({ ok: true, fresh: true, date: "2022-02-09" });
    expect(await undoSnooze(db, person, (first as { snoozeId: number }).snoozeId, now, personActor(person, null))).toMatchObject({ ok: true });
    const presses = await Promise.all([pressBesok(db, step, "2022-02-08", now), pressBesok(other, step, "2022-02-08", now)]);
    expect(presses.map((p) => p.ok && p.fresh).sort()).toEqual([false, true]);
    expect(await db.delivery.findMany({ where: { key: { startsWith: `snooze:${step}:` } }, select: { status: true } })).toEqual([{ status: "pending" }]);
    expect(await db.auditLog.count({ where: { action: "reminder.snooze", entityId: String(step) } })).toBe(2);
  });
});
