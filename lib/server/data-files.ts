import { chmodSync, mkdirSync, statSync } from "node:fs";
import path from "node:path";

// The data folder holds operator password hashes, the audit log, call records and traces: only the
// account the console runs as may read it (issue 19). The folder is 0700, the SQLite database and
// its journal, WAL and shared-memory files 0600 (SQLite creates the last three with the database
// file's own mode, so setting the database file's is what keeps them private).

export const DATA_FOLDER_MODE = 0o700;
export const DATABASE_FILE_MODE = 0o600;
const SQLITE_FILES = ["", "-journal", "-wal", "-shm"];

/** The file a `file:` database URL names (relative to the working directory, as SQLite opens it), or null. */
export function sqliteFileOf(databaseUrl: string): string | null {
  if (!databaseUrl.startsWith("file:")) return null;
  const file = databaseUrl.slice("file:".length).split("?")[0];
  return file && file !== ":memory:" ? path.resolve(file) : null;
}

/**
 * Creates the data folder when it is missing, and makes it (new or not) the owner's alone. A folder
 * another account owns, or a shared one with the sticky bit (DATA_DIR=/tmp), is left as it is.
 */
export function secureDataFolder(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: DATA_FOLDER_MODE });
  const folder = statSync(dataDir);
  const ours = process.getuid === undefined || folder.uid === process.getuid();
  if (ours && (folder.mode & 0o1000) === 0 && (folder.mode & 0o777) !== DATA_FOLDER_MODE)
    chmodSync(dataDir, DATA_FOLDER_MODE);
}

/** The database file and whichever of its journal, WAL and shared-memory files exist: 0600. */
export function secureDatabaseFiles(databaseFile: string): void {
  for (const suffix of SQLITE_FILES) {
    try {
      chmodSync(databaseFile + suffix, DATABASE_FILE_MODE);
    } catch (error) {
      // A journal comes and goes with each transaction: one that is not there needs nothing.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
}
