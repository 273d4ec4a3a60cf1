import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPrisma, type Prisma } from "../../src/db/connection.js";
import { applyMigrations } from "../../src/db/schema-engine.js";
import { createScratchDatabase, type ScratchDatabase } from "../../src/db/scratch-database.js";
import { leaveSeat } from "../../src/services/members.js";
import { batchSizeFor, cancelPending, DeliveryFailure, dispatchOutbox, enqueue, maxRowsOfOne, type OutboxMessage } from "../../src/outbox/index.js";
import { findPerson } from "../../src/services/people.js";
import { databaseKinds } from "../support/databases.js";

// The outbox's claim on rows whose messages wait long for their turn at Telegram's rate (a
// broadcast at 28 a second, a 429 pause): another sender must not take them meanwhile. A
// person's rows are claimed together, a 429 is waited out within the dispatch, and a row
// cancelled while its message waits is not sent.

/**
 * A sender that sends one message at a time, `perMessageMs` each, as the rate limit lets them
 * go; it lists who got a message, and adds them to `everyone` when senders share one list.
 */
function oneAtATime(perMessageMs: number, everyone: number[] = []) {
  let queue = Promise.resolve();
  const sent: number[] = [];
  const send = (m: OutboxMessage) => {
    const turn = queue.then(() => new Promise<void>((resolve) => setTimeout(resolve, perMessageMs)));
    queue = turn;
    return turn.then(() => {
      sent.push(m.to.personId);
      everyone.push(m.to.personId);
      return { chatId: m.to.telegramId, messageId: everyone.length };
    });
  };
  return { send, sent };
}

