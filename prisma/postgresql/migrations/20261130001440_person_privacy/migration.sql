-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "erasedAt" TIMESTAMP(3),
ADD COLUMN     "nameChosenAt" TIMESTAMP(3);
