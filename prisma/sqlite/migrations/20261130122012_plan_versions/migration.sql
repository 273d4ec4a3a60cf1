-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Milestone" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "initiativeId" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "dueDate" TEXT NOT NULL,
    "weight" REAL NOT NULL DEFAULT 1,
    "position" INTEGER NOT NULL DEFAULT 0,
    "progress" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'not_started',
    "lastReportAt" DATETIME,
    "revisedAt" DATETIME,
    "plannedHash" BIGINT,
    "planVersion" INTEGER NOT NULL DEFAULT 0,
    "plannedFrom" BIGINT NOT NULL DEFAULT 0,
    "plannedUntil" BIGINT NOT NULL DEFAULT 0,
    "plannedStepVersion" INTEGER NOT NULL DEFAULT -1,
    "plannedUnitVersion" INTEGER NOT NULL DEFAULT -1,
    "plannedProgramVersion" INTEGER NOT NULL DEFAULT -1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Milestone_initiativeId_fkey" FOREIGN KEY ("initiativeId") REFERENCES "Initiative" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Milestone" ("createdAt", "dueDate", "id", "initiativeId", "lastReportAt", "plannedHash", "position", "progress", "revisedAt", "status", "title", "updatedAt", "weight") SELECT "createdAt", "dueDate", "id", "initiativeId", "lastReportAt", "plannedHash", "position", "progress", "revisedAt", "status", "title", "updatedAt", "weight" FROM "Milestone";
DROP TABLE "Milestone";
ALTER TABLE "new_Milestone" RENAME TO "Milestone";
CREATE INDEX "Milestone_status_dueDate_idx" ON "Milestone"("status", "dueDate");
CREATE UNIQUE INDEX "Milestone_initiativeId_title_key" ON "Milestone"("initiativeId", "title");
CREATE TABLE "new_Program" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "reminderOffsets" TEXT NOT NULL DEFAULT '14,7,3,1,0',
    "overdueEveryDays" INTEGER NOT NULL DEFAULT 3,
    "overdueMaxReminders" INTEGER NOT NULL DEFAULT 10,
    "sendHour" INTEGER NOT NULL DEFAULT 8,
    "workingDaysOnly" BOOLEAN NOT NULL DEFAULT false,
    "quietStartHour" INTEGER NOT NULL DEFAULT 21,
    "quietEndHour" INTEGER NOT NULL DEFAULT 6,
    "escalationEnabled" BOOLEAN NOT NULL DEFAULT true,
    "escalateHeadAfterDays" INTEGER NOT NULL DEFAULT 3,
    "escalateCoordAfterDays" INTEGER NOT NULL DEFAULT 4,
    "silentFromDays" INTEGER NOT NULL DEFAULT 7,
    "digestEnabled" BOOLEAN NOT NULL DEFAULT true,
    "digestWeekday" INTEGER NOT NULL DEFAULT 1,
    "digestHour" INTEGER,
    "planVersion" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Program" ("createdAt", "digestEnabled", "digestHour", "digestWeekday", "escalateCoordAfterDays", "escalateHeadAfterDays", "escalationEnabled", "id", "name", "overdueEveryDays", "overdueMaxReminders", "quietEndHour", "quietStartHour", "reminderOffsets", "sendHour", "silentFromDays", "updatedAt", "workingDaysOnly") SELECT "createdAt", "digestEnabled", "digestHour", "digestWeekday", "escalateCoordAfterDays", "escalateHeadAfterDays", "escalationEnabled", "id", "name", "overdueEveryDays", "overdueMaxReminders", "quietEndHour", "quietStartHour", "reminderOffsets", "sendHour", "silentFromDays", "updatedAt", "workingDaysOnly" FROM "Program";