describe.each(await databaseKinds())("the outbox on %s", (kind) => {
  let scratch: ScratchDatabase;
  let db: Prisma;
  const now = new Date("2022-03-01T02:00:00Z");

  /**
   * Seats these people in the one unit (or as the one program's coordinators) since before
   * anything fell due: a step's message goes only to someone seated for it.
   */
  async function seat(people: { id: number }[], role: "pic" | "koordinator") {
    const { initiative } = await db.milestone.findFirstOrThrow({ include: { initiative: true } });
    const where = role === "pic" ? { unitId: initiative.unitId } : { programId: initiative.programId };
    await db.membership.createMany({ data: people.map((p) => ({ personId: p.id, role, createdAt: new Date("2022-01-01T00:00:00Z"), ...where })) });
  }

  beforeAll(async () => {
    scratch = await createScratchDatabase(kind);
    await applyMigrations(scratch.url);
    db = openPrisma(scratch.url);
    const program = await db.program.create({ data: { name: "Replikasi Inovasi 2022" } });
    const region = await db.region.create({ data: { name: "Kabupaten Bangka Barat", timezone: "Asia/Jakarta" } });
    const unit = await db.unit.create({ data: { regionId: region.id, name: "Dinas Kependudukan dan Pencatatan Sipil", code: "DISDUKCAPIL" } });
    const initiative = await db.initiative.create({ data: { programId: program.id, unitId: unit.id, name: "SIP Banget" } });
    const step = await db.milestone.create({ data: { initiativeId: initiative.id, title: "Penyusunan SOP", dueDate: "2022-03-04" } });
    const people = await Promise.all(
      Array.from({ length: 12 }, (_, i) => db.person.create({ data: { telegramId: BigInt(8100 + i), firstName: `PIC ${i + 1}` } })),
    );
    await seat(people, "pic");
    await enqueue(
      db,
      people.map((p) => ({ key: `nudge:${step.id}:${p.id}:2022-03-01T09`, kind: "nudge" as const, personId: p.id, milestoneId: step.id, dueAt: now })),
    );
  });
  afterAll(async () => {
    await db?.$disconnect();
    await scratch?.drop();
  });

  it("when a batch's messages wait longer than the lease, then a second sender takes none of them and each goes once", async () => {
    const received: number[] = [];
    const slow = oneAtATime(150, received);
    const fast = oneAtATime(0, received);
    // The batch takes 12 × 150 ms = 1.8 s; the lease is 300 ms and must be kept meanwhile.
    const first = dispatchOutbox(db, { now, send: slow.send, leaseMs: 300 });
    await new Promise((resolve) => setTimeout(resolve, 700));
    const second = await dispatchOutbox(db, { now, send: fast.send, leaseMs: 300 });
    expect(second.sent).toBe(0);
    expect((await first).sent).toBe(12);
    expect(fast.sent).toEqual([]);
    expect(new Set(received).size).toBe(12);
    expect(received).toHaveLength(12);
    expect(await db.delivery.count({ where: { status: "sent", lockedUntil: null, claimToken: null } })).toBe(12);
  });

  it("when the rate is a thousand a second, then a second's worth is claimed at once and each message goes once", async () => {
    expect(batchSizeFor(28)).toBe(100);
    expect(batchSizeFor(1000)).toBe(1000);
    const step = await db.milestone.findFirstOrThrow();
    await db.person.createMany({ data: Array.from({ length: 1500 }, (_, i) => ({ telegramId: BigInt(200_000 + i), firstName: `Peserta ${i + 1}` })) });
    const crowd = await db.person.findMany({ where: { telegramId: { gte: 200_000 } } });
    await seat(crowd, "pic");
    await enqueue(
      db,
      crowd.map((p) => ({ key: `nudge:${step.id}:${p.id}:2022-03-01T10`, kind: "nudge" as const, personId: p.id, milestoneId: step.id, dueAt: now })),
    );
    const received = new Map<number, number>();
    const result = await dispatchOutbox(db, {
      now,
      batchSize: batchSizeFor(1000),
      send: async (m) => {
        received.set(m.to.personId, (received.get(m.to.personId) ?? 0) + 1);
        return { chatId: m.to.telegramId, messageId: received.size };
      },
    });
    expect(result).toMatchObject({ sent: 1500, failed: 0, retrying: 0 });
    expect(received.size).toBe(1500);
    expect([...received.values()].every((n) => n === 1)).toBe(true);
  });

  it("when a morning's reminders are queued ahead, then a broadcast queued after them goes out in the next batch", async () => {
    const step = await db.milestone.findFirstOrThrow();
    await db.person.createMany({ data: Array.from({ length: 26 }, (_, i) => ({ telegramId: BigInt(300_000 + i), firstName: `OPD ${i + 1}` })) });
    const [coordinator, ...others] = await db.person.findMany({ where: { telegramId: { gte: 300_000 } }, orderBy: { telegramId: "asc" } });
    const [listeners, focalPoints] = [others.slice(0, 5), others.slice(5)];
    await seat(focalPoints, "pic");
    await enqueue(
      db,
      focalPoints.map((p) => ({
        key: `reminder:${step.id}:${p.id}:2022-03-01`,
        kind: "reminder" as const,
        personId: p.id,
        milestoneId: step.id,
        dueAt: new Date(now.getTime() - 3_600_000),
      })),
    );
    const program = await db.program.findFirstOrThrow();
    const broadcast = await db.broadcast.create({
      data: {
        programId: program.id,
        createdById: coordinator!.id,
        text: "Rapat evaluasi KIPP hari Jumat pukul 09.00",
        audience: JSON.stringify({ kind: "program" }),
        status: "sending",
      },
    });
    await enqueue(
      db,
      listeners.map((p) => ({ key: `broadcast:${broadcast.id}:${p.id}`, kind: "broadcast" as const, personId: p.id, broadcastId: broadcast.id, dueAt: now })),
    );
    const order: OutboxMessage["type"][] = [];
    const result = await dispatchOutbox(db, {
      now,
      batchSize: 10,
      send: async (m) => {
        order.push(m.type);
        return { chatId: m.to.telegramId, messageId: order.length };
      },
    });
    expect(result.sent).toBe(25);
    expect(order.filter((t) => t === "broadcast")).toHaveLength(5);
    // The first batch of ten holds the whole broadcast, although its reminders were due an hour earlier.
    expect(order.slice(0, 10).filter((t) => t === "broadcast")).toHaveLength(5);
  });

  it("when a pass's budget runs out, then it stops after the batch in hand and says so, and the next pass sends the rest once", async () => {
    const step = await db.milestone.findFirstOrThrow();
    await db.person.createMany({ data: Array.from({ length: 30 }, (_, i) => ({ telegramId: BigInt(400_000 + i), firstName: `Kepala ${i + 1}` })) });
    const backlog = await db.person.findMany({ where: { telegramId: { gte: 400_000 } } });
    await seat(backlog, "pic");
    await enqueue(
      db,
      backlog.map((p) => ({ key: `nudge:${step.id}:${p.id}:2022-03-01T11`, kind: "nudge" as const, personId: p.id, milestoneId: step.id, dueAt: now })),
    );
    // Twenty milliseconds a message, one at a time: a batch of ten takes 200 ms.
    const { send, sent: received } = oneAtATime(20);
    const first = await dispatchOutbox(db, { now, send, batchSize: 10, budgetMs: 150 });
    expect(first).toMatchObject({ sent: 10, more: true });
    expect(await db.delivery.count({ where: { personId: { in: backlog.map((p) => p.id) }, status: "pending" } })).toBe(20);
    const rest = await dispatchOutbox(db, { now, send, batchSize: 10 });
    expect(rest).toMatchObject({ sent: 20, more: false });
    expect(received).toHaveLength(30);
    expect(new Set(received).size).toBe(30);
  });

  it("when a person leaves while their claimed reminders are on their way, then what Telegram took is recorded as sent and what it refused stays cancelled", async () => {
    const step = await db.milestone.findFirstOrThrow({ include: { initiative: true } });
    const early = new Date(now.getTime() - 2 * 3_600_000);
    const [staying, leaving] = await Promise.all(
      [500_001, 500_002].map((telegramId) =>
        db.person.create({
          data: { telegramId: BigInt(telegramId), firstName: `PIC ${telegramId}`, memberships: { create: { role: "pic", unitId: step.initiative.unitId } } },
        }),
      ),
    );
    await enqueue(
      db,
      [staying!, leaving!].map((p) => ({
        key: `reminder:${step.id}:${p.id}:2022-03-01`,
        kind: "reminder" as const,
        personId: p.id,
        milestoneId: step.id,
        dueAt: early,
      })),
    );
    // Before what the other tests queued: this pass sends these two rows only.
    const result = await dispatchOutbox(db, {
      now: early,
      send: async (m) => {
        // The removal lands after the pass claimed the row and before Telegram answered.
        if (m.to.personId === leaving!.id) {
          const seat = await db.membership.findFirstOrThrow({ where: { personId: leaving!.id } });
          expect((await leaveSeat(db, (await findPerson(db, 500_002))!, seat.id, now, { kind: "system" })).ok).toBe(true);
        }
        return { chatId: m.to.telegramId, messageId: 1 };
      },
    });
    expect(result).toMatchObject({ sent: 2, failed: 0, retrying: 0 });
    const rows = await db.delivery.findMany({ where: { personId: { in: [staying!.id, leaving!.id] } } });
    expect(rows.find((r) => r.personId === staying!.id)).toMatchObject({ status: "sent" });
    // It reached them: recorded as it happened, with the message a reply would quote.
    expect(rows.find((r) => r.personId === leaving!.id)).toMatchObject({ status: "sent", messageId: 1 });

    // The same race ending in a passing failure: the cancellation holds, nothing is retried.
    const later = new Date(early.getTime() + 60_000);
    const rejoined = await db.person.create({
      data: { telegramId: 500_003n, firstName: "PIC 500003", memberships: { create: { role: "pic", unitId: step.initiative.unitId } } },
    });
    await enqueue(db, [
      { key: `reminder:${step.id}:${rejoined.id}:2022-03-02`, kind: "reminder" as const, personId: rejoined.id, milestoneId: step.id, dueAt: later },
    ]);
    const failed = await dispatchOutbox(db, {
      now: later,
      send: async () => {
        const seat = await db.membership.findFirstOrThrow({ where: { personId: rejoined.id } });
        expect((await leaveSeat(db, (await findPerson(db, 500_003))!, seat.id, now, { kind: "system" })).ok).toBe(true);
        throw new Error("502: Bad Gateway");
      },
    });
    expect(failed).toMatchObject({ sent: 0, retrying: 0 });
    expect(await db.delivery.findFirstOrThrow({ where: { personId: rejoined.id } })).toMatchObject({ status: "cancelled", error: "member.leave" });
  });

  /** A broadcast of the first program to these people, due at `at`. */
  async function broadcastTo(recipients: { id: number }[], at: Date) {
    const program = await db.program.findFirstOrThrow();
    const broadcast = await db.broadcast.create({
      data: { programId: program.id, createdById: recipients[0]!.id, text: "Rapat", audience: JSON.stringify({ kind: "program" }), status: "sending" },
    });
    await enqueue(
      db,
      recipients.map((p) => ({ key: `broadcast:${broadcast.id}:${p.id}`, kind: "broadcast" as const, personId: p.id, broadcastId: broadcast.id, dueAt: at })),
    );
    return broadcast;
  }

  it("when many people have many steps due and a batch holds fewer rows, then each person's steps still go out merged", async () => {
    const initiative = await db.initiative.findFirstOrThrow();
    await db.milestone.createMany({
      data: Array.from({ length: 12 }, (_, i) => ({ initiativeId: initiative.id, title: `Langkah ${i + 1}`, dueDate: "2022-03-04" })),
    });
    const steps = await db.milestone.findMany({ where: { title: { startsWith: "Langkah " } } });
    await db.person.createMany({ data: Array.from({ length: 15 }, (_, i) => ({ telegramId: BigInt(600_000 + i), firstName: `Narahubung ${i + 1}` })) });
    const crowd = await db.person.findMany({ where: { telegramId: { gte: 600_000, lt: 700_000 } } });
    await seat(crowd, "pic");
    // Planned step by step, as a reminder pass does: consecutive rows belong to different people.
    await enqueue(
      db,
      steps.flatMap((step) =>
        crowd.map((p) => ({ key: `reminder:${step.id}:${p.id}:2022-03-01`, kind: "reminder" as const, personId: p.id, milestoneId: step.id, dueAt: now })),
      ),
    );
    const messages = new Map<number, number[]>();
    const result = await dispatchOutbox(db, {
      now,
      batchSize: 10,
      send: async (m) => {
        if (m.type === "reminder") messages.set(m.to.personId, [...(messages.get(m.to.personId) ?? []), m.items.length]);
        return { chatId: m.to.telegramId, messageId: messages.size };
      },
    });
    expect(result).toMatchObject({ sent: 180, retrying: 0 });
    expect([...messages.keys()].sort()).toEqual(crowd.map((p) => p.id).sort());
    for (const counts of messages.values()) expect(counts).toEqual([10, 2]);
  });

  it("when a coordinator has more escalations due than a reminder lists and a batch holds fewer rows, then they go out as one message", async () => {
    const initiative = await db.initiative.findFirstOrThrow();
    await db.milestone.createMany({
      data: Array.from({ length: 25 }, (_, i) => ({ initiativeId: initiative.id, title: `Tahap eskalasi ${i + 1}`, dueDate: "2022-02-20" })),
    });
    const steps = await db.milestone.findMany({ where: { title: { startsWith: "Tahap eskalasi " } } });
    const coordinators = await Promise.all([1, 2].map((i) => db.person.create({ data: { telegramId: BigInt(650_000 + i), firstName: `Koordinator ${i}` } })));
    await seat(coordinators, "koordinator");
    // Planned step by step, as the pass's pages do: consecutive rows belong to different coordinators.
    await enqueue(
      db,
      steps.flatMap((step) =>
        coordinators.map((p) => ({
          key: `escalation_coord:${step.id}:${p.id}`,
          kind: "escalation_coord" as const,
          personId: p.id,
          milestoneId: step.id,
          dueAt: now,
        })),
      ),
    );
    const messages = new Map<number, number[]>();
    const result = await dispatchOutbox(db, {
      now,
      batchSize: 10,
      send: async (m) => {
        if (m.type === "escalation") messages.set(m.to.personId, [...(messages.get(m.to.personId) ?? []), m.items.length]);
        return { chatId: m.to.telegramId, messageId: messages.size };
      },
    });
    expect(result).toMatchObject({ sent: 50, retrying: 0 });
    expect(Object.fromEntries(messages)).toEqual(Object.fromEntries(coordinators.map((p) => [p.id, [25]])));
  });

  it("when a coordinator is owed more escalations than one claim takes of a person, then they go out two hundred steps a message", async () => {
    const initiative = await db.initiative.findFirstOrThrow();
    await db.milestone.createMany({
      data: Array.from({ length: 250 }, (_, i) => ({ initiativeId: initiative.id, title: `Tahap provinsi ${i + 1}`, dueDate: "2022-02-20" })),
    });
    const steps = await db.milestone.findMany({ where: { title: { startsWith: "Tahap provinsi " } } });
    const province = await db.person.create({ data: { telegramId: 660_001n, firstName: "Koordinator Provinsi" } });
    await seat([province], "koordinator");
    await enqueue(
      db,
      steps.map((step) => ({
        key: `escalation_coord:${step.id}:${province.id}`,
        kind: "escalation_coord" as const,
        personId: province.id,
        milestoneId: step.id,
        dueAt: now,
      })),
    );
    const sizes: number[] = [];
    const result = await dispatchOutbox(db, {
      now,
      send: async (m) => {
        if (m.type === "escalation" && m.to.personId === province.id) sizes.push(m.items.length);
        return { chatId: m.to.telegramId, messageId: sizes.length };
      },
    });
    expect(result).toMatchObject({ sent: 250, retrying: 0 });
    expect(sizes).toEqual([maxRowsOfOne, 250 - maxRowsOfOne]);
  });

  it("when a coordinator who is also a focal point is owed 195 escalations and 8 reminders, then the escalations are one message and the reminders another, none cut in two", async () => {
    const initiative = await db.initiative.findFirstOrThrow();
    await db.milestone.createMany({
      data: Array.from({ length: 203 }, (_, i) => ({ initiativeId: initiative.id, title: `Tahap ganda ${i + 1}`, dueDate: "2022-02-20" })),
    });
    const steps = await db.milestone.findMany({ where: { title: { startsWith: "Tahap ganda " } }, orderBy: { id: "asc" } });
    const both = await db.person.create({ data: { telegramId: 660_002n, firstName: "Koordinator dan PIC" } });
    await seat([both], "koordinator");
    await seat([both], "pic");
    await enqueue(db, [
      ...steps.slice(0, 195).map((step) => ({
        key: `escalation_coord:${step.id}:${both.id}`,
        kind: "escalation_coord" as const,
        personId: both.id,
        milestoneId: step.id,
        dueAt: now,
      })),
      ...steps
        .slice(195)
        .map((step) => ({ key: `reminder:${step.id}:${both.id}:2022-02-17`, kind: "reminder" as const, personId: both.id, milestoneId: step.id, dueAt: now })),
    ]);
    const sizes: string[] = [];
    await dispatchOutbox(db, {
      now,
      send: async (m) => {
        if ((m.type === "reminder" || m.type === "escalation") && m.to.personId === both.id) sizes.push(`${m.type} ${m.items.length}`);
        return { chatId: m.to.telegramId, messageId: sizes.length };
      },
    });
    expect(sizes.sort()).toEqual(["escalation 195", "reminder 8"]);
  });

  it("when a person loses their seat after a pass planned their reminder and escalations, then none of them is sent and each counts as cancelled", async () => {
    const step = await db.milestone.findFirstOrThrow({ where: { title: "Penyusunan SOP" }, include: { initiative: true } });
    const [pic, head, coordinator] = await Promise.all(
      [670_001, 670_002, 670_003].map((id) => db.person.create({ data: { telegramId: BigInt(id), firstName: `Tersingkir ${id}` } })),
    );
    await seat([pic!], "pic");
    await db.membership.create({ data: { personId: head!.id, role: "kepala", unitId: step.initiative.unitId } });
    await seat([coordinator!], "koordinator");
    // Each removed as the pass that planned their rows was putting them into the outbox: removing
    // cancelled what was pending then, and these rows came after.
    await db.membership.deleteMany({ where: { personId: { in: [pic!.id, head!.id, coordinator!.id] } } });
    await enqueue(db, [
      { key: `reminder:${step.id}:${pic!.id}:2022-03-01`, kind: "reminder", personId: pic!.id, milestoneId: step.id, dueAt: now },
      { key: `escalation_head:${step.id}:${head!.id}`, kind: "escalation_head", personId: head!.id, milestoneId: step.id, dueAt: now },
      { key: `escalation_coord:${step.id}:${coordinator!.id}`, kind: "escalation_coord", personId: coordinator!.id, milestoneId: step.id, dueAt: now },
    ]);
    const removed = [pic!.id, head!.id, coordinator!.id];
    const told: number[] = [];
    const result = await dispatchOutbox(db, {
      now,
      send: async (m) => {
        told.push(m.to.personId);
        return { chatId: m.to.telegramId, messageId: told.length };
      },
    });
    expect(told.filter((id) => removed.includes(id))).toEqual([]);
    expect(result.cancelled).toBeGreaterThanOrEqual(3);
    const rows = await db.delivery.findMany({ where: { personId: { in: [pic!.id, head!.id, coordinator!.id] } } });
    expect(rows.map((r) => r.status)).toEqual(["cancelled", "cancelled", "cancelled"]);
  });

  it("when Telegram refuses a message because the person blocked the bot, then they are marked blocked once, from the first refusal, with one audit row of theirs", async () => {
    await db.person.createMany({ data: Array.from({ length: 2 }, (_, i) => ({ telegramId: BigInt(900_000 + i), firstName: `Pemblokir ${i + 1}` })) });
    const recipients = await db.person.findMany({ where: { telegramId: { gte: 900_000, lt: 900_100 } }, orderBy: { id: "asc" } });
    const blocker = recipients[0]!;
    const refuse = async (m: OutboxMessage) => {
      if (m.to.personId === blocker.id) throw new DeliveryFailure("blocked", "Forbidden: bot was blocked by the user");
      return { chatId: m.to.telegramId, messageId: 1 };
    };
    await broadcastTo(recipients, now);
    expect(await dispatchOutbox(db, { now, send: refuse })).toMatchObject({ blocked: 1 });
    // A second message refused the same way a day later changes nothing more.
    const later = new Date(now.getTime() + 86_400_000);
    await broadcastTo([blocker], later);
    expect(await dispatchOutbox(db, { now: later, send: refuse })).toMatchObject({ blocked: 1 });

    expect((await db.person.findUniqueOrThrow({ where: { id: blocker.id } })).blockedAt).toEqual(now);
    const rows = await db.auditLog.findMany({ where: { action: "person.block", entityId: String(blocker.id) } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actorKind: "person",
      actorPersonId: blocker.id,
      actorName: "Pemblokir 1",
      origin: "telegram",
      chatId: null,
      createdAt: now,
    });
    expect(JSON.parse(rows[0]!.detail!)).toEqual({ by: "send" });
    expect(await db.auditLog.count({ where: { action: "person.block", entityId: String(recipients[1]!.id) } })).toBe(0);
  });

  it("when Telegram answers a broadcast part with 429, then it is sent again once retry_after has passed, in the same dispatch", async () => {
    await db.person.createMany({ data: Array.from({ length: 3 }, (_, i) => ({ telegramId: BigInt(700_000 + i), firstName: `Penerima ${i + 1}` })) });
    const recipients = await db.person.findMany({ where: { telegramId: { gte: 700_000, lt: 800_000 } } });
    await broadcastTo(recipients, now);
    const refused = recipients[1]!.id;
    const calls: number[] = [];
    const result = await dispatchOutbox(db, {
      now,
      send: async (m) => {
        calls.push(m.to.personId);
        if (m.to.personId === refused && calls.filter((id) => id === refused).length === 1) {
          throw new DeliveryFailure("retry", "Too Many Requests: retry after 1", 200);
        }
        return { chatId: m.to.telegramId, messageId: calls.length };
      },
    });
    expect(result).toMatchObject({ sent: 3, retrying: 0, failed: 0 });
    expect(calls.filter((id) => id === refused)).toHaveLength(2);
    expect(await db.delivery.findFirstOrThrow({ where: { personId: refused } })).toMatchObject({ status: "sent", error: null });
  });

  it("when a broadcast is cancelled while its messages wait at the sender, then only the one on its way goes and the rest count as cancelled", async () => {
    await db.person.createMany({ data: Array.from({ length: 6 }, (_, i) => ({ telegramId: BigInt(800_000 + i), firstName: `Anggota ${i + 1}` })) });
    const recipients = await db.person.findMany({ where: { telegramId: { gte: 800_000, lt: 900_000 } } });
    const broadcast = await broadcastTo(recipients, now);
    const calls: number[] = [];
    const result = await dispatchOutbox(db, {
      now,
      // Four a second: one broadcast message at a time waits at the sender.
      messagesPerSecond: 4,
      send: async (m) => {
        calls.push(m.to.personId);
        if (calls.length === 1) {
          await db.broadcast.update({ where: { id: broadcast.id }, data: { status: "cancelled" } });
          await cancelPending(db, { broadcastId: broadcast.id });
        }
        return { chatId: m.to.telegramId, messageId: calls.length };
      },
    });
    expect(calls).toHaveLength(1);
    expect(result).toMatchObject({ sent: 1, cancelled: 5, retrying: 0 });
    const rows = await db.delivery.groupBy({ by: ["status"], where: { broadcastId: broadcast.id }, _count: { _all: true } });
    expect(Object.fromEntries(rows.map((r) => [r.status, r._count._all]))).toEqual({ sent: 1, cancelled: 5 });
  });
});
