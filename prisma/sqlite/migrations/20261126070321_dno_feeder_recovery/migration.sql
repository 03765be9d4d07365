-- CreateTable
CREATE TABLE "DnoFeederRecovery" (
    "worldId" TEXT NOT NULL,
    "feederId" TEXT NOT NULL,
    "recoveries" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("worldId", "feederId")
);
