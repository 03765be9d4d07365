-- AlterTable
ALTER TABLE "DccMessage" ADD COLUMN "leaseUntil" DATETIME;
