-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "weeklyDigest" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "Program" ADD COLUMN     "digestEnabled" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "digestHour" INTEGER,
ADD COLUMN     "digestWeekday" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "silentFromDays" INTEGER NOT NULL DEFAULT 7;
