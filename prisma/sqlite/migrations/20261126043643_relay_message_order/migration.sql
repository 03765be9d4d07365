-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_DccMessage" (
    "sequence" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "id" TEXT NOT NULL,
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
    "leaseUntil" DATETIME,
    "envelope" BLOB,
    "worldTime" DATETIME NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" DATETIME
);
-- Existing rows carry per-channel sequences (1, 2, … in each channel), which collide across channels:
-- they are numbered afresh in an order that keeps each channel's order (AUTOINCREMENT assigns
-- rowids in insertion order), and new rows follow them.
INSERT INTO "new_DccMessage" ("appletId", "attempts", "deliveredAt", "digest", "direction", "envelope", "id", "lastError", "leaseUntil", "messageClass", "meterId", "partyId", "receivedAt", "sizeBytes", "standing", "state", "worldId", "worldTime") SELECT "appletId", "attempts", "deliveredAt", "digest", "direction", "envelope", "id", "lastError", "leaseUntil", "messageClass", "meterId", "partyId", "receivedAt", "sizeBytes", "standing", "state", "worldId", "worldTime" FROM "DccMessage" ORDER BY "sequence", "receivedAt", "id";
DROP TABLE "DccMessage";
ALTER TABLE "new_DccMessage" RENAME TO "DccMessage";
CREATE UNIQUE INDEX "DccMessage_id_key" ON "DccMessage"("id");
CREATE INDEX "DccMessage_worldId_receivedAt_idx" ON "DccMessage"("worldId", "receivedAt");
CREATE INDEX "DccMessage_meterId_partyId_direction_state_sequence_idx" ON "DccMessage"("meterId", "partyId", "direction", "state", "sequence");
CREATE INDEX "DccMessage_state_partyId_idx" ON "DccMessage"("state", "partyId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
