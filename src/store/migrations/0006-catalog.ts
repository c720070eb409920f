import type { Kysely } from "kysely";
import type { Engine } from "../engine.js";

/**
 * The seeded catalog (SPEC §3): a handful of Microsoft 365 products with Graph's real skuIds,
 * part numbers and service plan ids, names in en-US and zh-CN, and per-seat list prices in US
 * cents (annual = 12 × monthly). The data is frozen here, as a migration must be: operators extend
 * or change the catalog afterwards with `tenantry products add [--replace]`.
 */

interface SeedPlan {
  servicePlanId: string;
  servicePlanName: string;
  displayName: string;
}

interface SeedProduct {
  skuId: string;
  skuPartNumber: string;
  en: string;
  zh: string;
  plans: SeedPlan[];
  monthlyCents: number;
  trialDays: number | null;
}

const plan = (servicePlanName: string, servicePlanId: string, displayName: string): SeedPlan => ({
  servicePlanId,
  servicePlanName,
  displayName,
});

const EXCHANGE_S_STANDARD = plan(
  "EXCHANGE_S_STANDARD",
  "9aaf7827-d63c-4b61-89c3-182f06f82e5c",
  "Exchange Online (Plan 1)",
);
const EXCHANGE_S_ENTERPRISE = plan(
  "EXCHANGE_S_ENTERPRISE",
  "efb87545-963c-4e0d-99df-69c6916d9eb0",
  "Exchange Online (Plan 2)",
);
const EXCHANGE_S_FOUNDATION = plan(
  "EXCHANGE_S_FOUNDATION",
  "113feb6c-3fe4-4440-bddc-54d774bf0318",
  "Exchange Foundation",
);
const SHAREPOINTSTANDARD = plan(
  "SHAREPOINTSTANDARD",
  "c7699d2e-19aa-44de-8edf-1736da088ca1",
  "SharePoint (Plan 1)",
);
const SHAREPOINTENTERPRISE = plan(
  "SHAREPOINTENTERPRISE",
  "5dbe027f-2339-4123-9542-606e4d348a72",
  "SharePoint (Plan 2)",
);
const TEAMS1 = plan("TEAMS1", "57ff2da0-773e-42df-b2af-ffb7a2317929", "Microsoft Teams");
const MCOSTANDARD = plan(
  "MCOSTANDARD",
  "0feaeb32-d00e-4d66-bd5a-43b5b83db82c",
  "Skype for Business Online (Plan 2)",
);
const MCOEV = plan("MCOEV", "4828c8ec-dc2e-4779-b502-87ac9ce28ab7", "Microsoft 365 Phone System");
const OFFICE_BUSINESS = plan(
  "OFFICE_BUSINESS",
  "094e7854-93fc-4d55-b2c0-3ab5369ebdc1",
  "Microsoft 365 Apps for business",
);
const OFFICESUBSCRIPTION = plan(
  "OFFICESUBSCRIPTION",
  "43de0ff5-c92c-492b-9116-175376d08c38",
  "Microsoft 365 Apps for enterprise",
);
const AAD_PREMIUM = plan(
  "AAD_PREMIUM",
  "41781fb2-bc02-4b7c-bd55-b576c07bb09d",
  "Microsoft Entra ID P1",
);
const AAD_PREMIUM_P2 = plan(
  "AAD_PREMIUM_P2",
  "eec0eb4f-6444-4f95-aba0-50c24d67f998",
  "Microsoft Entra ID P2",
);
const INTUNE_A = plan(
  "INTUNE_A",
  "c1ec4a95-1f05-45b3-a911-aa3fa01094f5",
  "Microsoft Intune Plan 1",
);
const BI_AZURE_P2 = plan("BI_AZURE_P2", "70d33638-9c74-4d01-bfd3-562de28bd4ba", "Power BI Pro");

