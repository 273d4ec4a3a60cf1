-- AlterTable
ALTER TABLE "Milestone" ADD COLUMN     "planVersion" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "plannedFrom" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "plannedProgramVersion" INTEGER NOT NULL DEFAULT -1,
ADD COLUMN     "plannedStepVersion" INTEGER NOT NULL DEFAULT -1,
ADD COLUMN     "plannedUnitVersion" INTEGER NOT NULL DEFAULT -1,
ADD COLUMN     "plannedUntil" BIGINT NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Program" ADD COLUMN     "planVersion" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Unit" ADD COLUMN     "planVersion" INTEGER NOT NULL DEFAULT 0;

-- Plan versions (services/reminders.ts): whatever writes, a change to what a reminder pass reads
-- of a step, its unit or its program counts up that row's "planVersion", so that the next pass
-- reads the steps concerned again and a quiet tick reads nothing else. Every trigger is exercised
-- by test/services/plan-versions.test.ts.
CREATE FUNCTION "plan_version_own"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."planVersion" := OLD."planVersion" + 1;
  RETURN NEW;
END $$;

CREATE TRIGGER "Milestone_planVersion" BEFORE UPDATE OF "dueDate", "status", "lastReportAt", "initiativeId" ON "Milestone"
FOR EACH ROW WHEN (OLD."dueDate" IS DISTINCT FROM NEW."dueDate" OR OLD."status" IS DISTINCT FROM NEW."status"
  OR OLD."lastReportAt" IS DISTINCT FROM NEW."lastReportAt" OR OLD."initiativeId" IS DISTINCT FROM NEW."initiativeId")
EXECUTE FUNCTION "plan_version_own"();

CREATE TRIGGER "Program_planVersion" BEFORE UPDATE ON "Program"
FOR EACH ROW WHEN (NEW."planVersion" = OLD."planVersion") EXECUTE FUNCTION "plan_version_own"();

CREATE TRIGGER "Unit_planVersion" BEFORE UPDATE OF "regionId" ON "Unit"
FOR EACH ROW WHEN (OLD."regionId" IS DISTINCT FROM NEW."regionId") EXECUTE FUNCTION "plan_version_own"();

-- A whole program's coordinators count their day in the zone most of its units are in.
CREATE FUNCTION "plan_version_unit_region"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Program" SET "planVersion" = "planVersion" + 1 WHERE "id" IN (SELECT "programId" FROM "Initiative" WHERE "unitId" = NEW."id");
  RETURN NULL;
END $$;

CREATE TRIGGER "Unit_planVersion_programs" AFTER UPDATE OF "regionId" ON "Unit"
FOR EACH ROW WHEN (OLD."regionId" IS DISTINCT FROM NEW."regionId") EXECUTE FUNCTION "plan_version_unit_region"();

CREATE FUNCTION "plan_version_initiative"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    UPDATE "Program" SET "planVersion" = "planVersion" + 1 WHERE "id" = OLD."programId";
  ELSIF TG_OP = 'UPDATE' THEN
    UPDATE "Milestone" SET "planVersion" = "planVersion" + 1 WHERE "initiativeId" = NEW."id";
    UPDATE "Program" SET "planVersion" = "planVersion" + 1 WHERE "id" IN (OLD."programId", NEW."programId");
  ELSE
    UPDATE "Program" SET "planVersion" = "planVersion" + 1 WHERE "id" = NEW."programId";
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Initiative_planVersion" AFTER INSERT OR DELETE ON "Initiative"
FOR EACH ROW EXECUTE FUNCTION "plan_version_initiative"();

CREATE TRIGGER "Initiative_planVersion_update" AFTER UPDATE OF "unitId", "programId" ON "Initiative"
FOR EACH ROW WHEN (OLD."unitId" IS DISTINCT FROM NEW."unitId" OR OLD."programId" IS DISTINCT FROM NEW."programId")
EXECUTE FUNCTION "plan_version_initiative"();

