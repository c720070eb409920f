import type { Insertable } from "kysely";
import type { Executor } from "../store/database.js";
import type { RecoveryCodeTable } from "./security.table.js";

export async function insertRecoveryCodes(
  db: Executor,
  rows: readonly Insertable<RecoveryCodeTable>[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto("recovery_code").values(rows).execute();
}

export async function deleteRecoveryCodesOfUser(
  db: Executor,
  tenantId: string,
  userId: string,
): Promise<number> {
  const result = await db
    .deleteFrom("recovery_code")
    .where("tenant_id", "=", tenantId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Uses the unused code with this hash; false when there is none (wrong, or already used). */
export async function useRecoveryCode(
  db: Executor,
  tenantId: string,
  userId: string,
  codeHash: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable("recovery_code")
    .set({ used_at: at })
    .where("tenant_id", "=", tenantId)
    .where("user_id", "=", userId)
    .where("code_hash", "=", codeHash)
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
