-- CreateTable
CREATE TABLE "World" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "seed" TEXT NOT NULL,
    "homeCount" INTEGER NOT NULL,
    "mode" TEXT NOT NULL DEFAULT 'hydra',
    "sharingPreset" TEXT NOT NULL DEFAULT 'hydra',
    "startDate" TEXT NOT NULL,
    "clock" DATETIME NOT NULL,
    "hostProgress" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Home" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "worldId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "meterId" TEXT NOT NULL,
    "archetype" TEXT NOT NULL,
    "feederId" TEXT NOT NULL,
    CONSTRAINT "Home_worldId_fkey" FOREIGN KEY ("worldId") REFERENCES "World" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DccMeter" (
    "meterId" TEXT NOT NULL PRIMARY KEY,
    "worldId" TEXT NOT NULL,
    "devicePublicKey" BLOB NOT NULL,
    "deviceCertificate" BLOB NOT NULL,
    "registeredAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "DccParty" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "publicKey" BLOB
);

-- CreateTable
CREATE TABLE "DccSecurityDomain" (
    "meterId" TEXT NOT NULL,
    "partyId" TEXT NOT NULL,
    "aid" TEXT NOT NULL,
    "publicKey" BLOB NOT NULL,

    PRIMARY KEY ("meterId", "partyId"),
    CONSTRAINT "DccSecurityDomain_meterId_fkey" FOREIGN KEY ("meterId") REFERENCES "DccMeter" ("meterId") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DccMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "worldId" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "meterId" TEXT NOT NULL,
    "partyId" TEXT NOT NULL,
    "appletId" TEXT NOT NULL,
    "messageClass" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "digest" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "standing" BOOLEAN NOT NULL DEFAULT false,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "envelope" BLOB,
    "sequence" INTEGER NOT NULL,
    "worldTime" DATETIME NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" DATETIME
);

-- CreateTable
CREATE TABLE "DccRefusal" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "worldId" TEXT,
    "meterId" TEXT,
    "partyId" TEXT,
    "messageId" TEXT,
    "code" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "SupplierKey" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "purpose" TEXT NOT NULL,
    "publicKey" BLOB NOT NULL,
    "sealedKey" BLOB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "SupplierAccount" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "worldId" TEXT NOT NULL,
    "meterId" TEXT NOT NULL,
    "tariffId" TEXT NOT NULL,
    "aid" TEXT NOT NULL,
    "domainPublicKey" BLOB NOT NULL,
    "pendingCollectId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "SupplierTariff" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "worldId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "document" TEXT NOT NULL,
    "signature" BLOB NOT NULL,
    "effectiveFrom" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "SupplierBill" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "worldId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "meterId" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "amountPence" INTEGER NOT NULL,
    "energyPence" INTEGER NOT NULL,
    "standingPence" INTEGER NOT NULL,
    "importWh" INTEGER NOT NULL,
    "exportWh" INTEGER NOT NULL,
    "statementId" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SupplierBill_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "SupplierAccount" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SupplierReceipt" (
    "messageId" TEXT NOT NULL PRIMARY KEY,
    "digest" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "Home_meterId_key" ON "Home"("meterId");

-- CreateIndex
CREATE UNIQUE INDEX "Home_worldId_index_key" ON "Home"("worldId", "index");

-- CreateIndex
CREATE INDEX "DccMessage_worldId_receivedAt_idx" ON "DccMessage"("worldId", "receivedAt");

-- CreateIndex
CREATE INDEX "DccMessage_meterId_partyId_direction_state_sequence_idx" ON "DccMessage"("meterId", "partyId", "direction", "state", "sequence");

-- CreateIndex
CREATE INDEX "DccMessage_state_partyId_idx" ON "DccMessage"("state", "partyId");

-- CreateIndex
CREATE INDEX "DccRefusal_worldId_receivedAt_idx" ON "DccRefusal"("worldId", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "SupplierAccount_meterId_key" ON "SupplierAccount"("meterId");

-- CreateIndex
CREATE UNIQUE INDEX "SupplierBill_statementId_key" ON "SupplierBill"("statementId");

-- CreateIndex
CREATE INDEX "SupplierBill_worldId_period_idx" ON "SupplierBill"("worldId", "period");

-- CreateIndex
CREATE UNIQUE INDEX "SupplierBill_meterId_period_key" ON "SupplierBill"("meterId", "period");
