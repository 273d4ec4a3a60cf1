-- AlterTable: the new columns, filled for the rows written before this migration, then required.
ALTER TABLE "AuditLog" ADD COLUMN     "actorKind" TEXT,
ADD COLUMN     "actorName" TEXT,
ADD COLUMN     "actorPersonId" INTEGER,
ADD COLUMN     "actorRole" TEXT,
ADD COLUMN     "actorSeat" TEXT,
ADD COLUMN     "actorTelegramId" BIGINT,
ADD COLUMN     "after" TEXT,
ADD COLUMN     "before" TEXT,
ADD COLUMN     "chatId" BIGINT,
ADD COLUMN     "origin" TEXT,
ADD COLUMN     "programId" INTEGER,
ADD COLUMN     "regionId" INTEGER,
ADD COLUMN     "targetName" TEXT,
ALTER COLUMN "createdAt" DROP DEFAULT;

-- The actor string becomes kind, person and origin (their chat was not recorded: origin
-- "telegram", their name is the one they have now), the program and region come from the row's
-- target where it still exists, and a rename's or a rule change's before and after move to their
-- own columns, "import" is now "plan.import".
UPDATE "AuditLog" SET
    "actorKind" = CASE WHEN "actor" LIKE 'telegram:%' THEN 'person' WHEN "actor" = 'cli' THEN 'cli' WHEN "actor" = 'system' THEN 'scheduler' ELSE 'system' END,
    "origin" = CASE WHEN "actor" LIKE 'telegram:%' THEN 'telegram' WHEN "actor" = 'cli' THEN 'cli' WHEN "actor" = 'system' THEN 'scheduler' ELSE 'system' END,
    "actorTelegramId" = CASE WHEN "actor" ~ '^telegram:[0-9]+$' THEN substr("actor", 10)::BIGINT END;

UPDATE "AuditLog" a SET "actorPersonId" = p."id", "actorName" = NULLIF(trim(coalesce(p."firstName", '') || ' ' || coalesce(p."lastName", '')), '')
FROM "Person" p WHERE p."telegramId" = a."actorTelegramId";

UPDATE "AuditLog" SET "programId" = "entityId"::INTEGER WHERE "entity" = 'program' AND "entityId" ~ '^[0-9]+$';

UPDATE "AuditLog" a SET "programId" = i."programId", "regionId" = u."regionId"
FROM "Milestone" m JOIN "Initiative" i ON i."id" = m."initiativeId" JOIN "Unit" u ON u."id" = i."unitId"
WHERE a."entity" = 'milestone' AND a."entityId" ~ '^[0-9]+$' AND m."id" = a."entityId"::INTEGER;

UPDATE "AuditLog" a SET "programId" = b."programId"
FROM "Broadcast" b WHERE a."entity" = 'broadcast' AND a."entityId" ~ '^[0-9]+$' AND b."id" = a."entityId"::INTEGER;

UPDATE "AuditLog" a SET "programId" = v."programId", "regionId" = coalesce(v."regionId", (SELECT u."regionId" FROM "Unit" u WHERE u."id" = v."unitId"))
FROM "Invite" v WHERE a."entity" = 'invite' AND a."entityId" ~ '^[0-9]+$' AND v."id" = a."entityId"::INTEGER;

UPDATE "AuditLog" SET
    "programId" = ("detail"::jsonb ->> 'programId')::INTEGER,
    "regionId" = coalesce(("detail"::jsonb ->> 'regionId')::INTEGER, (SELECT u."regionId" FROM "Unit" u WHERE u."id" = ("detail"::jsonb ->> 'unitId')::INTEGER))
WHERE "entity" = 'membership' AND "detail" IS NOT NULL;

UPDATE "AuditLog" SET
    "before" = jsonb_build_object('name', "detail"::jsonb -> 'before')::TEXT,
    "after" = jsonb_build_object('name', "detail"::jsonb -> 'after')::TEXT
WHERE "action" = 'person.rename' AND "detail" IS NOT NULL;

UPDATE "AuditLog" SET "before" = ("detail"::jsonb -> 'from')::TEXT, "after" = ("detail"::jsonb -> 'to')::TEXT
WHERE "action" = 'program.rules' AND "detail" IS NOT NULL;

UPDATE "AuditLog" SET "action" = 'plan.import' WHERE "action" = 'import';

ALTER TABLE "AuditLog" DROP COLUMN "actor",
ALTER COLUMN "actorKind" SET NOT NULL,
ALTER COLUMN "origin" SET NOT NULL;

-- CreateIndex
CREATE INDEX "AuditLog_createdAt_idx" ON "AuditLog"("createdAt");

-- CreateIndex
CREATE INDEX "AuditLog_programId_id_idx" ON "AuditLog"("programId", "id");

-- CreateIndex
CREATE INDEX "AuditLog_actorPersonId_idx" ON "AuditLog"("actorPersonId");
