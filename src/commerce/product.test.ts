import { describe, expect, it } from "vitest";
import { type AppError, isAppError } from "../shared/app-error.js";
import { parseProduct } from "./product.js";
import { contosoProduct } from "../../test/catalog-fixtures.js";

function refusal(input: unknown): AppError {
  try {
    parseProduct(input);
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error("parseProduct accepted the input");
}

describe("parseProduct", () => {
  it("normalizes a valid product: trimmed names and a lower-case skuId", () => {
    const product = parseProduct(contosoProduct());
    expect(product.skuId).toBe("7a3f0c1e-95b2-4c8d-9f1e-2b4d6a8c0e11");
    expect(product.displayName).toEqual({ "en-US": "Contoso Archive", "zh-CN": "Contoso 存档" });
    expect(product.trialDays).toBeNull();
  });

  it("treats a missing trialDays as no trial", () => {
    const { trialDays: _, ...input } = contosoProduct();
    expect(parseProduct(input).trialDays).toBeNull();
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ["a skuId that is not a GUID", { skuId: "contoso-archive" }, "skuId"],
    ["a part number in lower case", { skuPartNumber: "contoso_archive" }, "skuPartNumber"],
    ["a part number with a dash", { skuPartNumber: "CONTOSO-ARCHIVE" }, "skuPartNumber"],
    ["a missing zh-CN name", { displayName: { "en-US": "Archive" } }, "displayName.zh-CN"],
    [
      "a blank en-US name",
      { displayName: { "en-US": "  ", "zh-CN": "存档" } },
      "displayName.en-US",
    ],
    [
      "a name in a third language",
      { displayName: { "en-US": "A", "zh-CN": "B", fr: "C" } },
      "displayName.fr",
    ],
    ["a price in dollars with cents", { monthlyPriceMinor: 3.5 }, "monthlyPriceMinor"],
    ["a negative price", { annualPriceMinor: -1 }, "annualPriceMinor"],
    ["a price as text", { monthlyPriceMinor: "350" }, "monthlyPriceMinor"],
    ["a currency in lower case", { currency: "usd" }, "currency"],
    ["a trial of zero days", { trialDays: 0 }, "trialDays"],
    ["service plans that are not a list", { servicePlans: {} }, "servicePlans"],
    [
      "a service plan without an id",
      { servicePlans: [{ servicePlanName: "X", displayName: "X" }] },
      "servicePlans[0].servicePlanId",
    ],
    ["an unknown property", { price: 3 }, "price"],
  ];

  it.each(bad)("refuses %s, naming the field", (_, overrides, field) => {
    const error = refusal(contosoProduct(overrides));
    expect(error.kind).toBe("Invalid");
    expect(error.code).toBe("PRODUCT_INVALID");
    expect(error.details.field).toBe(field);
  });

  it("refuses a service plan listed twice", () => {
    const plan = (contosoProduct().servicePlans as unknown[])[0];
    const error = refusal(contosoProduct({ servicePlans: [plan, plan] }));
    expect(error.details.field).toBe("servicePlans[1].servicePlanId");
  });

  it("refuses what is not an object", () => {
    expect(refusal([]).code).toBe("PRODUCT_INVALID");
    expect(refusal(null).code).toBe("PRODUCT_INVALID");
  });
});
