import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPrisma, type Prisma } from "../../src/db/connection.js";
import { applyMigrations } from "../../src/db/schema-engine.js";
import { createScratchDatabase, type ScratchDatabase } from "../../src/db/scratch-database.js";
import { dailyPurge } from "../../src/services/retention.js";
import { databaseKinds } from "../support/databases.js";

// The scheduler's purge runs at most once a day of business time, whatever the number of ticks,
// and prunes update claims by real time.

const hour = 60 * 60 * 1000;

describe.each(await databaseKinds())("the daily purge on %s", (kind) => {
  let scratch: ScratchDatabase;
  let db: Prisma;

  beforeAll(async () => {
    scratch = await createScratchDatabase(kind);
    await applyMigrations(scratch.url);
    db = openPrisma(scratch.url);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await scratch?.drop();
  });

  it("when ticks come every few minutes, then the purge runs at the first and again only a day later", async () => {
    const purge = dailyPurge(db);
    const start = new Date("2023-06-01T01:00:00Z");
    const at = (hours: number) => new Date(start.getTime() + hours * hour);
    expect(await purge(start, start)).toEqual({ deliveries: 0, flows: 0, readAudits: 0, claims: 0 });
    expect(await purge(at(0.1), at(0.1))).toBeNull();
    expect(await purge(at(23.9), at(23.9))).toBeNull();
    await db.auditLog.create({
      data: {
        actorKind: "person",
        actorTelegramId: 1n,
        origin: "private",
        action: "person.data_access",
        entity: "person",
        entityId: "1",
        createdAt: at(24 - 366 * 24),
      },
    });
    expect(await purge(at(24), at(24))).toEqual({ deliveries: 0, flows: 0, readAudits: 1, claims: 0 });
    expect(await purge(at(25), at(25))).toBeNull();
  });

  it("when update claims (polling's and the webhook's) are older than a week of real time, then the purge deletes them and keeps newer ones, whatever the business clock says", async () => {
    const realNow = new Date("2026-03-10T00:00:00Z");
    await db.processedUpdate.createMany({
      data: [
        { updateId: 900_001n, createdAt: new Date(realNow.getTime() - 8 * 24 * hour) },
        { updateId: 900_002n, createdAt: new Date(realNow.getTime() - 6 * 24 * hour) },
      ],
    });
    // A business clock set years ahead (a test's) does not reach the claims.
    expect(await dailyPurge(db)(new Date("2030-01-01T00:00:00Z"), realNow)).toMatchObject({ claims: 1 });
    const left = await db.processedUpdate.findMany({ where: { updateId: { in: [900_001n, 900_002n] } } });
    expect(left.map((r) => r.updateId)).toEqual([900_002n]);
  });
});
