-- AlterTable
ALTER TABLE "Person" ADD COLUMN "erasedAt" DATETIME;
ALTER TABLE "Person" ADD COLUMN "nameChosenAt" DATETIME;
