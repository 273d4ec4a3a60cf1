import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPrisma, type Prisma } from "../../src/db/connection.js";
import { applyMigrations, readMigrations } from "../../src/db/schema-engine.js";
import { createScratchDatabase, type ScratchDatabase } from "../../src/db/scratch-database.js";
import { databaseKinds } from "../support/databases.js";

// Audit rows written before the audit trail had its own columns stay readable after the upgrade:
// the actor string becomes kind, person and origin, the program comes from the target, and a
// rename's or a rule change's before and after move to their columns.

describe.each(await databaseKinds())("the audit-trail migration on %s", (kind) => {
  let scratch: ScratchDatabase;
  let db: Prisma;

  beforeAll(async () => {
    scratch = await createScratchDatabase(kind);
    const all = (await readMigrations(kind)).migrationDirectories.map((d) => d.path);
    const upgrade = all.findIndex((name) => name.endsWith("_audit_trail"));
    await applyMigrations(scratch.url, all.slice(0, upgrade));
    db = openPrisma(scratch.url);
    const at = kind === "sqlite" ? String(Date.UTC(2022, 0, 11, 2)) : "'2022-01-11T02:00:00Z'";
    for (const sql of [
      `INSERT INTO "Program" ("name", "updatedAt") VALUES ('Replikasi 2022', ${at})`,
      `INSERT INTO "Person" ("telegramId", "firstName", "language", "createdAt", "updatedAt") VALUES (7202, 'Rina', 'id', ${at}, ${at})`,
      `INSERT INTO "AuditLog" ("actor", "action", "entity", "entityId", "detail", "createdAt") VALUES ('cli', 'import', 'plan', NULL, '{"created":{"milestones":3}}', ${at})`,
      `INSERT INTO "AuditLog" ("actor", "action", "entity", "entityId", "detail", "createdAt") VALUES ('system', 'database.backup', 'database', NULL, '{"file":"/b/x.jsonl.gz"}', ${at})`,
      `INSERT INTO "AuditLog" ("actor", "action", "entity", "entityId", "detail", "createdAt") VALUES ('telegram:7202', 'person.rename', 'person', '1', '{"before":"Rina","after":"Rina Wati"}', ${at})`,
      `INSERT INTO "AuditLog" ("actor", "action", "entity", "entityId", "detail", "createdAt") VALUES ('telegram:9999', 'program.rules', 'program', '1', '{"rule":"sendHour","from":{"sendHour":8},"to":{"sendHour":9}}', ${at})`,
    ])
      await db.$executeRawUnsafe(sql);
    await db.$disconnect();
    await applyMigrations(scratch.url);
    db = openPrisma(scratch.url);
  }, 60_000);
  afterAll(async () => {
    await db?.$disconnect();
    await scratch?.drop();
  });

  it("when old rows are migrated, then their actor, origin, program and before/after fill the new columns and their time is kept", async () => {
    const rows = await db.auditLog.findMany({ orderBy: { id: "asc" } });
    const at = new Date("2022-01-11T02:00:00Z");
    expect(rows[0]).toMatchObject({ actorKind: "cli", origin: "cli", action: "plan.import", createdAt: at });
    expect(rows[1]).toMatchObject({ actorKind: "scheduler", origin: "scheduler", action: "database.backup" });
    expect(rows[2]).toMatchObject({ actorKind: "person", actorTelegramId: 7202n, actorPersonId: 1, actorName: "Rina", origin: "telegram" });
    expect([JSON.parse(rows[2]!.before!), JSON.parse(rows[2]!.after!)]).toEqual([{ name: "Rina" }, { name: "Rina Wati" }]);
    expect(rows[3]).toMatchObject({ actorKind: "person", actorTelegramId: 9999n, actorPersonId: null, programId: 1 });
    expect([JSON.parse(rows[3]!.before!), JSON.parse(rows[3]!.after!)]).toEqual([{ sendHour: 8 }, { sendHour: 9 }]);
    expect(JSON.parse(rows[3]!.detail!)).toMatchObject({ rule: "sendHour" });
  });
});
