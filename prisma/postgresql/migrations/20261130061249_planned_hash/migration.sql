-- AlterTable
ALTER TABLE "Milestone" ADD COLUMN     "plannedHash" BIGINT;
