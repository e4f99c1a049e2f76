-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ConfigSnapshot" (
    "version" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "hash" TEXT NOT NULL,
    "json" TEXT NOT NULL,
    "sourceJson" TEXT NOT NULL DEFAULT '',
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "outcome" TEXT NOT NULL,
    "reasons" TEXT,
    "tookMs" INTEGER,
    "rollbackOf" INTEGER
);
INSERT INTO "new_ConfigSnapshot" ("createdAt", "createdBy", "hash", "json", "outcome", "reasons", "version") SELECT "createdAt", "createdBy", "hash", "json", "outcome", "reasons", "version" FROM "ConfigSnapshot";
DROP TABLE "ConfigSnapshot";
ALTER TABLE "new_ConfigSnapshot" RENAME TO "ConfigSnapshot";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
