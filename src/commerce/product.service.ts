import type { Kysely } from "kysely";
import { loadTenant, requirePermission } from "../directory/directory-access.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { conflict, notFound } from "../shared/app-error.js";
import { systemClock } from "../shared/clock.js";
import { isUuid } from "../shared/ids.js";
import type { Database, Executor } from "../store/database.js";
import { isUniqueViolation } from "../store/engine.js";
import { PRODUCT_ERROR, type Product, parseProduct, type ServicePlan } from "./product.js";
import {
  findProductRowByPartNumber,
  findProductRowBySkuId,
  insertProductRow,
  listProductRows,
  type ProductRow,
  updateProductRow,
} from "./product.repository.js";

/**
 * The catalog's use cases. Reads are open to every caller (the catalog is public within the
 * installation); changes are the operator's, from the local CLI (`tenantry products add`).
 */

function toProduct(row: ProductRow): Product {
  return {
    skuId: row.sku_id,
    skuPartNumber: row.sku_part_number,
    displayName: { "en-US": row.display_name_en, "zh-CN": row.display_name_zh },
    servicePlans: JSON.parse(row.service_plans) as ServicePlan[],
    monthlyPriceMinor: Number(row.monthly_price_minor),
    annualPriceMinor: Number(row.annual_price_minor),
    currency: row.currency,
    trialDays: row.trial_days === null ? null : Number(row.trial_days),
  };
}

/** Every product of the catalog, ordered by part number. */
export async function listProducts(db: Executor): Promise<Product[]> {
  return (await listProductRows(db)).map(toProduct);
}

/** A product by Graph's skuId (a GUID, in any letter case); undefined when there is none. */
export async function findProductBySkuId(
  db: Executor,
  skuId: string,
): Promise<Product | undefined> {
  if (!isUuid(skuId)) return undefined;
  const row = await findProductRowBySkuId(db, skuId.toLowerCase());
  return row ? toProduct(row) : undefined;
}

/** A product by part number, case-insensitively (`o365_business_premium` finds it too). */
export async function findProductByPartNumber(
  db: Executor,
  skuPartNumber: string,
): Promise<Product | undefined> {
  const row = await findProductRowByPartNumber(db, skuPartNumber.trim().toUpperCase());
  return row ? toProduct(row) : undefined;
}

/**
 * The catalog as a member of `tenantId` sees it: every product, for any signed-in member of a
 * tenant that exists (what they may buy is the Billing Administrator's business, SPEC §1).
 */
export async function listCatalog(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
): Promise<Product[]> {
  await loadTenant(ctx.db, actor, tenantId);
  await requirePermission(ctx.db, actor, tenantId, "directory.read");
  return listProducts(ctx.db);
}

/** One product of the catalog by skuId, for a member of `tenantId`; PRODUCT_NOT_FOUND if none. */
export async function getCatalogProduct(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  skuId: string,
): Promise<Product> {
  await loadTenant(ctx.db, actor, tenantId);
  await requirePermission(ctx.db, actor, tenantId, "directory.read");
  const product = await findProductBySkuId(ctx.db, skuId);
  if (!product) {
    throw notFound(
      PRODUCT_ERROR.NOT_FOUND,
      `The catalog has no product with skuId ${skuId}; GET /v1.0/billing/products lists them.`,
    );
  }
  return product;
}

export interface AddProductOptions {
  /** Replace the product with the same skuId instead of refusing it. */
  replace?: boolean;
  /** When the change happens (defaults to the system clock). */
  now?: Date;
}

export interface AddProductResult {
  product: Product;
  /** `added` for a new skuId, `replaced` when `replace` overwrote an existing product. */
  outcome: "added" | "replaced";
}

/**
 * Adds a product to the catalog, checked field by field first (PRODUCT_INVALID, naming the
 * field). A skuId or part number already in the catalog is refused (PRODUCT_SKU_ID_TAKEN,
 * PRODUCT_PART_NUMBER_TAKEN, both Conflict) unless `replace` is set, which overwrites the product
 * with the same skuId; a part number belonging to another skuId is refused even then, since
 * subscriptions and licenses refer to a product by skuId, which therefore never changes.
 * Runs in one transaction (its own, or the caller's when given one).
 */
export async function addProduct(
  db: Executor,
  input: unknown,
  options: AddProductOptions = {},
): Promise<AddProductResult> {
  const product = parseProduct(input);
  const now = (options.now ?? systemClock.now()).toISOString();
  const work = async (trx: Executor): Promise<AddProductResult> => {
    const existing = await findProductRowBySkuId(trx, product.skuId);
    const holder = await findProductRowByPartNumber(trx, product.skuPartNumber);
    if (existing && !options.replace) {
      throw conflict(
        PRODUCT_ERROR.SKU_ID_TAKEN,
        `The catalog already has skuId ${product.skuId} (${existing.sku_part_number}); use --replace to update it.`,
        { field: "skuId", skuPartNumber: existing.sku_part_number },
      );
    }
    if (holder && holder.sku_id !== product.skuId) {
      throw conflict(
        PRODUCT_ERROR.PART_NUMBER_TAKEN,
        `Part number ${product.skuPartNumber} already belongs to skuId ${holder.sku_id}; part numbers are unique and a product's skuId never changes.`,
        { field: "skuPartNumber", skuId: holder.sku_id },
      );
    }
    const values = {
      sku_part_number: product.skuPartNumber,
      display_name_en: product.displayName["en-US"],
      display_name_zh: product.displayName["zh-CN"],
      service_plans: JSON.stringify(product.servicePlans),
      monthly_price_minor: product.monthlyPriceMinor,
      annual_price_minor: product.annualPriceMinor,
      currency: product.currency,
      trial_days: product.trialDays,
      updated_at: now,
    };
    if (existing) {
      await updateProductRow(trx, product.skuId, values);
      return { product, outcome: "replaced" };
    }
    await insertProductRow(trx, { sku_id: product.skuId, ...values, created_at: now });
    return { product, outcome: "added" };
  };
  try {
    return db.isTransaction
      ? await work(db)
      : await (db as Kysely<Database>).transaction().execute(work);
  } catch (error) {
    // Another process added the same product between our check and our insert.
    if (isUniqueViolation(error)) {
      throw conflict(
        PRODUCT_ERROR.SKU_ID_TAKEN,
        `The catalog already has skuId ${product.skuId} or part number ${product.skuPartNumber}.`,
        { field: "skuId" },
      );
    }
    throw error;
  }
}
