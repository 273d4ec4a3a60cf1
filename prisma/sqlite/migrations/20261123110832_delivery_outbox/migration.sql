-- AlterTable
ALTER TABLE "Broadcast" ADD COLUMN "reportChatId" BIGINT;
ALTER TABLE "Broadcast" ADD COLUMN "reportMessageId" INTEGER;

-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN "claimToken" TEXT;
ALTER TABLE "Delivery" ADD COLUMN "lockedUntil" DATETIME;

-- CreateTable
CREATE TABLE "ProcessedUpdate" (
    "updateId" BIGINT NOT NULL PRIMARY KEY,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Program" ("createdAt", "escalateCoordAfterDays", "escalateHeadAfterDays", "escalationEnabled", "id", "name", "overdueEveryDays", "overdueMaxReminders", "reminderOffsets", "sendHour", "updatedAt", "workingDaysOnly") SELECT "createdAt", "escalateCoordAfterDays", "escalateHeadAfterDays", "escalationEnabled", "id", "name", "overdueEveryDays", "overdueMaxReminders", "reminderOffsets", "sendHour", "updatedAt", "workingDaysOnly" FROM "Program";
DROP TABLE "Program";
ALTER TABLE "new_Program" RENAME TO "Program";
CREATE UNIQUE INDEX "Program_name_key" ON "Program"("name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "ProcessedUpdate_createdAt_idx" ON "ProcessedUpdate"("createdAt");

-- CreateIndex
CREATE INDEX "Delivery_broadcastId_status_idx" ON "Delivery"("broadcastId", "status");
