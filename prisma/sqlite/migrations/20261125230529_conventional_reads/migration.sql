-- CreateTable
CREATE TABLE "ConventionalRead" (
    "worldId" TEXT NOT NULL,
    "meterId" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "importWh" TEXT NOT NULL,
    "exportWh" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("meterId", "date")
);

-- CreateIndex
CREATE INDEX "ConventionalRead_worldId_date_idx" ON "ConventionalRead"("worldId", "date");
