import type { Insertable, Selectable } from "kysely";
import type { Executor } from "../store/database.js";
import type { LicenseAssignmentTable } from "./commerce.table.js";
import { NO_SEATS, type SeatCounts } from "./license.js";

export type LicenseAssignmentRow = Selectable<LicenseAssignmentTable>;

/** A user's license assignments, by SKU. */
export async function listUserAssignmentRows(
  db: Executor,
  tenantId: string,
  userId: string,
): Promise<LicenseAssignmentRow[]> {
  return db
    .selectFrom("license_assignment")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("user_id", "=", userId)
    .orderBy("sku_id")
    .execute();
}

export async function insertAssignmentRows(
  db: Executor,
  rows: readonly Insertable<LicenseAssignmentTable>[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto("license_assignment").values(rows).execute();
}

export async function updateAssignmentDisabledPlans(
  db: Executor,
  tenantId: string,
  userId: string,
  skuId: string,
  disabledPlans: string,
): Promise<void> {
  await db
    .updateTable("license_assignment")
    .set({ disabled_plans: disabledPlans })
    .where("tenant_id", "=", tenantId)
    .where("user_id", "=", userId)
    .where("sku_id", "=", skuId)
    .execute();
}

export async function deleteAssignmentRows(
  db: Executor,
  tenantId: string,
  userId: string,
  skuIds: readonly string[],
): Promise<void> {
  if (skuIds.length === 0) return;
  await db
    .deleteFrom("license_assignment")
    .where("tenant_id", "=", tenantId)
    .where("user_id", "=", userId)
    .where("sku_id", "in", skuIds)
    .execute();
}

/**
 * Seats per SKU from the tenant's subscriptions: `active` seats are enabled, `expired` warning,
 * `disabled` suspended; deprovisioned subscriptions hold none. Only SKUs with a subscription
 * appear; `skuIds` narrows the answer.
 */
export async function seatCountsBySku(
  db: Executor,
  tenantId: string,
  skuIds?: readonly string[],
): Promise<Map<string, SeatCounts>> {
  if (skuIds?.length === 0) return new Map();
  let query = db
    .selectFrom("subscription")
    .select(["sku_id", "status", (eb) => eb.fn.sum<number | string>("quantity").as("seats")])
    .where("tenant_id", "=", tenantId)
    .groupBy(["sku_id", "status"]);
  if (skuIds) query = query.where("sku_id", "in", skuIds);
  const seats = new Map<string, SeatCounts>();
  for (const row of await query.execute()) {
    const counts = { ...(seats.get(row.sku_id) ?? NO_SEATS) };
    const units = Number(row.seats);
    if (row.status === "active") counts.enabled += units;
    else if (row.status === "expired") counts.warning += units;
    else if (row.status === "disabled") counts.suspended += units;
    seats.set(row.sku_id, counts);
  }
  return seats;
}

/**
 * The SKUs a tenant has or had: those of its subscriptions (in any state) and those assigned to
 * its users (live or in the recycle bin), each with the ids of its subscriptions, oldest first.
 */
export async function listTenantSkuIds(
  db: Executor,
  tenantId: string,
): Promise<Map<string, string[]>> {
  const subscriptions = await db
    .selectFrom("subscription")
    .select(["sku_id", "id"])
    .where("tenant_id", "=", tenantId)
    .orderBy("id")
    .execute();
  const assigned = await db
    .selectFrom("license_assignment")
    .select("sku_id")
    .distinct()
    .where("tenant_id", "=", tenantId)
    .execute();
  const skus = new Map<string, string[]>();
  for (const row of subscriptions) skus.set(row.sku_id, [...(skus.get(row.sku_id) ?? []), row.id]);
  for (const row of assigned) if (!skus.has(row.sku_id)) skus.set(row.sku_id, []);
  return skus;
}

/** The SKUs assigned to the tenant's live users (not in the recycle bin). */
export async function listLiveAssignedSkuIds(db: Executor, tenantId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("license_assignment as la")
    .innerJoin("app_user as u", (join) =>
      join.onRef("u.tenant_id", "=", "la.tenant_id").onRef("u.id", "=", "la.user_id"),
    )
    .select("la.sku_id")
    .distinct()
    .where("la.tenant_id", "=", tenantId)
    .where("u.deleted_at", "is", null)
    .orderBy("la.sku_id")
    .execute();
  return rows.map((r) => r.sku_id);
}
