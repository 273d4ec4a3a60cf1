-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "programId" INTEGER;

-- AddForeignKey
ALTER TABLE "Delivery" ADD CONSTRAINT "Delivery_programId_fkey" FOREIGN KEY ("programId") REFERENCES "Program"("id") ON DELETE SET NULL ON UPDATE CASCADE;
