import { loadTenant, requirePermission } from "../directory/directory-access.js";
import type { Tenant } from "../directory/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { notFound } from "../shared/app-error.js";
import { NO_SEATS } from "./license.js";
import { listTenantSkuIds, seatCountsBySku } from "./license.repository.js";
import { countConsumedUnits } from "./license-count.repository.js";
import type { Product } from "./product.js";
import { listProducts } from "./product.service.js";
import { capabilityStatusOf, parseSubscribedSkuId, type SubscribedSku } from "./subscribed-sku.js";

/**
 * Graph's `subscribedSkus` (SPEC §3): one entry per SKU the tenant has or had subscriptions of, or
 * assignments of, with seats by the state of their subscriptions and the licenses assigned to live
 * users. Every member of the tenant reads them, like Graph's Directory.Read.
 */
export async function subscribedSkus(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
): Promise<SubscribedSku[]> {
  const tenant = await loadTenant(ctx.db, actor, tenantId);
  await requirePermission(ctx.db, actor, tenantId, "directory.read");
  return buildSubscribedSkus(ctx, tenant);
}

/** One subscribedSku by Graph's id `{tenantId}_{skuId}`; SUBSCRIBED_SKU_NOT_FOUND otherwise. */
export async function getSubscribedSku(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  id: string,
): Promise<SubscribedSku> {
  const tenant = await loadTenant(ctx.db, actor, tenantId);
  await requirePermission(ctx.db, actor, tenantId, "directory.read");
  const parts = parseSubscribedSkuId(id);
  const sku =
    parts?.tenantId === tenantId
      ? (await buildSubscribedSkus(ctx, tenant, parts.skuId))[0]
      : undefined;
  if (!sku) {
    throw notFound("SUBSCRIBED_SKU_NOT_FOUND", `No subscribed SKU ${id} in this organization.`);
  }
  return sku;
}

async function buildSubscribedSkus(
  ctx: AppContext,
  tenant: Tenant,
  onlySkuId?: string,
): Promise<SubscribedSku[]> {
  const skus = await listTenantSkuIds(ctx.db, tenant.id);
  const wanted = [...skus.keys()].filter((id) => onlySkuId === undefined || id === onlySkuId);
  if (wanted.length === 0) return [];
  const seats = await seatCountsBySku(ctx.db, tenant.id, wanted);
  const products = new Map<string, Product>((await listProducts(ctx.db)).map((p) => [p.skuId, p]));
  const answer: SubscribedSku[] = [];
  for (const skuId of wanted) {
    const counts = seats.get(skuId) ?? NO_SEATS;
    const product = products.get(skuId);
    answer.push({
      tenantId: tenant.id,
      accountName: tenant.displayName,
      skuId,
      skuPartNumber: product?.skuPartNumber ?? skuId,
      capabilityStatus: capabilityStatusOf(counts),
      consumedUnits: await countConsumedUnits(ctx.db, tenant.id, skuId),
      prepaidUnits: { ...counts, lockedOut: 0 },
      servicePlans: product?.servicePlans ?? [],
      subscriptionIds: skus.get(skuId) ?? [],
    });
  }
  return answer.sort((a, b) => a.skuPartNumber.localeCompare(b.skuPartNumber));
}
