-- CreateTable
CREATE TABLE "DccEnrolment" (
    "meterId" TEXT NOT NULL,
    "partyId" TEXT NOT NULL,
    "worldId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("meterId", "partyId")
);

-- CreateTable
CREATE TABLE "DnoKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "purpose" TEXT NOT NULL,
    "publicKey" BLOB NOT NULL,
    "sealedKey" BLOB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "DnoMeter" (
    "meterId" TEXT NOT NULL PRIMARY KEY,
    "worldId" TEXT NOT NULL,
    "feederId" TEXT NOT NULL,
    "aid" TEXT NOT NULL,
    "domainPublicKey" BLOB NOT NULL,
    "commandKey" TEXT NOT NULL DEFAULT 'pending',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "DnoSession" (
    "meterId" TEXT NOT NULL PRIMARY KEY,
    "worldId" TEXT NOT NULL,
    "sealedState" BLOB NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "DnoPowerQualityEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "worldId" TEXT NOT NULL,
    "meterId" TEXT NOT NULL,
    "feederId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "start" DATETIME NOT NULL,
    "durationSeconds" INTEGER NOT NULL,
    "extremeDeciV" INTEGER NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "DnoFeederShare" (
    "worldId" TEXT NOT NULL,
    "feederId" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "meterId" TEXT NOT NULL,
    "shares" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("meterId", "date")
);

-- CreateTable
CREATE TABLE "DnoFeederLoad" (
    "worldId" TEXT NOT NULL,
    "feederId" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "period" INTEGER NOT NULL,
    "start" DATETIME NOT NULL,
    "totalWh" INTEGER,
    "reported" INTEGER NOT NULL,
    "expected" INTEGER NOT NULL,

    PRIMARY KEY ("worldId", "feederId", "date", "period")
);

-- CreateTable
CREATE TABLE "DnoCampaign" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "worldId" TEXT NOT NULL,
    "device" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "limitW" INTEGER NOT NULL,
    "start" DATETIME NOT NULL,
    "durationSeconds" INTEGER NOT NULL,
    "randomisationSeconds" INTEGER NOT NULL,
    "sequence" INTEGER NOT NULL,
    "document" TEXT NOT NULL,
    "signature" BLOB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "DnoCampaignTarget" (
    "campaignId" TEXT NOT NULL,
    "meterId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "appliedStart" DATETIME,
    "appliedEnd" DATETIME,
    "reason" TEXT,
    "ackedAt" DATETIME,

    PRIMARY KEY ("campaignId", "meterId"),
    CONSTRAINT "DnoCampaignTarget_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "DnoCampaign" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DnoReceipt" (
    "messageId" TEXT NOT NULL PRIMARY KEY,
    "digest" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "TelecareHome" (
    "meterId" TEXT NOT NULL PRIMARY KEY,
    "worldId" TEXT NOT NULL,
    "aid" TEXT NOT NULL,
    "domainPublicKey" BLOB NOT NULL,
    "pendingCollectId" TEXT,
    "enrolledAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "withdrawnAt" DATETIME
);

-- CreateTable
CREATE TABLE "TelecareSession" (
    "meterId" TEXT NOT NULL PRIMARY KEY,
    "worldId" TEXT NOT NULL,
    "sealedState" BLOB NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "TelecareAlert" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "worldId" TEXT NOT NULL,
    "meterId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "windowStart" DATETIME NOT NULL,
    "windowEnd" DATETIME NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledgedAt" DATETIME,
    "note" TEXT,
    CONSTRAINT "TelecareAlert_meterId_fkey" FOREIGN KEY ("meterId") REFERENCES "TelecareHome" ("meterId") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TelecareReceipt" (
    "messageId" TEXT NOT NULL PRIMARY KEY,
    "digest" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "DccEnrolment_worldId_partyId_state_idx" ON "DccEnrolment"("worldId", "partyId", "state");

-- CreateIndex
CREATE INDEX "DnoMeter_worldId_feederId_idx" ON "DnoMeter"("worldId", "feederId");

-- CreateIndex
CREATE INDEX "DnoPowerQualityEvent_worldId_start_idx" ON "DnoPowerQualityEvent"("worldId", "start");

-- CreateIndex
CREATE UNIQUE INDEX "DnoPowerQualityEvent_meterId_type_start_key" ON "DnoPowerQualityEvent"("meterId", "type", "start");

-- CreateIndex
CREATE INDEX "DnoFeederShare_worldId_feederId_date_idx" ON "DnoFeederShare"("worldId", "feederId", "date");

-- CreateIndex
CREATE INDEX "DnoFeederLoad_worldId_start_idx" ON "DnoFeederLoad"("worldId", "start");

-- CreateIndex
CREATE UNIQUE INDEX "DnoCampaign_sequence_key" ON "DnoCampaign"("sequence");

-- CreateIndex
CREATE INDEX "DnoCampaign_worldId_createdAt_idx" ON "DnoCampaign"("worldId", "createdAt");

-- CreateIndex
CREATE INDEX "DnoCampaignTarget_meterId_idx" ON "DnoCampaignTarget"("meterId");

-- CreateIndex
CREATE INDEX "TelecareHome_worldId_idx" ON "TelecareHome"("worldId");

-- CreateIndex
CREATE INDEX "TelecareAlert_worldId_windowStart_idx" ON "TelecareAlert"("worldId", "windowStart");

-- CreateIndex
CREATE UNIQUE INDEX "TelecareAlert_meterId_type_windowStart_key" ON "TelecareAlert"("meterId", "type", "windowStart");
