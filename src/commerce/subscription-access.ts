import { loadTenant, requirePermission, type Tenant } from "../directory/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { invalid, notFound } from "../shared/app-error.js";
import type { Executor } from "../store/database.js";
import { supportsRowLocks } from "../store/engine.js";
import { findDefaultPaymentMethod, findPaymentMethod } from "./payment-method.service.js";
import type { Product } from "./product.js";
import { findProductBySkuId } from "./product.service.js";
import { findSubscriptionRow, type SubscriptionRow } from "./subscription.repository.js";

/**
 * The preamble of every subscription use case: the tenant (another tenant's caller learns
 * nothing: 404) and an actor allowed to manage billing — a Billing Administrator or a Global
 * Administrator (SPEC §1). `lock` holds the tenant row until the transaction ends, so that changes
 * to the tenant's subscriptions (and the seat counts license assignment checks) happen one after
 * another, the scheduler's lifecycle work included.
 */
export async function authorizeSubscriptions(
  ctx: AppContext,
  db: Executor,
  actor: Actor,
  tenantId: string,
  options: { lock?: boolean } = {},
): Promise<Tenant> {
  const tenant = await loadTenant(db, actor, tenantId, {
    forUpdate: options.lock ?? false,
    rowLocks: (options.lock ?? false) && supportsRowLocks(ctx.engine),
  });
  await requirePermission(db, actor, tenantId, "billing.manage");
  return tenant;
}

/** The subscription and its product, or SUBSCRIPTION_NOT_FOUND (404). */
export async function loadSubscription(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<{ row: SubscriptionRow; product: Product }> {
  const row = await findSubscriptionRow(db, tenantId, id);
  if (!row) {
    throw notFound("SUBSCRIPTION_NOT_FOUND", `No subscription with id ${id}.`, { id });
  }
  const product = await findProductBySkuId(db, row.sku_id);
  if (!product) throw new Error(`Subscription ${id} refers to unknown product ${row.sku_id}.`);
  return { row, product };
}

/**
 * Whether a payment method is on file to charge: the one named (which must be the tenant's, else
 * PAYMENT_METHOD_UNKNOWN, 400), or else the tenant's default.
 */
export async function hasPaymentMethod(
  db: Executor,
  tenantId: string,
  paymentMethodId: string | null | undefined,
): Promise<boolean> {
  if (paymentMethodId) {
    if (!(await findPaymentMethod(db, tenantId, paymentMethodId))) {
      throw invalid(
        "PAYMENT_METHOD_UNKNOWN",
        `This organization has no payment method with id ${paymentMethodId}.`,
        { field: "paymentMethodId" },
      );
    }
    return true;
  }
  return (await findDefaultPaymentMethod(db, tenantId)) !== undefined;
}
