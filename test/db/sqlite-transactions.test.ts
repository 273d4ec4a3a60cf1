import { setTimeout as sleep } from "node:timers/promises";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPrisma, sqliteFile, sqliteStatementsPerConnection, type Prisma } from "../../src/db/connection.js";
import { applyMigrations } from "../../src/db/schema-engine.js";
import { createScratchDatabase, type ScratchDatabase } from "../../src/db/scratch-database.js";

// The one SQLite connection of the bot: a transaction and the statements issued meanwhile by
// other users must not mix (the adapter alone ran them inside the open transaction).

describe("SQLite transactions", () => {
  let scratch: ScratchDatabase;
  let db: Prisma;
  /** Another connection to the file, as a backup or a `sqlite3` shell would have. */
  let other: Database.Database;

  beforeAll(async () => {
    scratch = await createScratchDatabase("sqlite");
    await applyMigrations(scratch.url);
    db = openPrisma(scratch.url);
    other = new Database(sqliteFile(scratch.url));
  });
  afterAll(async () => {
    other?.close();
    await db?.$disconnect();
    await scratch?.drop();
  });

  const programsNamed = (prefix: string) =>
    (other.prepare("SELECT name FROM Program WHERE name LIKE ? ORDER BY name").all(`${prefix}%`) as { name: string }[]).map((r) => r.name);

  it("keeps a write made while another transaction is open and later rolls back, and never shows that transaction's writes", async () => {
    const rolledBack = db
      .$transaction(async (tx) => {
        await tx.program.create({ data: { name: "A preview, rolled back" } });
        await sleep(300);
        throw new Error("preview only");
      })
      .catch((err: Error) => err.message);
    await sleep(50);
    // Single statements, as the outbox's marks and a flow's steps are.
    const seenMeanwhile = (await db.program.findMany({ where: { name: { startsWith: "A " } } })).map((p) => p.name);
    await db.program.createMany({ data: [{ name: "A report made meanwhile" }] });

    expect(await rolledBack).toBe("preview only");
    expect(seenMeanwhile).toEqual([]);
    expect(programsNamed("A ")).toEqual(["A report made meanwhile"]);
  });

  it("lets a transaction wait for one that stays open longer than two seconds", async () => {
    const long = db.$transaction(async (tx) => {
      await tx.program.create({ data: { name: "B long" } });
      await sleep(2_500);
    });
    await sleep(50);
    await db.$transaction(async (tx) => {
      await tx.program.create({ data: { name: "B waited" } });
    });
    await long;
    expect(programsNamed("B ")).toEqual(["B long", "B waited"]);
  });

  it("commits later writes after a COMMIT that failed (prisma#29933)", async () => {
    // A deferred foreign key fails at COMMIT, as SQLITE_BUSY does in that issue: SQLite keeps the
    // transaction open, and Prisma does not roll it back.
    const failed = db
      .$transaction(async (tx) => {
        await tx.$executeRawUnsafe("PRAGMA defer_foreign_keys = ON");
        await tx.membership.create({ data: { personId: 999_999, role: "pic" } });
      })
      .catch((err: Error) => err.message);
    expect(await failed).toMatch(/foreign ?key/i);

    await db.program.create({ data: { name: "C after the failed commit" } });
    await db.$transaction(async (tx) => {
      await tx.program.create({ data: { name: "C in the next transaction" } });
    });
    // Committed: another connection sees them.
    expect(programsNamed("C ")).toEqual(["C after the failed commit", "C in the next transaction"]);
  });

  it("opens the connection again after its share of statements, never inside a transaction, and loses no write", async () => {
    // A temporary table lives only as long as the connection that made it.
    const sameConnection = async () =>
      (await db.$queryRawUnsafe<{ n: bigint }[]>("SELECT count(*) AS n FROM sqlite_temp_master WHERE name = 'marker'"))[0]!.n === 1n;
    // Run statements until the connection is new (the tests before used some of its share).
    await db.$executeRawUnsafe("CREATE TEMP TABLE marker (x)");
    let statements = 1;
    while ((await sameConnection()) && statements <= sqliteStatementsPerConnection) statements += 1;
    expect(statements).toBeLessThanOrEqual(sqliteStatementsPerConnection);
    await db.$executeRawUnsafe("CREATE TEMP TABLE marker (x)");
    // A transaction that starts just before the connection's share runs out keeps its connection
    // to the end, while single statements wait their turn behind it.
    for (let i = 2; i < sqliteStatementsPerConnection - 10; i++) await db.program.count();
    const across = db.$transaction(async (tx) => {
      for (let i = 0; i < 30; i++) await tx.program.create({ data: { name: `D in one transaction ${String(i).padStart(2, "0")}` } });
      expect((await tx.$queryRawUnsafe<unknown[]>("SELECT name FROM sqlite_temp_master WHERE name = 'marker'")).length).toBe(1);
    });
    const meanwhile = Promise.all(Array.from({ length: 5 }, (_, i) => db.program.create({ data: { name: `D meanwhile ${i}` } })));
    await Promise.all([across, meanwhile]);

    expect(await sameConnection()).toBe(false);
    expect(programsNamed("D in one transaction")).toHaveLength(30);
    expect(programsNamed("D meanwhile")).toHaveLength(5);
  });
});
