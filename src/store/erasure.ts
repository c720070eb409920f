import type { Db } from "./database.js";
import { type Engine, reclaimErasedRows, truncateWriteAheadLog } from "./engine.js";

/**
 * Checkpoint attempts before giving up. Each already waits up to `busy_timeout` (open-store.ts)
 * for other processes' readers and writer; a long read in another process (a big listing, an
 * export) can outlast that, so it is tried again rather than leaving erased page images in the
 * `-wal` file.
 */
const CHECKPOINT_ATTEMPTS = 4;
const CHECKPOINT_RETRY_MS = 250;

/**
 * Makes an erasure hold up in the database files (SPEC §6: erased means unrecoverable from them
 * once the closure reports `completed`). Call it after the transaction that deleted the rows has
 * committed, with every table it deleted from or rewrote rows of, on the database itself:
 * - SQLite (`secure_delete` is on from creation, so the rows' bytes are already zeros in the
 *   pages): statistics of those tables are rebuilt without samples of the erased rows, then the
 *   write-ahead log is checkpointed into the file and truncated to zero bytes;
 * - PostgreSQL: `VACUUM (ANALYZE)` of those tables drops the dead row versions and their
 *   statistics samples.
 * Idempotent, so a closure that crashed here simply runs it again. Throws when the database is a
 * transaction (VACUUM cannot run in one; a checkpoint cannot pass an open write) and when the
 * log could not be truncated after a few attempts: the caller must not report the erasure done.
 */
export async function compactAfterErasure(
  db: Db,
  engine: Engine,
  tables: readonly string[],
): Promise<void> {
  if (db.isTransaction) {
    throw new Error("compactAfterErasure must run on the database, after the erasure committed.");
  }
  await reclaimErasedRows(db, engine, tables);
  for (let attempt = 1; !(await truncateWriteAheadLog(db, engine)); attempt++) {
    if (attempt >= CHECKPOINT_ATTEMPTS) {
      throw new Error(
        `The write-ahead log could not be truncated after ${attempt} attempts: another process keeps reading or writing the database.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, CHECKPOINT_RETRY_MS * attempt));
  }
}
