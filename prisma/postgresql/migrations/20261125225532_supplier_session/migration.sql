-- CreateTable
CREATE TABLE "SupplierSession" (
    "meterId" TEXT NOT NULL,
    "worldId" TEXT NOT NULL,
    "sealedState" BYTEA NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SupplierSession_pkey" PRIMARY KEY ("meterId")
);
