import type { Insertable, Selectable } from "kysely";
import type { Executor } from "../store/database.js";
import type { TotpMethodTable } from "./security.table.js";

export type TotpMethodRow = Selectable<TotpMethodTable>;

export async function insertTotpMethod(
  db: Executor,
  row: Insertable<TotpMethodTable>,
): Promise<void> {
  await db.insertInto("totp_method").values(row).execute();
}

export async function listTotpMethodRows(
  db: Executor,
  tenantId: string,
  userId: string,
  status?: "pending" | "active",
): Promise<TotpMethodRow[]> {
  let query = db
    .selectFrom("totp_method")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("user_id", "=", userId);
  if (status) query = query.where("status", "=", status);
  return query.orderBy("id").execute();
}

export async function findTotpMethodRow(
  db: Executor,
  tenantId: string,
  userId: string,
  id: string,
): Promise<TotpMethodRow | undefined> {
  return db
    .selectFrom("totp_method")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("user_id", "=", userId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export async function hasActiveTotpMethod(
  db: Executor,
  tenantId: string,
  userId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom("totp_method")
    .select("id")
    .where("tenant_id", "=", tenantId)
    .where("user_id", "=", userId)
    .where("status", "=", "active")
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function activateTotpMethodRow(
  db: Executor,
  tenantId: string,
  id: string,
  step: number,
  at: string,
): Promise<void> {
  await db
    .updateTable("totp_method")
    .set({ status: "active", activated_at: at, last_used_step: step })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .execute();
}

/**
 * Records the step of an accepted code; false when that step (or a later one) was already used,
 * by this request's twin for example: each code is accepted once.
 */
export async function claimTotpStep(
  db: Executor,
  tenantId: string,
  id: string,
  step: number,
): Promise<boolean> {
  const result = await db
    .updateTable("totp_method")
    .set({ last_used_step: step })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .where((eb) => eb.or([eb("last_used_step", "is", null), eb("last_used_step", "<", step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteTotpMethodRow(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<void> {
  await db
    .deleteFrom("totp_method")
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .execute();
}

export async function deleteTotpMethodsOfUser(
  db: Executor,
  tenantId: string,
  userId: string,
): Promise<number> {
  const result = await db
    .deleteFrom("totp_method")
    .where("tenant_id", "=", tenantId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
