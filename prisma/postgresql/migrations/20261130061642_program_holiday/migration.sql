-- CreateTable
CREATE TABLE "ProgramHoliday" (
    "id" SERIAL NOT NULL,
    "programId" INTEGER NOT NULL,
    "regionId" INTEGER,
    "date" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdById" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProgramHoliday_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ProgramHoliday_programId_regionId_date_key" ON "ProgramHoliday"("programId", "regionId", "date");

-- AddForeignKey
ALTER TABLE "ProgramHoliday" ADD CONSTRAINT "ProgramHoliday_programId_fkey" FOREIGN KEY ("programId") REFERENCES "Program"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProgramHoliday" ADD CONSTRAINT "ProgramHoliday_regionId_fkey" FOREIGN KEY ("regionId") REFERENCES "Region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProgramHoliday" ADD CONSTRAINT "ProgramHoliday_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "Person"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
