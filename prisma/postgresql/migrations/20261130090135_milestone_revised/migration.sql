-- AlterTable
ALTER TABLE "Milestone" ADD COLUMN     "revisedAt" TIMESTAMP(3);
