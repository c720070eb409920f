import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CONTOSO_SKU_ID,
  contosoProduct,
  SEEDED_PART_NUMBERS,
} from "../../../test/catalog-fixtures.js";
import { runTenantry, storeEnv } from "../../../test/cli-runner.js";
import { createTestDatabase, TEST_ENGINES, type TestDatabase } from "../../../test/test-context.js";

describe.each(TEST_ENGINES)("tenantry products on %s", (engine) => {
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    env = storeEnv(database);
  });
  afterAll(async () => {
    await database.drop();
  });

  let files = 0;
  /** Writes a product file into the test's data directory and returns its path. */
  function productFile(content: unknown): string {
    files += 1;
    const file = path.join(database.dataDir, `product-${files}.json`);
    fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
    return file;
  }

  async function listJson(): Promise<{ skuId: string; skuPartNumber: string }[]> {
    const result = await runTenantry(["products", "list", "--json"], env);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout);
  }

  it("lists the seeded catalog as JSON with --json", async () => {
    const products = await listJson();
    expect(products.map((p) => p.skuPartNumber)).toEqual(SEEDED_PART_NUMBERS);
  });

  it("lists the catalog as a table for people, prices in whole units and cents", async () => {
    const result = await runTenantry(["products", "list"], env);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^PART NUMBER\s+SKU ID\s+MONTHLY/);
    const standard = lines.find((l) => l.startsWith("O365_BUSINESS_PREMIUM "));
    expect(standard).toContain("12.50 USD");
    expect(standard).toContain("150.00 USD");
    expect(standard).toContain("Microsoft 365 Business Standard / Microsoft 365 商业标准版");
  });

  it("adds a product from a file, prints it, and lists it afterwards", async () => {
    const result = await runTenantry(
      ["products", "add", "--file", productFile(contosoProduct())],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      outcome: "added",
      product: { skuId: CONTOSO_SKU_ID, skuPartNumber: "CONTOSO_ARCHIVE" },
    });
    expect(result.stderr).toContain("Added CONTOSO_ARCHIVE");
    expect((await listJson()).map((p) => p.skuId)).toContain(CONTOSO_SKU_ID);
  });

  it("refuses a duplicate skuId with a clear message and changes nothing", async () => {
    const before = await listJson();
    const file = productFile(
      contosoProduct({ skuPartNumber: "CONTOSO_OTHER", monthlyPriceMinor: 1 }),
    );
    const result = await runTenantry(["products", "add", "--file", file], env);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("tenantry: PRODUCT_SKU_ID_TAKEN:");
    expect(result.stderr).toContain("--replace");
    expect(await listJson()).toEqual(before);
  });

  it("refuses a part number another product holds, with exit code 3", async () => {
    const file = productFile(
      contosoProduct({ skuId: "2b7e1f30-1111-4222-8333-944455556666", skuPartNumber: "SPE_E3" }),
    );
    const result = await runTenantry(["products", "add", "--file", file, "--replace"], env);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("tenantry: PRODUCT_PART_NUMBER_TAKEN:");
  });

  it("replaces an existing product with --replace", async () => {
    const file = productFile(contosoProduct({ monthlyPriceMinor: 500, annualPriceMinor: 6000 }));
    const result = await runTenantry(["products", "add", "--file", file, "--replace"], env);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      outcome: "replaced",
      product: { monthlyPriceMinor: 500, annualPriceMinor: 6000 },
    });
  });

  it.each([
    [
      "a skuId that is not a GUID",
      contosoProduct({ skuId: "archive" }),
      "PRODUCT_INVALID",
      "skuId",
    ],
    [
      "a part number in lower case",
      contosoProduct({ skuPartNumber: "archive" }),
      "PRODUCT_INVALID",
      "skuPartNumber",
    ],
    [
      "a price with a fraction of a cent",
      contosoProduct({ monthlyPriceMinor: 12.5 }),
      "PRODUCT_INVALID",
      "monthlyPriceMinor",
    ],
    ["a file that is not JSON", "{ skuId: ", "PRODUCT_FILE_INVALID", "JSON"],
  ])("refuses %s with exit code 2 and changes nothing", async (_, content, code, words) => {
    const before = await listJson();
    const result = await runTenantry(["products", "add", "--file", productFile(content)], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`tenantry: ${code}:`);
    expect(result.stderr).toContain(words);
    expect(await listJson()).toEqual(before);
  });

  it("refuses a missing file with exit code 2", async () => {
    const missing = path.join(database.dataDir, "no-such-product.json");
    const result = await runTenantry(["products", "add", "--file", missing], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("tenantry: PRODUCT_FILE_UNREADABLE:");
  });

  it("reports failures as JSON on stdout with --json", async () => {
    const file = productFile(contosoProduct({ currency: "dollars" }));
    const result = await runTenantry(["products", "add", "--file", file, "--json"], env);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: "PRODUCT_INVALID" } });
  });
});
