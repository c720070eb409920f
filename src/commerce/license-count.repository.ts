import type { Executor } from "../store/database.js";

/**
 * Seats of a SKU in use: its license assignments held by users that are not deleted. A user in
 * the recycle bin keeps its assignment rows (restoring brings them back) but frees the seat.
 */
export async function countConsumedUnits(
  db: Executor,
  tenantId: string,
  skuId: string,
): Promise<number> {
  const row = await db
    .selectFrom("license_assignment as la")
    .innerJoin("app_user as u", (join) =>
      join.onRef("u.tenant_id", "=", "la.tenant_id").onRef("u.id", "=", "la.user_id"),
    )
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("la.tenant_id", "=", tenantId)
    .where("la.sku_id", "=", skuId)
    .where("u.deleted_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
