-- CreateTable
CREATE TABLE "DnoFeederRecovery" (
    "worldId" TEXT NOT NULL,
    "feederId" TEXT NOT NULL,
    "recoveries" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DnoFeederRecovery_pkey" PRIMARY KEY ("worldId","feederId")
);