DROP TABLE "Program";
ALTER TABLE "new_Program" RENAME TO "Program";
CREATE UNIQUE INDEX "Program_name_key" ON "Program"("name");
CREATE TABLE "new_Unit" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "regionId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "planVersion" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Unit_regionId_fkey" FOREIGN KEY ("regionId") REFERENCES "Region" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Unit" ("code", "createdAt", "id", "name", "regionId", "updatedAt") SELECT "code", "createdAt", "id", "name", "regionId", "updatedAt" FROM "Unit";
DROP TABLE "Unit";
ALTER TABLE "new_Unit" RENAME TO "Unit";
CREATE UNIQUE INDEX "Unit_code_key" ON "Unit"("code");
CREATE UNIQUE INDEX "Unit_regionId_name_key" ON "Unit"("regionId", "name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Plan versions (services/reminders.ts): whatever writes, a change to what a reminder pass reads
-- of a step, its unit or its program counts up that row's "planVersion", so that the next pass
-- reads the steps concerned again and a quiet tick reads nothing else. A migration that
-- redefines a table (Prisma's RedefineTables) would fail on the triggers naming it, or drop its
-- own: `npm run migration:create` drops them all around it and writes them again after it
-- (keepSqliteTriggers). Every trigger is exercised by test/services/plan-versions.test.ts.
CREATE TRIGGER "Milestone_planVersion" AFTER UPDATE OF "dueDate", "status", "lastReportAt", "initiativeId" ON "Milestone"
WHEN OLD."dueDate" IS NOT NEW."dueDate" OR OLD."status" IS NOT NEW."status" OR OLD."lastReportAt" IS NOT NEW."lastReportAt" OR OLD."initiativeId" IS NOT NEW."initiativeId"
BEGIN
  UPDATE "Milestone" SET "planVersion" = "planVersion" + 1 WHERE "id" = NEW."id";
END;

CREATE TRIGGER "Initiative_planVersion_insert" AFTER INSERT ON "Initiative"
BEGIN
  UPDATE "Program" SET "planVersion" = "planVersion" + 1 WHERE "id" = NEW."programId";
END;

CREATE TRIGGER "Initiative_planVersion_delete" AFTER DELETE ON "Initiative"
BEGIN
  UPDATE "Program" SET "planVersion" = "planVersion" + 1 WHERE "id" = OLD."programId";
END;

CREATE TRIGGER "Initiative_planVersion_update" AFTER UPDATE OF "unitId", "programId" ON "Initiative"
WHEN OLD."unitId" IS NOT NEW."unitId" OR OLD."programId" IS NOT NEW."programId"
BEGIN
  UPDATE "Milestone" SET "planVersion" = "planVersion" + 1 WHERE "initiativeId" = NEW."id";
  UPDATE "Program" SET "planVersion" = "planVersion" + 1 WHERE "id" IN (OLD."programId", NEW."programId");
END;

CREATE TRIGGER "Program_planVersion" AFTER UPDATE ON "Program"
WHEN NEW."planVersion" = OLD."planVersion"
BEGIN
  UPDATE "Program" SET "planVersion" = "planVersion" + 1 WHERE "id" = NEW."id";
END;

CREATE TRIGGER "ProgramHoliday_planVersion_insert" AFTER INSERT ON "ProgramHoliday"
BEGIN
  UPDATE "Program" SET "planVersion" = "planVersion" + 1 WHERE "id" = NEW."programId";
END;

CREATE TRIGGER "ProgramHoliday_planVersion_update" AFTER UPDATE ON "ProgramHoliday"
BEGIN
  UPDATE "Program" SET "planVersion" = "planVersion" + 1 WHERE "id" IN (OLD."programId", NEW."programId");
END;

CREATE TRIGGER "ProgramHoliday_planVersion_delete" AFTER DELETE ON "ProgramHoliday"
BEGIN
  UPDATE "Program" SET "planVersion" = "planVersion" + 1 WHERE "id" = OLD."programId";
END;

CREATE TRIGGER "Region_planVersion" AFTER UPDATE OF "timezone" ON "Region"
WHEN OLD."timezone" IS NOT NEW."timezone"
BEGIN
  UPDATE "Unit" SET "planVersion" = "planVersion" + 1 WHERE "regionId" = NEW."id";
  -- A whole program's coordinators count their day in the zone most of its units are in.
  UPDATE "Program" SET "planVersion" = "planVersion" + 1
  WHERE "id" IN (SELECT i."programId" FROM "Initiative" i JOIN "Unit" u ON u."id" = i."unitId" WHERE u."regionId" = NEW."id");
END;

CREATE TRIGGER "Unit_planVersion" AFTER UPDATE OF "regionId" ON "Unit"
WHEN OLD."regionId" IS NOT NEW."regionId"
BEGIN
  UPDATE "Unit" SET "planVersion" = "planVersion" + 1 WHERE "id" = NEW."id";
  UPDATE "Program" SET "planVersion" = "planVersion" + 1 WHERE "id" IN (SELECT "programId" FROM "Initiative" WHERE "unitId" = NEW."id");
END;

CREATE TRIGGER "Membership_planVersion_insert" AFTER INSERT ON "Membership"
BEGIN
  UPDATE "Unit" SET "planVersion" = "planVersion" + 1 WHERE "id" = NEW."unitId";
  UPDATE "Program" SET "planVersion" = "planVersion" + 1 WHERE "id" = NEW."programId" AND NEW."role" = 'koordinator';
END;

CREATE TRIGGER "Membership_planVersion_update" AFTER UPDATE ON "Membership"
BEGIN
  UPDATE "Unit" SET "planVersion" = "planVersion" + 1 WHERE "id" IN (OLD."unitId", NEW."unitId");
  UPDATE "Program" SET "planVersion" = "planVersion" + 1
  WHERE ("id" = OLD."programId" AND OLD."role" = 'koordinator') OR ("id" = NEW."programId" AND NEW."role" = 'koordinator');
END;

CREATE TRIGGER "Membership_planVersion_delete" AFTER DELETE ON "Membership"
BEGIN
  UPDATE "Unit" SET "planVersion" = "planVersion" + 1 WHERE "id" = OLD."unitId";
  UPDATE "Program" SET "planVersion" = "planVersion" + 1 WHERE "id" = OLD."programId" AND OLD."role" = 'koordinator';
END;

CREATE TRIGGER "Person_planVersion" AFTER UPDATE OF "blockedAt" ON "Person"
WHEN OLD."blockedAt" IS NOT NEW."blockedAt"
BEGIN
  UPDATE "Unit" SET "planVersion" = "planVersion" + 1 WHERE "id" IN (SELECT "unitId" FROM "Membership" WHERE "personId" = NEW."id");
  UPDATE "Program" SET "planVersion" = "planVersion" + 1
  WHERE "id" IN (SELECT "programId" FROM "Membership" WHERE "personId" = NEW."id" AND "role" = 'koordinator');
END;

CREATE TRIGGER "Leave_planVersion_insert" AFTER INSERT ON "Leave"
BEGIN
  UPDATE "Unit" SET "planVersion" = "planVersion" + 1 WHERE "id" IN (SELECT "unitId" FROM "Membership" WHERE "personId" = NEW."personId");
END;

CREATE TRIGGER "Leave_planVersion_update" AFTER UPDATE ON "Leave"
BEGIN
  UPDATE "Unit" SET "planVersion" = "planVersion" + 1
  WHERE "id" IN (SELECT "unitId" FROM "Membership" WHERE "personId" IN (OLD."personId", NEW."personId"));
END;

CREATE TRIGGER "Leave_planVersion_delete" AFTER DELETE ON "Leave"
BEGIN
  UPDATE "Unit" SET "planVersion" = "planVersion" + 1 WHERE "id" IN (SELECT "unitId" FROM "Membership" WHERE "personId" = OLD."personId");
END;