CREATE FUNCTION "plan_version_program_holiday"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE "Program" SET "planVersion" = "planVersion" + 1 WHERE "id" = NEW."programId";
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE "Program" SET "planVersion" = "planVersion" + 1 WHERE "id" = OLD."programId";
  ELSE
    UPDATE "Program" SET "planVersion" = "planVersion" + 1 WHERE "id" IN (OLD."programId", NEW."programId");
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "ProgramHoliday_planVersion" AFTER INSERT OR UPDATE OR DELETE ON "ProgramHoliday"
FOR EACH ROW EXECUTE FUNCTION "plan_version_program_holiday"();

CREATE FUNCTION "plan_version_region"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Unit" SET "planVersion" = "planVersion" + 1 WHERE "regionId" = NEW."id";
  UPDATE "Program" SET "planVersion" = "planVersion" + 1
  WHERE "id" IN (SELECT i."programId" FROM "Initiative" i JOIN "Unit" u ON u."id" = i."unitId" WHERE u."regionId" = NEW."id");
  RETURN NULL;
END $$;

CREATE TRIGGER "Region_planVersion" AFTER UPDATE OF "timezone" ON "Region"
FOR EACH ROW WHEN (OLD."timezone" IS DISTINCT FROM NEW."timezone") EXECUTE FUNCTION "plan_version_region"();

CREATE FUNCTION "plan_version_membership"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE "Unit" SET "planVersion" = "planVersion" + 1 WHERE "id" = NEW."unitId";
    UPDATE "Program" SET "planVersion" = "planVersion" + 1 WHERE "id" = NEW."programId" AND NEW."role" = 'koordinator';
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE "Unit" SET "planVersion" = "planVersion" + 1 WHERE "id" = OLD."unitId";
    UPDATE "Program" SET "planVersion" = "planVersion" + 1 WHERE "id" = OLD."programId" AND OLD."role" = 'koordinator';
  ELSE
    UPDATE "Unit" SET "planVersion" = "planVersion" + 1 WHERE "id" IN (OLD."unitId", NEW."unitId");
    UPDATE "Program" SET "planVersion" = "planVersion" + 1
    WHERE ("id" = OLD."programId" AND OLD."role" = 'koordinator') OR ("id" = NEW."programId" AND NEW."role" = 'koordinator');
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Membership_planVersion" AFTER INSERT OR UPDATE OR DELETE ON "Membership"
FOR EACH ROW EXECUTE FUNCTION "plan_version_membership"();

CREATE FUNCTION "plan_version_person"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Unit" SET "planVersion" = "planVersion" + 1 WHERE "id" IN (SELECT "unitId" FROM "Membership" WHERE "personId" = NEW."id");
  UPDATE "Program" SET "planVersion" = "planVersion" + 1
  WHERE "id" IN (SELECT "programId" FROM "Membership" WHERE "personId" = NEW."id" AND "role" = 'koordinator');
  RETURN NULL;
END $$;

CREATE TRIGGER "Person_planVersion" AFTER UPDATE OF "blockedAt" ON "Person"
FOR EACH ROW WHEN (OLD."blockedAt" IS DISTINCT FROM NEW."blockedAt") EXECUTE FUNCTION "plan_version_person"();

CREATE FUNCTION "plan_version_leave"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE "Unit" SET "planVersion" = "planVersion" + 1 WHERE "id" IN (SELECT "unitId" FROM "Membership" WHERE "personId" = NEW."personId");
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE "Unit" SET "planVersion" = "planVersion" + 1 WHERE "id" IN (SELECT "unitId" FROM "Membership" WHERE "personId" = OLD."personId");
  ELSE
    UPDATE "Unit" SET "planVersion" = "planVersion" + 1
    WHERE "id" IN (SELECT "unitId" FROM "Membership" WHERE "personId" IN (OLD."personId", NEW."personId"));
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Leave_planVersion" AFTER INSERT OR UPDATE OR DELETE ON "Leave"
FOR EACH ROW EXECUTE FUNCTION "plan_version_leave"();
