import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sqliteFile } from "../../src/db/connection.js";
import { applyMigrations, keepSqliteTriggers } from "../../src/db/schema-engine.js";
import { createScratchDatabase, type ScratchDatabase } from "../../src/db/scratch-database.js";

// SQLite changes most columns by redefining the table (Prisma's "RedefineTables"): a later
// migration of Unit, Program or Milestone must keep the plan-version triggers, which name them.

/** A redefinition of Unit as `npm run migration:create` writes one (here: a default added to code). */
const redefineUnit = `-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Unit" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "regionId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "code" TEXT NOT NULL DEFAULT '',
    "planVersion" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Unit_regionId_fkey" FOREIGN KEY ("regionId") REFERENCES "Region" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Unit" ("code", "createdAt", "id", "name", "planVersion", "regionId", "updatedAt") SELECT "code", "createdAt", "id", "name", "planVersion", "regionId", "updatedAt" FROM "Unit";
DROP TABLE "Unit";
ALTER TABLE "new_Unit" RENAME TO "Unit";
CREATE UNIQUE INDEX "Unit_code_key" ON "Unit"("code");
CREATE UNIQUE INDEX "Unit_regionId_name_key" ON "Unit"("regionId", "name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
`;

describe("a SQLite migration that redefines a table", () => {
  let scratch: ScratchDatabase;
  let file: Database.Database;
  beforeEach(async () => {
    scratch = await createScratchDatabase("sqlite");
    await applyMigrations(scratch.url);
    file = new Database(sqliteFile(scratch.url));
  });
  afterEach(async () => {
    file?.close();
    await scratch?.drop();
  });

  const triggers = () => file.prepare(`SELECT "name" FROM "sqlite_master" WHERE "type" = 'trigger' ORDER BY "name"`).all();

  it("as the schema engine writes it, fails on the triggers that name the table", () => {
    expect(() => file.exec(redefineUnit)).toThrow(/no such table: main\.Unit/);
  });

  it("as migration:create writes it, applies and keeps every trigger working", async () => {
    const before = triggers();
    expect(before.length).toBeGreaterThan(10);
    file.exec(await keepSqliteTriggers(scratch.url, redefineUnit));
    expect(triggers()).toEqual(before);
    file.exec(`INSERT INTO "Region" ("name", "timezone", "updatedAt") VALUES ('Kabupaten Bantaeng', 'Asia/Makassar', CURRENT_TIMESTAMP)`);
    file.exec(`INSERT INTO "Unit" ("regionId", "name", "code", "updatedAt") VALUES (1, 'Dinas Kesehatan', 'BTG-DINKES', CURRENT_TIMESTAMP)`);
    file.exec(`INSERT INTO "Person" ("telegramId", "updatedAt") VALUES (91001, CURRENT_TIMESTAMP)`);
    file.exec(`INSERT INTO "Membership" ("personId", "role", "unitId") VALUES (1, 'pic', 1)`);
    expect(file.prepare(`SELECT "planVersion" FROM "Unit" WHERE "id" = 1`).get()).toEqual({ planVersion: 1 });
  });
});
