-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_AuditLog" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "actorKind" TEXT NOT NULL,
    "actorPersonId" INTEGER,
    "actorTelegramId" BIGINT,
    "actorName" TEXT,
    "actorRole" TEXT,
    "actorSeat" TEXT,
    "origin" TEXT NOT NULL,
    "chatId" BIGINT,
    "action" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entityId" TEXT,
    "targetName" TEXT,
    "programId" INTEGER,
    "regionId" INTEGER,
    "before" TEXT,
    "after" TEXT,
    "detail" TEXT,
    "createdAt" DATETIME NOT NULL
);
-- Rows written before this migration: the actor string becomes kind, person and origin (their
-- chat was not recorded: origin "telegram", their name is the one they have now), the program
-- and region come from the row's target where it still exists, and a rename's or a rule
-- change's before and after move to their own columns, "import" is now "plan.import".
INSERT INTO "new_AuditLog" ("id", "actorKind", "actorPersonId", "actorTelegramId", "actorName", "origin", "action", "entity", "entityId", "programId", "regionId", "before", "after", "detail", "createdAt")
SELECT
    a."id",
    CASE WHEN a."actor" LIKE 'telegram:%' THEN 'person' WHEN a."actor" = 'cli' THEN 'cli' WHEN a."actor" = 'system' THEN 'scheduler' ELSE 'system' END,
    p."id",
    CASE WHEN a."actor" LIKE 'telegram:%' THEN CAST(substr(a."actor", 10) AS INTEGER) END,
    NULLIF(trim(coalesce(p."firstName", '') || ' ' || coalesce(p."lastName", '')), ''),
    CASE WHEN a."actor" LIKE 'telegram:%' THEN 'telegram' WHEN a."actor" = 'cli' THEN 'cli' WHEN a."actor" = 'system' THEN 'scheduler' ELSE 'system' END,
    CASE a."action" WHEN 'import' THEN 'plan.import' ELSE a."action" END,
    a."entity",
    a."entityId",
    CASE a."entity"
        WHEN 'program' THEN CAST(a."entityId" AS INTEGER)
        WHEN 'milestone' THEN (SELECT i."programId" FROM "Milestone" m JOIN "Initiative" i ON i."id" = m."initiativeId" WHERE m."id" = CAST(a."entityId" AS INTEGER))
        WHEN 'broadcast' THEN (SELECT b."programId" FROM "Broadcast" b WHERE b."id" = CAST(a."entityId" AS INTEGER))
        WHEN 'invite' THEN (SELECT v."programId" FROM "Invite" v WHERE v."id" = CAST(a."entityId" AS INTEGER))
        WHEN 'membership' THEN json_extract(a."detail", '$.programId')
    END,
    CASE a."entity"
        WHEN 'milestone' THEN (SELECT u."regionId" FROM "Milestone" m JOIN "Initiative" i ON i."id" = m."initiativeId" JOIN "Unit" u ON u."id" = i."unitId" WHERE m."id" = CAST(a."entityId" AS INTEGER))
        WHEN 'invite' THEN (SELECT coalesce(v."regionId", u."regionId") FROM "Invite" v LEFT JOIN "Unit" u ON u."id" = v."unitId" WHERE v."id" = CAST(a."entityId" AS INTEGER))
        WHEN 'membership' THEN coalesce(json_extract(a."detail", '$.regionId'), (SELECT u."regionId" FROM "Unit" u WHERE u."id" = json_extract(a."detail", '$.unitId')))
    END,
    CASE a."action" WHEN 'person.rename' THEN json_object('name', json_extract(a."detail", '$.before')) WHEN 'program.rules' THEN json_extract(a."detail", '$.from') END,
    CASE a."action" WHEN 'person.rename' THEN json_object('name', json_extract(a."detail", '$.after')) WHEN 'program.rules' THEN json_extract(a."detail", '$.to') END,
    a."detail",
    a."createdAt"
FROM "AuditLog" a
LEFT JOIN "Person" p ON a."actor" LIKE 'telegram:%' AND p."telegramId" = CAST(substr(a."actor", 10) AS INTEGER);
DROP TABLE "AuditLog";
ALTER TABLE "new_AuditLog" RENAME TO "AuditLog";
CREATE INDEX "AuditLog_createdAt_idx" ON "AuditLog"("createdAt");
CREATE INDEX "AuditLog_programId_id_idx" ON "AuditLog"("programId", "id");
CREATE INDEX "AuditLog_actorPersonId_idx" ON "AuditLog"("actorPersonId");
CREATE INDEX "AuditLog_entity_entityId_idx" ON "AuditLog"("entity", "entityId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
