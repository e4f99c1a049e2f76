-- Issue 17. Columns added in place (SQLite ADD COLUMN with a constant default does not rewrite the
-- table), so a large call-record table migrates at once. Existing carriers fail over on refused
-- credentials, as new ones do; existing call records have no attempts.

-- AlterTable
ALTER TABLE "RoutingGateway" ADD COLUMN "failoverOnAuthFailure" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "Cdr" ADD COLUMN "attempts" TEXT NOT NULL DEFAULT '[]';
