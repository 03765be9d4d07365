-- AlterTable
ALTER TABLE "DccMessage" ADD COLUMN     "leaseUntil" TIMESTAMP(3);
