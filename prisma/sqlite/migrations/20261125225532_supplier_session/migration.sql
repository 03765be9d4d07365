-- CreateTable
CREATE TABLE "SupplierSession" (
    "meterId" TEXT NOT NULL PRIMARY KEY,
    "worldId" TEXT NOT NULL,
    "sealedState" BLOB NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
