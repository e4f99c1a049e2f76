-- CreateTable
CREATE TABLE "ChecklistProgress" (
    "owner" TEXT NOT NULL PRIMARY KEY,
    "answers" TEXT NOT NULL,
    "results" TEXT NOT NULL DEFAULT '[]',
    "updatedAt" DATETIME NOT NULL
);
