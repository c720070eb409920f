/**
 * Catalog fixtures: a product as an operator writes it for `tenantry products add --file`, and
 * facts of the seeded catalog (migration 0006-catalog) that tests rely on.
 */

/** A valid operator file for a product the seeded catalog does not have. */
export function contosoProduct(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    skuId: "7A3F0C1E-95B2-4C8D-9F1E-2B4D6A8C0E11",
    skuPartNumber: "CONTOSO_ARCHIVE",
    displayName: { "en-US": " Contoso Archive ", "zh-CN": "Contoso 存档" },
    servicePlans: [
      {
        servicePlanId: "9aaf7827-d63c-4b61-89c3-182f06f82e5c",
        servicePlanName: "EXCHANGE_S_STANDARD",
        displayName: "Exchange Online (Plan 1)",
      },
    ],
    monthlyPriceMinor: 350,
    annualPriceMinor: 4200,
    currency: "USD",
    trialDays: null,
    ...overrides,
  };
}

export const CONTOSO_SKU_ID = "7a3f0c1e-95b2-4c8d-9f1e-2b4d6a8c0e11";

/** Microsoft 365 Business Standard, as seeded. */
export const BUSINESS_STANDARD = {
  skuId: "f245ecc8-75af-4f8e-b61f-27d8114de5f3",
  skuPartNumber: "O365_BUSINESS_PREMIUM",
} as const;

/** The part numbers the seeded catalog holds, in its order (by part number). */
export const SEEDED_PART_NUMBERS = [
  "ENTERPRISEPACK",
  "EXCHANGESTANDARD",
  "O365_BUSINESS_ESSENTIALS",
  "O365_BUSINESS_PREMIUM",
  "POWER_BI_PRO",
  "SPB",
  "SPE_E3",
  "SPE_E5",
] as const;