/** Business products come with a 30-day trial, as Microsoft's do; the others have none. */
const SEED: readonly SeedProduct[] = [
  {
    skuId: "3b555118-da6a-4418-894f-7df1e2096870",
    skuPartNumber: "O365_BUSINESS_ESSENTIALS",
    en: "Microsoft 365 Business Basic",
    zh: "Microsoft 365 商业基础版",
    plans: [EXCHANGE_S_STANDARD, SHAREPOINTSTANDARD, TEAMS1, MCOSTANDARD],
    monthlyCents: 600,
    trialDays: 30,
  },
  {
    skuId: "f245ecc8-75af-4f8e-b61f-27d8114de5f3",
    skuPartNumber: "O365_BUSINESS_PREMIUM",
    en: "Microsoft 365 Business Standard",
    zh: "Microsoft 365 商业标准版",
    plans: [EXCHANGE_S_STANDARD, SHAREPOINTSTANDARD, TEAMS1, MCOSTANDARD, OFFICE_BUSINESS],
    monthlyCents: 1250,
    trialDays: 30,
  },
  {
    skuId: "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46",
    skuPartNumber: "SPB",
    en: "Microsoft 365 Business Premium",
    zh: "Microsoft 365 商业高级版",
    plans: [
      EXCHANGE_S_STANDARD,
      SHAREPOINTSTANDARD,
      TEAMS1,
      OFFICE_BUSINESS,
      AAD_PREMIUM,
      INTUNE_A,
    ],
    monthlyCents: 2200,
    trialDays: 30,
  },
  {
    skuId: "6fd2c87f-b296-42f0-b197-1e91e994b900",
    skuPartNumber: "ENTERPRISEPACK",
    en: "Office 365 E3",
    zh: "Office 365 E3",
    plans: [EXCHANGE_S_ENTERPRISE, SHAREPOINTENTERPRISE, OFFICESUBSCRIPTION, TEAMS1, MCOSTANDARD],
    monthlyCents: 2300,
    trialDays: null,
  },
  {
    skuId: "05e9a617-0261-4cee-bb44-138d3ef5d965",
    skuPartNumber: "SPE_E3",
    en: "Microsoft 365 E3",
    zh: "Microsoft 365 E3",
    plans: [
      EXCHANGE_S_ENTERPRISE,
      SHAREPOINTENTERPRISE,
      OFFICESUBSCRIPTION,
      TEAMS1,
      MCOSTANDARD,
      AAD_PREMIUM,
      INTUNE_A,
    ],
    monthlyCents: 3600,
    trialDays: null,
  },
  {
    skuId: "06ebc4ee-1bb5-47dd-8120-11324bc54e06",
    skuPartNumber: "SPE_E5",
    en: "Microsoft 365 E5",
    zh: "Microsoft 365 E5",
    plans: [
      EXCHANGE_S_ENTERPRISE,
      SHAREPOINTENTERPRISE,
      OFFICESUBSCRIPTION,
      TEAMS1,
      MCOSTANDARD,
      MCOEV,
      AAD_PREMIUM,
      AAD_PREMIUM_P2,
      INTUNE_A,
      BI_AZURE_P2,
    ],
    monthlyCents: 5700,
    trialDays: null,
  },
  {
    skuId: "4b9405b0-7788-4568-add1-99614e613b69",
    skuPartNumber: "EXCHANGESTANDARD",
    en: "Exchange Online (Plan 1)",
    zh: "Exchange Online (计划 1)",
    plans: [EXCHANGE_S_STANDARD],
    monthlyCents: 400,
    trialDays: null,
  },
  {
    skuId: "f8a1db68-be16-40ed-86d5-cb42ce701560",
    skuPartNumber: "POWER_BI_PRO",
    en: "Power BI Pro",
    zh: "Power BI Pro",
    plans: [BI_AZURE_P2, EXCHANGE_S_FOUNDATION],
    monthlyCents: 1400,
    trialDays: null,
  },
];

/** When this catalog was published; every store gets the same rows. */
const PUBLISHED_AT = "2026-01-01T00:00:00.000Z";

/** The `product` row as this migration writes it (frozen: independent of later table types). */
interface CatalogRow {
  sku_id: string;
  sku_part_number: string;
  display_name_en: string;
  display_name_zh: string;
  service_plans: string;
  monthly_price_minor: number;
  annual_price_minor: number;
  currency: string;
  trial_days: number | null;
  created_at: string;
  updated_at: string;
}

export function catalogMigration(_engine: Engine) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const rows: CatalogRow[] = SEED.map((p) => ({
        sku_id: p.skuId,
        sku_part_number: p.skuPartNumber,
        display_name_en: p.en,
        display_name_zh: p.zh,
        service_plans: JSON.stringify(p.plans),
        monthly_price_minor: p.monthlyCents,
        annual_price_minor: 12 * p.monthlyCents,
        currency: "USD",
        trial_days: p.trialDays,
        created_at: PUBLISHED_AT,
        updated_at: PUBLISHED_AT,
      }));
      await (db as Kysely<{ product: CatalogRow }>).insertInto("product").values(rows).execute();
    },
  };
}
