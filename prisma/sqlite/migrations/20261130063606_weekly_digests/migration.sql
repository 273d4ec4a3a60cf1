-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Person" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "telegramId" BIGINT NOT NULL,
    "firstName" TEXT,
    "lastName" TEXT,
    "username" TEXT,
    "language" TEXT NOT NULL DEFAULT 'id',
    "startedAt" DATETIME,
    "blockedAt" DATETIME,
    "nameChosenAt" DATETIME,
    "erasedAt" DATETIME,
    "weeklyDigest" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Person" ("blockedAt", "createdAt", "erasedAt", "firstName", "id", "language", "lastName", "nameChosenAt", "startedAt", "telegramId", "updatedAt", "username") SELECT "blockedAt", "createdAt", "erasedAt", "firstName", "id", "language", "lastName", "nameChosenAt", "startedAt", "telegramId", "updatedAt", "username" FROM "Person";
DROP TABLE "Person";
ALTER TABLE "new_Person" RENAME TO "Person";
CREATE UNIQUE INDEX "Person_telegramId_key" ON "Person"("telegramId");
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Program" ("createdAt", "escalateCoordAfterDays", "escalateHeadAfterDays", "escalationEnabled", "id", "name", "overdueEveryDays", "overdueMaxReminders", "quietEndHour", "quietStartHour", "reminderOffsets", "sendHour", "updatedAt", "workingDaysOnly") SELECT "createdAt", "escalateCoordAfterDays", "escalateHeadAfterDays", "escalationEnabled", "id", "name", "overdueEveryDays", "overdueMaxReminders", "quietEndHour", "quietStartHour", "reminderOffsets", "sendHour", "updatedAt", "workingDaysOnly" FROM "Program";
DROP TABLE "Program";
ALTER TABLE "new_Program" RENAME TO "Program";
CREATE UNIQUE INDEX "Program_name_key" ON "Program"("name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
