-- CreateTable
CREATE TABLE "DnoAggregationKey" (
    "meterId" TEXT NOT NULL PRIMARY KEY,
    "worldId" TEXT NOT NULL,
    "feederId" TEXT NOT NULL,
    "dnoKey" TEXT NOT NULL DEFAULT 'pending',
    "publicKey" BLOB,
    "rosterSequence" INTEGER,
    "rosterRefusal" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "DnoFeederRoster" (
    "worldId" TEXT NOT NULL,
    "feederId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "document" TEXT NOT NULL,
    "signature" BLOB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("worldId", "feederId", "sequence")
);

-- CreateIndex
CREATE INDEX "DnoAggregationKey_worldId_feederId_idx" ON "DnoAggregationKey"("worldId", "feederId");
