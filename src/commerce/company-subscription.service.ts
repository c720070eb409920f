import { loadTenant, requirePermission } from "../directory/directory-access.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { notFound } from "../shared/app-error.js";
import type { CompanySubscription } from "./company-subscription.js";
import {
  type CompanySubscriptionRow,
  findCompanySubscriptionRow,
  listCompanySubscriptionRows,
} from "./company-subscription.repository.js";
import type { Product } from "./product.js";
import { listProducts } from "./product.service.js";
import { capabilityStatusOfSubscription } from "./subscribed-sku.js";
import type { SubscriptionStatus } from "./subscription.js";

/**
 * Graph's `directory/subscriptions`: the tenant's subscriptions in every state (a deprovisioned one
 * stays readable, SPEC §3), read by every member of the tenant like Graph's Directory.Read.
 */
export async function listCompanySubscriptions(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
): Promise<CompanySubscription[]> {
  await loadTenant(ctx.db, actor, tenantId);
  await requirePermission(ctx.db, actor, tenantId, "directory.read");
  const rows = await listCompanySubscriptionRows(ctx.db, tenantId);
  const products = await productsBySkuId(ctx);
  return rows.map((row) => toCompanySubscription(row, products.get(row.sku_id)));
}

/** One subscription by id; SUBSCRIPTION_NOT_FOUND for an id the tenant has not (SPEC §2). */
export async function getCompanySubscription(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  id: string,
): Promise<CompanySubscription> {
  await loadTenant(ctx.db, actor, tenantId);
  await requirePermission(ctx.db, actor, tenantId, "directory.read");
  const row = await findCompanySubscriptionRow(ctx.db, tenantId, id);
  if (!row) {
    throw notFound("SUBSCRIPTION_NOT_FOUND", `No subscription ${id} in this organization.`);
  }
  return toCompanySubscription(row, (await productsBySkuId(ctx)).get(row.sku_id));
}

async function productsBySkuId(ctx: AppContext): Promise<Map<string, Product>> {
  return new Map((await listProducts(ctx.db)).map((p) => [p.skuId, p]));
}

function toCompanySubscription(
  row: CompanySubscriptionRow,
  product: Product | undefined,
): CompanySubscription {
  return {
    id: row.id,
    skuId: row.sku_id,
    skuPartNumber: product?.skuPartNumber ?? row.sku_id,
    lifecycleStatus: row.status as SubscriptionStatus,
    status: capabilityStatusOfSubscription(row.status as SubscriptionStatus),
    isTrial: Boolean(row.is_trial),
    createdDateTime: new Date(row.created_at),
    nextLifecycleDateTime: row.next_lifecycle_at === null ? null : new Date(row.next_lifecycle_at),
    totalLicenses: Number(row.quantity),
    servicePlans: product?.servicePlans ?? [],
  };
}
