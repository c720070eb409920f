import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BUSINESS_STANDARD,
  CONTOSO_SKU_ID,
  contosoProduct,
  SEEDED_PART_NUMBERS,
} from "../../test/catalog-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import {
  addProduct,
  findProductByPartNumber,
  findProductBySkuId,
  listProducts,
} from "./product.service.js";

describe.each(TEST_ENGINES)("the catalog on %s", (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  async function snapshot() {
    return t.db.selectFrom("product").selectAll().orderBy("sku_id").execute();
  }

  it("is seeded by the migrations with real Microsoft 365 SKUs", async () => {
    const products = await listProducts(t.db);
    expect(products.map((p) => p.skuPartNumber)).toEqual(SEEDED_PART_NUMBERS);
    const standard = products.find((p) => p.skuId === BUSINESS_STANDARD.skuId);
    expect(standard).toMatchObject({
      skuPartNumber: "O365_BUSINESS_PREMIUM",
      displayName: {
        "en-US": "Microsoft 365 Business Standard",
        "zh-CN": "Microsoft 365 商业标准版",
      },
      monthlyPriceMinor: 1250,
      annualPriceMinor: 15000,
      currency: "USD",
      trialDays: 30,
    });
    expect(standard?.servicePlans).toContainEqual({
      servicePlanId: "9aaf7827-d63c-4b61-89c3-182f06f82e5c",
      servicePlanName: "EXCHANGE_S_STANDARD",
      displayName: "Exchange Online (Plan 1)",
    });
  });

  it("prices every seeded product in whole cents, annual twelve times monthly", async () => {
    for (const product of await listProducts(t.db)) {
      expect(Number.isInteger(product.monthlyPriceMinor), product.skuPartNumber).toBe(true);
      expect(product.monthlyPriceMinor).toBeGreaterThan(0);
      expect(product.annualPriceMinor).toBe(12 * product.monthlyPriceMinor);
      expect(product.servicePlans.length).toBeGreaterThan(0);
    }
  });

  it("finds a product by skuId in any letter case, and nothing for an unknown or malformed id", async () => {
    const found = await findProductBySkuId(t.db, BUSINESS_STANDARD.skuId.toUpperCase());
    expect(found?.skuPartNumber).toBe(BUSINESS_STANDARD.skuPartNumber);
    expect(await findProductBySkuId(t.db, "00000000-0000-0000-0000-000000000000")).toBeUndefined();
    expect(await findProductBySkuId(t.db, "not-a-guid")).toBeUndefined();
  });

  it("finds a product by part number case-insensitively", async () => {
    const found = await findProductByPartNumber(t.db, "o365_Business_Premium");
    expect(found?.skuId).toBe(BUSINESS_STANDARD.skuId);
    expect(await findProductByPartNumber(t.db, "NO_SUCH_SKU")).toBeUndefined();
  });

  it("adds an operator's product, which then lists and is found", async () => {
    const result = await addProduct(t.db, contosoProduct(), { now: t.clock.now() });
    expect(result.outcome).toBe("added");
    expect(result.product.skuId).toBe(CONTOSO_SKU_ID);
    expect(await findProductByPartNumber(t.db, "CONTOSO_ARCHIVE")).toEqual(result.product);
    expect((await listProducts(t.db)).map((p) => p.skuPartNumber)).toContain("CONTOSO_ARCHIVE");
  });

  it("refuses a skuId already in the catalog and changes nothing", async () => {
    const before = await snapshot();
    const again = contosoProduct({ skuPartNumber: "CONTOSO_ARCHIVE_2", monthlyPriceMinor: 1 });
    await expect(addProduct(t.db, again)).rejects.toMatchObject({
      kind: "Conflict",
      code: "PRODUCT_SKU_ID_TAKEN",
    });
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a part number another skuId holds, even with replace, and changes nothing", async () => {
    const before = await snapshot();
    const clash = contosoProduct({
      skuId: "1d2c3b4a-0000-4000-8000-000000000001",
      skuPartNumber: "o365_business_premium".toUpperCase(),
    });
    for (const replace of [false, true]) {
      await expect(addProduct(t.db, clash, { replace })).rejects.toMatchObject({
        kind: "Conflict",
        code: "PRODUCT_PART_NUMBER_TAKEN",
      });
    }
    expect(await snapshot()).toEqual(before);
  });

  it("replaces the product with the same skuId when told to", async () => {
    const changed = contosoProduct({
      monthlyPriceMinor: 400,
      annualPriceMinor: 4800,
      trialDays: 30,
    });
    const result = await addProduct(t.db, changed, { replace: true });
    expect(result.outcome).toBe("replaced");
    const stored = await findProductBySkuId(t.db, CONTOSO_SKU_ID);
    expect(stored).toMatchObject({ monthlyPriceMinor: 400, annualPriceMinor: 4800, trialDays: 30 });
    expect((await listProducts(t.db)).filter((p) => p.skuId === CONTOSO_SKU_ID)).toHaveLength(1);
  });

  it("refuses an invalid product before touching the store", async () => {
    const before = await snapshot();
    await expect(
      addProduct(t.db, contosoProduct({ skuId: "x", monthlyPriceMinor: -5 })),
    ).rejects.toMatchObject({
      kind: "Invalid",
      code: "PRODUCT_INVALID",
      details: { field: "skuId" },
    });
    expect(await snapshot()).toEqual(before);
  });
});
