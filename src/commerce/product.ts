import { LANGUAGES, type Language } from "../shared/language.js";
import { invalid } from "../shared/app-error.js";
import { isUuid } from "../shared/ids.js";

/**
 * The catalog (SPEC §3): products that tenants buy subscriptions of. The catalog is global, not
 * tenant-owned. Money is an integer count of minor units (cents); never a float.
 */

/** A service a product includes (Graph's `servicePlanInfo`), e.g. EXCHANGE_S_STANDARD. */
export interface ServicePlan {
  servicePlanId: string;
  servicePlanName: string;
  displayName: string;
}

export interface Product {
  /** Graph's skuId, a GUID (lower case). */
  skuId: string;
  /** Graph's skuPartNumber, e.g. O365_BUSINESS_PREMIUM. */
  skuPartNumber: string;
  displayName: { "en-US": string; "zh-CN": string };
  servicePlans: ServicePlan[];
  /** Per seat, one month on a monthly term, in minor units. */
  monthlyPriceMinor: number;
  /** Per seat, one year on an annual term, in minor units. */
  annualPriceMinor: number;
  /** ISO 4217, upper case. */
  currency: string;
  /** Days of the free trial, or null when the product has none. */
  trialDays: number | null;
}

/** The languages the catalog names its products in. */
export const PRODUCT_LANGUAGES = LANGUAGES;
export type ProductLanguage = Language;

export const PRODUCT_ERROR = {
  INVALID: "PRODUCT_INVALID",
  NOT_FOUND: "PRODUCT_NOT_FOUND",
  SKU_ID_TAKEN: "PRODUCT_SKU_ID_TAKEN",
  PART_NUMBER_TAKEN: "PRODUCT_PART_NUMBER_TAKEN",
} as const;

const PART_NUMBER = /^[A-Z0-9_]+$/;
const CURRENCY = /^[A-Z]{3}$/;
const MAX_NAME = 256;
const MAX_PART_NUMBER = 64;
const MAX_PLANS = 100;
/** Far above any real per-seat price, far below Number.MAX_SAFE_INTEGER once multiplied by seats. */
export const MAX_PRICE_MINOR = 100_000_000;
const MAX_TRIAL_DAYS = 365;

function fail(field: string, message: string): never {
  throw invalid(PRODUCT_ERROR.INVALID, message, { field });
}

function objectAt(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail(field, `${field || "The product"} must be a JSON object.`);
  }
  return value as Record<string, unknown>;
}

function refuseUnknown(object: Record<string, unknown>, known: readonly string[], at: string) {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) {
      const field = at ? `${at}.${key}` : key;
      fail(field, `Unknown property ${field}; allowed: ${known.join(", ")}.`);
    }
  }
}

function textAt(value: unknown, field: string, max = MAX_NAME): string {
  if (typeof value !== "string") fail(field, `${field} must be a string.`);
  const text = value.trim();
  if (text === "") fail(field, `${field} must not be empty.`);
  if (text.length > max) fail(field, `${field} must be at most ${max} characters.`);
  return text;
}

function guidAt(value: unknown, field: string): string {
  const text = typeof value === "string" ? value.trim() : "";
  if (!isUuid(text)) {
    fail(field, `${field} must be a GUID such as f245ecc8-75af-4f8e-b61f-27d8114de5f3.`);
  }
  return text.toLowerCase();
}

function partNumberAt(value: unknown, field: string): string {
  const text = textAt(value, field, MAX_PART_NUMBER);
  if (!PART_NUMBER.test(text)) {
    fail(field, `${field} takes capital letters, digits and _ only, e.g. O365_BUSINESS_PREMIUM.`);
  }
  return text;
}

function priceAt(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    fail(field, `${field} must be a whole number of minor units (cents), 0 or more.`);
  }
  if (value > MAX_PRICE_MINOR) fail(field, `${field} must be at most ${MAX_PRICE_MINOR}.`);
  return value;
}

function servicePlansAt(value: unknown, field: string): ServicePlan[] {
  if (!Array.isArray(value)) fail(field, `${field} must be an array of service plans.`);
  if (value.length > MAX_PLANS) fail(field, `${field} lists at most ${MAX_PLANS} plans.`);
  const plans = value.map((item, i) => {
    const at = `${field}[${i}]`;
    const plan = objectAt(item, at);
    refuseUnknown(plan, ["servicePlanId", "servicePlanName", "displayName"], at);
    return {
      servicePlanId: guidAt(plan.servicePlanId, `${at}.servicePlanId`),
      servicePlanName: partNumberAt(plan.servicePlanName, `${at}.servicePlanName`),
      displayName: textAt(plan.displayName, `${at}.displayName`),
    };
  });
  const seen = new Set<string>();
  for (const [i, plan] of plans.entries()) {
    if (seen.has(plan.servicePlanId)) {
      fail(`${field}[${i}].servicePlanId`, `Service plan ${plan.servicePlanId} is listed twice.`);
    }
    seen.add(plan.servicePlanId);
  }
  return plans;
}

/**
 * Checks a product as an operator writes it (`tenantry products add --file`), field by field, and
 * returns it normalized (trimmed text, lower-case GUIDs). Every failure is PRODUCT_INVALID naming
 * the field. Pure: no I/O.
 */
export function parseProduct(value: unknown): Product {
  const input = objectAt(value, "");
  refuseUnknown(
    input,
    [
      "skuId",
      "skuPartNumber",
      "displayName",
      "servicePlans",
      "monthlyPriceMinor",
      "annualPriceMinor",
      "currency",
      "trialDays",
    ],
    "",
  );
  const names = objectAt(input.displayName, "displayName");
  refuseUnknown(names, PRODUCT_LANGUAGES, "displayName");
  const currency = typeof input.currency === "string" ? input.currency.trim() : "";
  if (!CURRENCY.test(currency)) fail("currency", "currency must be an ISO 4217 code such as USD.");
  const trial = input.trialDays ?? null;
  if (
    trial !== null &&
    (typeof trial !== "number" || !Number.isInteger(trial) || trial < 1 || trial > MAX_TRIAL_DAYS)
  ) {
    fail(
      "trialDays",
      `trialDays must be null or a whole number of days from 1 to ${MAX_TRIAL_DAYS}.`,
    );
  }
  return {
    skuId: guidAt(input.skuId, "skuId"),
    skuPartNumber: partNumberAt(input.skuPartNumber, "skuPartNumber"),
    displayName: {
      "en-US": textAt(names["en-US"], "displayName.en-US"),
      "zh-CN": textAt(names["zh-CN"], "displayName.zh-CN"),
    },
    servicePlans: servicePlansAt(input.servicePlans, "servicePlans"),
    monthlyPriceMinor: priceAt(input.monthlyPriceMinor, "monthlyPriceMinor"),
    annualPriceMinor: priceAt(input.annualPriceMinor, "annualPriceMinor"),
    currency,
    trialDays: trial as number | null,
  };
}
