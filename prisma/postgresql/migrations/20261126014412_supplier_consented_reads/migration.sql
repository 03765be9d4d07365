-- CreateTable
CREATE TABLE "SupplierConsentedRead" (
    "meterId" TEXT NOT NULL,
    "worldId" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "resolution" TEXT NOT NULL,
    "importWh" TEXT NOT NULL,
    "exportWh" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SupplierConsentedRead_pkey" PRIMARY KEY ("meterId","date")
);

-- CreateIndex
CREATE INDEX "SupplierConsentedRead_worldId_date_idx" ON "SupplierConsentedRead"("worldId", "date");
