import { addMs, DAY } from "../src/shared/clock.js";
import { newId } from "../src/shared/ids.js";
import type { TestContext } from "./test-context.js";

/**
 * Test data for licenses: subscription rows written with Kysely (set-up, not a mock), so that
 * license tests can hold seats in every lifecycle state without driving the subscription
 * lifecycle, and SKUs of the seeded catalog (store migration 0006).
 */

/** Microsoft 365 Business Standard: Exchange, SharePoint, Teams, Skype, Apps for business. */
export const BUSINESS_STANDARD = {
  skuId: "f245ecc8-75af-4f8e-b61f-27d8114de5f3",
  skuPartNumber: "O365_BUSINESS_PREMIUM",
  /** EXCHANGE_S_STANDARD, one of its plans. */
  exchangePlanId: "9aaf7827-d63c-4b61-89c3-182f06f82e5c",
  planCount: 5,
} as const;

/** Office 365 E3. */
export const E3 = {
  skuId: "6fd2c87f-b296-42f0-b197-1e91e994b900",
  skuPartNumber: "ENTERPRISEPACK",
} as const;

/** Exchange Online (Plan 1). */
export const EXCHANGE = {
  skuId: "4b9405b0-7788-4568-add1-99614e613b69",
  skuPartNumber: "EXCHANGESTANDARD",
} as const;

export type SubscriptionState = "active" | "expired" | "disabled" | "deprovisioned";

export interface SubscriptionFixture {
  skuId: string;
  quantity: number;
  status?: SubscriptionState;
  isTrial?: boolean;
}

/** Inserts a monthly, direct-billed subscription row in the given state; returns its id. */
export async function insertSubscription(
  t: TestContext,
  tenantId: string,
  fixture: SubscriptionFixture,
): Promise<string> {
  const id = newId();
  const now = t.clock.now();
  const start = now.toISOString();
  const end = addMs(now, 30 * DAY).toISOString();
  const status = fixture.status ?? "active";
  await t.db
    .insertInto("subscription")
    .values({
      tenant_id: tenantId,
      id,
      sku_id: fixture.skuId,
      quantity: fixture.quantity,
      billing_model: "direct",
      term: "monthly",
      status,
      is_trial: fixture.isTrial ?? false,
      auto_renew: true,
      start_at: start,
      period_start_at: start,
      period_end_at: end,
      status_changed_at: start,
      next_lifecycle_at: status === "deprovisioned" ? null : end,
      cancelled_at: null,
      cancel_reason: null,
      cancel_feedback: null,
      marked_for_deletion_at: null,
      deprovision_at: null,
      payment_method_id: null,
      created_at: start,
      updated_at: start,
    })
    .execute();
  return id;
}

/** Moves a subscription row to another lifecycle state, as the lifecycle would. */
export async function setSubscriptionStatus(
  t: TestContext,
  tenantId: string,
  id: string,
  status: SubscriptionState,
): Promise<void> {
  await t.db
    .updateTable("subscription")
    .set({ status, status_changed_at: t.clock.now().toISOString() })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .execute();
}

/** The tenant's license assignment rows, as `userId:skuId`, sorted. */
export async function assignmentKeys(t: TestContext, tenantId: string): Promise<string[]> {
  const rows = await t.db
    .selectFrom("license_assignment")
    .select(["user_id", "sku_id"])
    .where("tenant_id", "=", tenantId)
    .execute();
  return rows.map((r) => `${r.user_id}:${r.sku_id}`).sort();
}
