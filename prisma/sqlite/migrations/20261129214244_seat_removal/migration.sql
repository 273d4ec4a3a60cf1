-- CreateTable
CREATE TABLE "SeatRemoval" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "personId" INTEGER NOT NULL,
    "role" TEXT NOT NULL,
    "unitId" INTEGER,
    "programId" INTEGER,
    "regionId" INTEGER,
    "inviteId" INTEGER,
    "reason" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "removedAt" DATETIME NOT NULL,
    CONSTRAINT "SeatRemoval_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "SeatRemoval_inviteId_fkey" FOREIGN KEY ("inviteId") REFERENCES "Invite" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "SeatRemoval_personId_inviteId_idx" ON "SeatRemoval"("personId", "inviteId");
