import { type Insertable, type Selectable, sql } from "kysely";
import type { SigningKeyTable } from "../closure/closure.table.js";
import type { Executor } from "../store/database.js";

export type SigningKeyRow = Selectable<SigningKeyTable>;

/** The newest key that is not retired, if any. */
export async function findCurrentSigningKeyRow(db: Executor): Promise<SigningKeyRow | undefined> {
  return db
    .selectFrom("signing_key")
    .selectAll()
    .where("retired_at", "is", null)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** Every key, retired ones too, oldest first. */
export async function listSigningKeyRows(db: Executor): Promise<SigningKeyRow[]> {
  return db.selectFrom("signing_key").selectAll().orderBy("created_at").orderBy("id").execute();
}

export async function insertSigningKeyRow(
  db: Executor,
  row: Insertable<SigningKeyTable>,
): Promise<void> {
  await db.insertInto("signing_key").values(row).execute();
}

/** Retires every key still current: they sign nothing more, and what they signed still verifies. */
export async function retireCurrentSigningKeyRows(trx: Executor, at: string): Promise<string[]> {
  const rows = await trx
    .updateTable("signing_key")
    .set({ retired_at: at })
    .where("retired_at", "is", null)
    .returning("id")
    .execute();
  return rows.map((row) => row.id);
}

/**
 * Makes creators of a key queue one behind the other until `trx` ends, so that each one, once it
 * holds the lock, sees the key the one before created (READ COMMITTED reads what committed).
 * PostgreSQL (`rowLocks`): a table lock in SHARE ROW EXCLUSIVE mode — it conflicts with itself
 * and with writers, not with plain reads. SQLite serializes writers already (`BEGIN IMMEDIATE`).
 * A row lock cannot do this: before the first key there is no row to lock.
 */
export async function lockSigningKeysForCreation(trx: Executor, rowLocks: boolean): Promise<void> {
  if (rowLocks) await sql`lock table signing_key in share row exclusive mode`.execute(trx);
}
