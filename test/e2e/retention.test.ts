import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmuUser } from "../support/bot-api-emulator.js";
import { databaseKinds, examplePlan, Harness } from "../support/harness.js";

// Retention: the scheduler's first tick purges what outlived its class (finished deliveries of
// done steps, expired flows, audit rows of reads, week-old update claims) and leaves the rest,
// on SQLite and PostgreSQL.
// The rows of the classes are written directly with the ages the test needs; the purge runs in
// the real Pantau, started as `pantau start` starts it.

const rina: EmuUser = { id: 7301, first_name: "Rina", language_code: "id" };
const dewi: EmuUser = { id: 7302, first_name: "Dewi", language_code: "id" };
const day = 24 * 60 * 60 * 1000;

describe.each(await databaseKinds())("retention on %s", (kind) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.create(kind);
    expect((await h.cli("import", examplePlan)).code).toBe(0);
    await h.startBot();
    for (const user of [rina, dewi]) {
      const code = /start=([\w-]+)/.exec((await h.cli("invite", "--unit", "BABAR-DISPARBUD")).stdout)![1]!;
      await h.emulator.sendText(user, `/start ${code}`);
      expect((await h.emulator.waitForMessage(user.id, undefined, 20_000)).plainText).toContain("Selamat bergabung");
    }
    await h.emulator.idle(20_000);
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
  });

  it("when the bot starts a year and more after the data was written, then only expired data of each class is gone", async () => {
    const now = new Date("2023-06-01T09:00:00+07:00");
    const ago = (days: number) => new Date(now.getTime() - days * day);
    const person = await h.db.person.findUniqueOrThrow({ where: { telegramId: BigInt(rina.id) } });
    const other = await h.db.person.findUniqueOrThrow({ where: { telegramId: BigInt(dewi.id) } });
    const [done, open] = await h.db.milestone.findMany({ where: { initiative: { unit: { code: "BABAR-DISPARBUD" } } }, orderBy: { id: "asc" }, take: 2 });
    await h.db.milestone.update({ where: { id: done!.id }, data: { status: "done", progress: 100 } });

    const delivery = (key: string, data: { status: string; dueAt: Date; milestoneId?: number; kind?: string; lockedUntil?: Date }) =>
      h.db.delivery.create({ data: { key, kind: data.milestoneId ? "reminder" : "broadcast", personId: person.id, chatId: BigInt(rina.id), ...data } });
    const gone = [
      await delivery("old-done", { status: "sent", dueAt: ago(400), milestoneId: done!.id }),
      await delivery("old-broadcast", { status: "cancelled", dueAt: ago(366) }),
    ];
    const kept = [
      await delivery("old-open-step", { status: "sent", dueAt: ago(400), milestoneId: open!.id }),
      // Pending (held by a sender's lease, so the restart's outbox leaves it be) is never purged.
      await delivery("old-pending", {
        status: "pending",
        dueAt: ago(400),
        milestoneId: done!.id,
        kind: "nudge",
        lockedUntil: new Date(now.getTime() + 30 * day),
      }),
      await delivery("recent", { status: "sent", dueAt: ago(300) }),
      await delivery("old-answered", { status: "sent", dueAt: ago(400), milestoneId: done!.id }),
    ];
    await h.db.progressReport.create({
      data: { milestoneId: done!.id, personId: person.id, percent: 100, status: "done", source: "reply", deliveryId: kept[3]!.id },
    });

    await h.db.chatFlow.create({ data: { personId: person.id, kind: "report", state: "{}", token: "a", expiresAt: ago(30) } });
    await h.db.chatFlow.create({ data: { personId: other.id, kind: "report", state: "{}", token: "b", expiresAt: ago(1) } });

    const auditRow = (action: string, createdAt: Date) =>
      h.db.auditLog.create({
        data: { actorKind: "person", actorTelegramId: BigInt(rina.id), origin: "private", action, entity: "person", entityId: String(person.id), createdAt },
      });
    const oldReads = [await auditRow("person.data_access", ago(400)), await auditRow("export.read", ago(366))];
    const keptAudits = [await auditRow("report.create", ago(800)), await auditRow("person.data_access", ago(100))];

    // Update claims age in real time, whatever the business clock says.
    const realAgo = (days: number) => new Date(Date.now() - days * day);
    await h.db.processedUpdate.createMany({
      data: [
        { updateId: 900_001n, createdAt: realAgo(8) },
        { updateId: 900_002n, createdAt: realAgo(6) },
      ],
    });

    h.clock = now;
    h.logs.length = 0;
    await h.restartBot();
    await expect.poll(() => h.logs.some((line) => line.includes("retention purge")), { timeout: 20_000 }).toBe(true);

    // The restart's reminder pass may plan messages of its own: only the rows written here count.
    const deliveries = await h.db.delivery.findMany({ where: { key: { in: [...gone, ...kept].map((d) => d.key) } }, select: { id: true, key: true } });
    expect(deliveries.map((d) => d.key).sort()).toEqual(kept.map((d) => d.key).sort());
    expect(deliveries.map((d) => d.id).sort()).toEqual(kept.map((d) => d.id).sort());
    for (const d of gone) expect(deliveries.map((x) => x.id)).not.toContain(d.id);
    expect(await h.db.chatFlow.findMany({ select: { personId: true } })).toEqual([{ personId: other.id }]);
    const audits = await h.db.auditLog.findMany({ where: { id: { in: [...oldReads, ...keptAudits].map((a) => a.id) } }, select: { id: true } });
    expect(audits.map((a) => a.id).sort()).toEqual(keptAudits.map((a) => a.id).sort());
    const line = JSON.parse(h.logs.find((l) => l.includes("retention purge"))!);
    expect(line).toMatchObject({ deliveries: 2, flows: 1, readAudits: 2, claims: 1 });
    // The purge is in the trail itself, as the scheduler's, with what it took.
    const purge = await h.db.auditLog.findFirstOrThrow({ where: { action: "retention.purge" } });
    expect(purge).toMatchObject({ actorKind: "scheduler", origin: "scheduler", createdAt: h.clock });
    expect(JSON.parse(purge.detail!)).toMatchObject({ deliveries: 2, flows: 1, readAudits: 2, claims: 1 });
    const claims = await h.db.processedUpdate.findMany({ where: { updateId: { in: [900_001n, 900_002n] } }, select: { updateId: true } });
    expect(claims).toEqual([{ updateId: 900_002n }]);
    // The report, the steps and the people stay.
    expect(await h.db.progressReport.count({ where: { personId: person.id } })).toBe(1);
    expect(await h.db.person.count()).toBe(2);

    // What Rina reads of her own data is what is left.
    await h.emulator.sendText(rina, "/dataku");
    const file = await h.emulator.waitForMessage(rina.id, (m) => m.method === "sendDocument", 20_000);
    const data = JSON.parse(file.document!.bytes!.toString("utf8"));
    const dues = data.processing.messagesToYou.map((m: { dueAt: string }) => m.dueAt);
    expect(dues).toContain(ago(300).toISOString());
    expect(dues).not.toContain(ago(366).toISOString());
    expect(data.openFlow).toBeNull();
  });
});
