-- CreateTable
CREATE TABLE "TraceSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endsAt" DATETIME NOT NULL,
    "stoppedAt" DATETIME,
    "stoppedBy" TEXT,
    "filters" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "engineStartedAt" TEXT,
    "cursor" INTEGER NOT NULL DEFAULT 0,
    "lost" INTEGER NOT NULL DEFAULT 0,
    "sipAddress" TEXT,
    "sipPort" INTEGER
);

-- CreateTable
CREATE TABLE "TraceMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "sessionId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "direction" TEXT NOT NULL,
    "transport" TEXT NOT NULL,
    "remoteAddress" TEXT NOT NULL,
    "remotePort" INTEGER NOT NULL,
    "method" TEXT,
    "status" INTEGER,
    "cseqMethod" TEXT,
    "callId" TEXT,
    "text" TEXT NOT NULL,
    CONSTRAINT "TraceMessage_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "TraceSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "TraceSession_createdAt_idx" ON "TraceSession"("createdAt");

-- CreateIndex
CREATE INDEX "TraceMessage_sessionId_id_idx" ON "TraceMessage"("sessionId", "id");

-- CreateIndex
CREATE INDEX "TraceMessage_callId_idx" ON "TraceMessage"("callId");
