-- AlterTable
ALTER TABLE "Milestone" ADD COLUMN "revisedAt" DATETIME;
