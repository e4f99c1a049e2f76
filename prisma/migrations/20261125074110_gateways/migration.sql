-- CreateTable
CREATE TABLE "MappingGateway" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "locked" BOOLEAN NOT NULL DEFAULT false,
    "authMode" TEXT NOT NULL,
    "ipAddresses" TEXT NOT NULL DEFAULT '[]',
    "port" INTEGER,
    "authUsername" TEXT,
    "passwordCipher" TEXT,
    "capacity" INTEGER NOT NULL DEFAULT 0,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "calleeAllowPrefixes" TEXT NOT NULL DEFAULT '[]',
    "calleeDenyPrefixes" TEXT NOT NULL DEFAULT '[]',
    "callerRewrite" TEXT NOT NULL DEFAULT '{"strip":0,"prefix":""}',
    "calleeRewrite" TEXT NOT NULL DEFAULT '{"strip":0,"prefix":""}',
    "routingGroups" TEXT NOT NULL DEFAULT '[]',
    "replyAddress" TEXT NOT NULL DEFAULT 'source',
    "memo" TEXT NOT NULL DEFAULT '',
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "RoutingGateway" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "kind" TEXT NOT NULL,
    "address" TEXT,
    "port" INTEGER NOT NULL DEFAULT 5060,
    "transport" TEXT NOT NULL DEFAULT 'udp',
    "prefixes" TEXT NOT NULL DEFAULT '[]',
    "prefixMode" TEXT NOT NULL DEFAULT 'stop',
    "priority" INTEGER NOT NULL DEFAULT 0,
    "capacity" INTEGER NOT NULL DEFAULT 0,
    "group" TEXT NOT NULL DEFAULT 'default',
    "authUsername" TEXT,
    "passwordCipher" TEXT,
    "authRealm" TEXT,
    "fromUser" TEXT,
    "fromDomain" TEXT,
    "callerRewrite" TEXT NOT NULL DEFAULT '{"strip":0,"prefix":""}',
    "calleeRewrite" TEXT NOT NULL DEFAULT '{"strip":0,"prefix":""}',
    "failoverCodes" TEXT NOT NULL DEFAULT '[]',
    "memo" TEXT NOT NULL DEFAULT '',
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "MappingGateway_name_key" ON "MappingGateway"("name");

-- CreateIndex
CREATE INDEX "MappingGateway_authMode_idx" ON "MappingGateway"("authMode");

-- CreateIndex
CREATE INDEX "MappingGateway_enabled_idx" ON "MappingGateway"("enabled");

-- CreateIndex
CREATE INDEX "MappingGateway_priority_idx" ON "MappingGateway"("priority");

-- CreateIndex
CREATE INDEX "MappingGateway_authUsername_idx" ON "MappingGateway"("authUsername");

-- CreateIndex
CREATE UNIQUE INDEX "RoutingGateway_name_key" ON "RoutingGateway"("name");

-- CreateIndex
CREATE INDEX "RoutingGateway_kind_idx" ON "RoutingGateway"("kind");

-- CreateIndex
CREATE INDEX "RoutingGateway_enabled_idx" ON "RoutingGateway"("enabled");

-- CreateIndex
CREATE INDEX "RoutingGateway_group_idx" ON "RoutingGateway"("group");

-- CreateIndex
CREATE INDEX "RoutingGateway_priority_idx" ON "RoutingGateway"("priority");

-- CreateIndex
CREATE INDEX "RoutingGateway_authUsername_idx" ON "RoutingGateway"("authUsername");
