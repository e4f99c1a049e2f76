-- Issue 19: an API token belongs to the operator who made it (a token made by a token, to that
-- token's operator). Existing tokens are given theirs from createdBy ("<username>" or "token:<name>");
-- a token whose maker cannot be found has none, and is refused like one whose operator was removed.

-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN "operatorId" TEXT;

-- Backfill
WITH RECURSIVE "owner"("tokenName", "operatorId") AS (
  SELECT "t"."name", "o"."id" FROM "ApiToken" "t" JOIN "Operator" "o" ON "o"."username" = "t"."createdBy"
  UNION
  SELECT "t"."name", "owner"."operatorId" FROM "ApiToken" "t" JOIN "owner" ON "t"."createdBy" = 'token:' || "owner"."tokenName"
)
UPDATE "ApiToken" SET "operatorId" = (SELECT "operatorId" FROM "owner" WHERE "owner"."tokenName" = "ApiToken"."name");
