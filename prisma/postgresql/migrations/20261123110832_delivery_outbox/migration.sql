-- AlterTable
ALTER TABLE "Broadcast" ADD COLUMN     "reportChatId" BIGINT,
ADD COLUMN     "reportMessageId" INTEGER;

-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "claimToken" TEXT,
ADD COLUMN     "lockedUntil" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Program" ADD COLUMN     "quietEndHour" INTEGER NOT NULL DEFAULT 6,
ADD COLUMN     "quietStartHour" INTEGER NOT NULL DEFAULT 21;

-- CreateTable
CREATE TABLE "ProcessedUpdate" (
    "updateId" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProcessedUpdate_pkey" PRIMARY KEY ("updateId")
);

-- CreateIndex
CREATE INDEX "ProcessedUpdate_createdAt_idx" ON "ProcessedUpdate"("createdAt");

-- CreateIndex
CREATE INDEX "Delivery_broadcastId_status_idx" ON "Delivery"("broadcastId", "status");
