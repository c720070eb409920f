import type { Selectable } from "kysely";
import type { Executor } from "../store/database.js";
import type { SubscriptionTable } from "./commerce.table.js";

/** The subscription columns Graph's companySubscription shows. */
export type CompanySubscriptionRow = Pick<
  Selectable<SubscriptionTable>,
  "id" | "sku_id" | "quantity" | "status" | "is_trial" | "created_at" | "next_lifecycle_at"
>;

const COLUMNS = [
  "id",
  "sku_id",
  "quantity",
  "status",
  "is_trial",
  "created_at",
  "next_lifecycle_at",
] as const;

/** Every subscription of the tenant, deprovisioned ones included, oldest first (ids are time-ordered). */
export async function listCompanySubscriptionRows(
  db: Executor,
  tenantId: string,
): Promise<CompanySubscriptionRow[]> {
  return db
    .selectFrom("subscription")
    .select(COLUMNS)
    .where("tenant_id", "=", tenantId)
    .orderBy("id")
    .execute();
}

export async function findCompanySubscriptionRow(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<CompanySubscriptionRow | undefined> {
  return db
    .selectFrom("subscription")
    .select(COLUMNS)
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .executeTakeFirst();
}
