-- CreateTable
CREATE TABLE "DnoAggregationKey" (
    "meterId" TEXT NOT NULL,
    "worldId" TEXT NOT NULL,
    "feederId" TEXT NOT NULL,
    "dnoKey" TEXT NOT NULL DEFAULT 'pending',
    "publicKey" BYTEA,
    "rosterSequence" INTEGER,
    "rosterRefusal" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DnoAggregationKey_pkey" PRIMARY KEY ("meterId")
);

-- CreateTable
CREATE TABLE "DnoFeederRoster" (
    "worldId" TEXT NOT NULL,
    "feederId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "document" TEXT NOT NULL,
    "signature" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DnoFeederRoster_pkey" PRIMARY KEY ("worldId","feederId","sequence")
);

-- CreateIndex
CREATE INDEX "DnoAggregationKey_worldId_feederId_idx" ON "DnoAggregationKey"("worldId", "feederId");
