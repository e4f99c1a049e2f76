-- CreateTable
CREATE TABLE "Cdr" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "engine" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "callerReceived" TEXT NOT NULL,
    "calleeReceived" TEXT NOT NULL,
    "callerSent" TEXT,
    "calleeSent" TEXT,
    "mappingGatewayId" TEXT,
    "mappingGatewayName" TEXT,
    "routingGatewayId" TEXT,
    "routingGatewayName" TEXT,
    "sourceAddress" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "answeredAt" DATETIME,
    "endedAt" DATETIME NOT NULL,
    "holdSeconds" REAL NOT NULL,
    "finalCode" INTEGER NOT NULL,
    "finalReason" TEXT NOT NULL,
    "endedBy" TEXT NOT NULL,
    "challengesAnswered" INTEGER NOT NULL,
    "illegal" BOOLEAN NOT NULL,
    "configVersion" INTEGER NOT NULL,
    "callId" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "CdrCursor" (
    "engine" TEXT NOT NULL PRIMARY KEY,
    "lastSeq" INTEGER NOT NULL
);

-- CreateIndex
CREATE INDEX "Cdr_startedAt_idx" ON "Cdr"("startedAt");

-- CreateIndex
CREATE INDEX "Cdr_mappingGatewayId_startedAt_idx" ON "Cdr"("mappingGatewayId", "startedAt");

-- CreateIndex
CREATE INDEX "Cdr_routingGatewayId_startedAt_idx" ON "Cdr"("routingGatewayId", "startedAt");

-- CreateIndex
CREATE INDEX "Cdr_finalCode_idx" ON "Cdr"("finalCode");

-- CreateIndex
CREATE INDEX "Cdr_callId_idx" ON "Cdr"("callId");
