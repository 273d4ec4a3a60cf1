-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Delivery" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "personId" INTEGER NOT NULL,
    "milestoneId" INTEGER,
    "broadcastId" INTEGER,
    "programId" INTEGER,
    "dueAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" DATETIME,
    "claimToken" TEXT,
    "chatId" BIGINT,
    "messageId" INTEGER,
    "error" TEXT,
    "sentAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Delivery_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Delivery_milestoneId_fkey" FOREIGN KEY ("milestoneId") REFERENCES "Milestone" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Delivery_broadcastId_fkey" FOREIGN KEY ("broadcastId") REFERENCES "Broadcast" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Delivery_programId_fkey" FOREIGN KEY ("programId") REFERENCES "Program" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Delivery" ("attempts", "broadcastId", "chatId", "claimToken", "createdAt", "dueAt", "error", "id", "key", "kind", "lockedUntil", "messageId", "milestoneId", "personId", "sentAt", "status", "updatedAt") SELECT "attempts", "broadcastId", "chatId", "claimToken", "createdAt", "dueAt", "error", "id", "key", "kind", "lockedUntil", "messageId", "milestoneId", "personId", "sentAt", "status", "updatedAt" FROM "Delivery";
DROP TABLE "Delivery";
ALTER TABLE "new_Delivery" RENAME TO "Delivery";
CREATE UNIQUE INDEX "Delivery_key_key" ON "Delivery"("key");
CREATE INDEX "Delivery_status_dueAt_idx" ON "Delivery"("status", "dueAt");
CREATE INDEX "Delivery_chatId_messageId_idx" ON "Delivery"("chatId", "messageId");
CREATE INDEX "Delivery_broadcastId_status_idx" ON "Delivery"("broadcastId", "status");
CREATE INDEX "Delivery_milestoneId_personId_idx" ON "Delivery"("milestoneId", "personId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
