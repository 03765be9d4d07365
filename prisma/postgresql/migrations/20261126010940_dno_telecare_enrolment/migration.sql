-- CreateTable
CREATE TABLE "DccEnrolment" (
    "meterId" TEXT NOT NULL,
    "partyId" TEXT NOT NULL,
    "worldId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DccEnrolment_pkey" PRIMARY KEY ("meterId","partyId")
);

-- CreateTable
CREATE TABLE "DnoKey" (
    "id" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "publicKey" BYTEA NOT NULL,
    "sealedKey" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DnoKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DnoMeter" (
    "meterId" TEXT NOT NULL,
    "worldId" TEXT NOT NULL,
    "feederId" TEXT NOT NULL,
    "aid" TEXT NOT NULL,
    "domainPublicKey" BYTEA NOT NULL,
    "commandKey" TEXT NOT NULL DEFAULT 'pending',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DnoMeter_pkey" PRIMARY KEY ("meterId")
);

-- CreateTable
CREATE TABLE "DnoSession" (
    "meterId" TEXT NOT NULL,
    "worldId" TEXT NOT NULL,
    "sealedState" BYTEA NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DnoSession_pkey" PRIMARY KEY ("meterId")
);

-- CreateTable
CREATE TABLE "DnoPowerQualityEvent" (
    "id" TEXT NOT NULL,
    "worldId" TEXT NOT NULL,
    "meterId" TEXT NOT NULL,
    "feederId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "start" TIMESTAMP(3) NOT NULL,
    "durationSeconds" INTEGER NOT NULL,
    "extremeDeciV" INTEGER NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DnoPowerQualityEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DnoFeederShare" (
    "worldId" TEXT NOT NULL,
    "feederId" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "meterId" TEXT NOT NULL,
    "shares" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DnoFeederShare_pkey" PRIMARY KEY ("meterId","date")
);

-- CreateTable
CREATE TABLE "DnoFeederLoad" (
    "worldId" TEXT NOT NULL,
    "feederId" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "period" INTEGER NOT NULL,
    "start" TIMESTAMP(3) NOT NULL,
    "totalWh" INTEGER,
    "reported" INTEGER NOT NULL,
    "expected" INTEGER NOT NULL,

    CONSTRAINT "DnoFeederLoad_pkey" PRIMARY KEY ("worldId","feederId","date","period")
);

-- CreateTable
CREATE TABLE "DnoCampaign" (
    "id" TEXT NOT NULL,
    "worldId" TEXT NOT NULL,
    "device" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "limitW" INTEGER NOT NULL,
    "start" TIMESTAMP(3) NOT NULL,
    "durationSeconds" INTEGER NOT NULL,
    "randomisationSeconds" INTEGER NOT NULL,
    "sequence" INTEGER NOT NULL,
    "document" TEXT NOT NULL,
    "signature" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DnoCampaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DnoCampaignTarget" (
    "campaignId" TEXT NOT NULL,
    "meterId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "appliedStart" TIMESTAMP(3),
    "appliedEnd" TIMESTAMP(3),
    "reason" TEXT,
    "ackedAt" TIMESTAMP(3),

    CONSTRAINT "DnoCampaignTarget_pkey" PRIMARY KEY ("campaignId","meterId")
);

-- CreateTable
CREATE TABLE "DnoReceipt" (
    "messageId" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DnoReceipt_pkey" PRIMARY KEY ("messageId")
);

-- CreateTable
CREATE TABLE "TelecareHome" (
    "meterId" TEXT NOT NULL,
    "worldId" TEXT NOT NULL,
    "aid" TEXT NOT NULL,
    "domainPublicKey" BYTEA NOT NULL,
    "pendingCollectId" TEXT,
    "enrolledAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "withdrawnAt" TIMESTAMP(3),

    CONSTRAINT "TelecareHome_pkey" PRIMARY KEY ("meterId")
);

-- CreateTable
CREATE TABLE "TelecareSession" (
    "meterId" TEXT NOT NULL,
    "worldId" TEXT NOT NULL,
    "sealedState" BYTEA NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TelecareSession_pkey" PRIMARY KEY ("meterId")
);

-- CreateTable
CREATE TABLE "TelecareAlert" (
    "id" TEXT NOT NULL,
    "worldId" TEXT NOT NULL,
    "meterId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "windowEnd" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledgedAt" TIMESTAMP(3),
    "note" TEXT,

    CONSTRAINT "TelecareAlert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TelecareReceipt" (
    "messageId" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TelecareReceipt_pkey" PRIMARY KEY ("messageId")
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

-- AddForeignKey
ALTER TABLE "DnoCampaignTarget" ADD CONSTRAINT "DnoCampaignTarget_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "DnoCampaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TelecareAlert" ADD CONSTRAINT "TelecareAlert_meterId_fkey" FOREIGN KEY ("meterId") REFERENCES "TelecareHome"("meterId") ON DELETE CASCADE ON UPDATE CASCADE;
