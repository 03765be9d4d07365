-- AlterTable
CREATE SEQUENCE dccmessage_sequence_seq;
-- Existing rows carry per-channel sequences (1, 2, … in each channel), which collide across channels:
-- number them afresh in an order that keeps each channel's order, and start the sequence after them.
UPDATE "DccMessage" AS m SET "sequence" = r.n
  FROM (SELECT "id", row_number() OVER (ORDER BY "sequence", "receivedAt", "id") AS n FROM "DccMessage") AS r
  WHERE m."id" = r."id";
SELECT setval('dccmessage_sequence_seq', COALESCE((SELECT MAX("sequence") FROM "DccMessage"), 0) + 1, false);
ALTER TABLE "DccMessage" DROP CONSTRAINT "DccMessage_pkey",
ALTER COLUMN "sequence" SET DEFAULT nextval('dccmessage_sequence_seq'),
ADD CONSTRAINT "DccMessage_pkey" PRIMARY KEY ("sequence");
ALTER SEQUENCE dccmessage_sequence_seq OWNED BY "DccMessage"."sequence";

-- CreateIndex
CREATE UNIQUE INDEX "DccMessage_id_key" ON "DccMessage"("id");
