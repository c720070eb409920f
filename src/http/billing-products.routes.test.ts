import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUSINESS_STANDARD, SEEDED_PART_NUMBERS } from "../../test/catalog-fixtures.js";
import {
  createTenantWithAdmin,
  createUserWithRoles,
  OPERATOR,
  type TenantFixture,
} from "../../test/directory-fixtures.js";
import { bearerFor, buildTestServer } from "../../test/http-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { deleteUser } from "../directory/index.js";

const CONTEXT = "http://localhost:80/v1.0/$metadata#billing/products";

describe.each(TEST_ENGINES)("/v1.0/billing/products on %s", (engine) => {
  let t: TestContext;
  let app: FastifyInstance;
  let org: TenantFixture;
  let headers: { authorization: string };
  beforeAll(async () => {
    t = await createTestContext(engine);
    app = await buildTestServer(t);
    org = await createTenantWithAdmin(t);
    // A member without any role: the catalog is readable by every signed-in member.
    const { user } = await createUserWithRoles(t, org, "reader-of-catalog");
    headers = await bearerFor(t, org.tenantId, user.id);
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  function get(url: string, extra: Record<string, string> = {}) {
    return app.inject({ method: "GET", url, headers: { ...headers, ...extra } });
  }

  it("lists the seeded catalog as a Graph collection with skuId, part number and prices", async () => {
    const response = await get("/v1.0/billing/products");
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body["@odata.context"]).toBe(CONTEXT);
    expect(body["@odata.nextLink"]).toBeUndefined();
    expect(body.value.map((p: { skuPartNumber: string }) => p.skuPartNumber)).toEqual(
      SEEDED_PART_NUMBERS,
    );
    const standard = body.value.find((p: { skuId: string }) => p.skuId === BUSINESS_STANDARD.skuId);
    expect(standard).toEqual({
      id: BUSINESS_STANDARD.skuId,
      skuId: BUSINESS_STANDARD.skuId,
      skuPartNumber: "O365_BUSINESS_PREMIUM",
      displayName: "Microsoft 365 Business Standard",
      displayNames: {
        "en-US": "Microsoft 365 Business Standard",
        "zh-CN": "Microsoft 365 商业标准版",
      },
      servicePlans: expect.arrayContaining([
        {
          servicePlanId: "9aaf7827-d63c-4b61-89c3-182f06f82e5c",
          servicePlanName: "EXCHANGE_S_STANDARD",
          displayName: "Exchange Online (Plan 1)",
        },
      ]),
      prices: {
        monthly: { amountMinor: 1250, currency: "USD" },
        annual: { amountMinor: 15000, currency: "USD" },
      },
      trialDays: 30,
    });
    expect(response.headers["content-language"]).toBe("en-US");
  });

  it("names the products in Chinese for Accept-Language zh-CN", async () => {
    const response = await get("/v1.0/billing/products", { "accept-language": "zh-CN,zh;q=0.9" });
    expect(response.headers["content-language"]).toBe("zh-CN");
    expect(response.headers.vary).toContain("Accept-Language");
    const standard = response
      .json()
      .value.find((p: { skuId: string }) => p.skuId === BUSINESS_STANDARD.skuId);
    expect(standard.displayName).toBe("Microsoft 365 商业标准版");
  });

  it("answers $select with the selected properties and always the id", async () => {
    const response = await get("/v1.0/billing/products?$select=skuPartNumber,PRICES");
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body["@odata.context"]).toBe(`${CONTEXT}(skuPartNumber,prices)`);
    for (const product of body.value) {
      expect(Object.keys(product)).toEqual(["id", "skuPartNumber", "prices"]);
    }
  });

  it("pages with $top and a nextLink that leads through the whole catalog", async () => {
    const seen: string[] = [];
    let url: string | undefined = "/v1.0/billing/products?$top=3&$select=skuPartNumber";
    while (url) {
      const response = await get(url);
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json();
      expect(body.value.length).toBeLessThanOrEqual(3);
      seen.push(...body.value.map((p: { skuPartNumber: string }) => p.skuPartNumber));
      url = body["@odata.nextLink"]?.replace("http://localhost:80", "");
    }
    expect(seen).toEqual(SEEDED_PART_NUMBERS);
  });

  it("reads one product by skuId, in any letter case", async () => {
    const response = await get(`/v1.0/billing/products/${BUSINESS_STANDARD.skuId.toUpperCase()}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      "@odata.context": `${CONTEXT}/$entity`,
      skuId: BUSINESS_STANDARD.skuId,
      skuPartNumber: BUSINESS_STANDARD.skuPartNumber,
    });
  });

  it("answers 404 Request_ResourceNotFound for an unknown or malformed skuId", async () => {
    for (const id of ["00000000-0000-0000-0000-000000000000", "O365_BUSINESS_PREMIUM"]) {
      const response = await get(`/v1.0/billing/products/${id}`);
      expect(response.statusCode, response.body).toBe(404);
      expect(response.json().error).toMatchObject({
        code: "Request_ResourceNotFound",
        details: [{ code: "PRODUCT_NOT_FOUND" }],
      });
    }
  });

  it.each([
    ["an unknown $select property", "$select=price"],
    ["a $top of 0", "$top=0"],
    ["a $top that is not a number", "$top=many"],
    ["a $filter the resource does not support", "$filter=trialDays eq 30"],
    ["a forged $skiptoken", "$skiptoken=%27%20or%201%3D1"],
  ])("answers 400 Request_BadRequest to %s", async (_, query) => {
    const response = await get(`/v1.0/billing/products?${query}`);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().error).toMatchObject({
      code: "Request_BadRequest",
      details: [{ code: "ODATA_QUERY_INVALID" }],
    });
  });

  it("answers 401 without a token", async () => {
    const response = await app.inject({ method: "GET", url: "/v1.0/billing/products" });
    expect(response.statusCode).toBe(401);
  });

  it("answers 401 to a token whose user was deleted since", async () => {
    const { user } = await createUserWithRoles(t, org, "leaver");
    const leaver = await bearerFor(t, org.tenantId, user.id);
    await deleteUser(t, OPERATOR, org.tenantId, user.id);
    const response = await app.inject({
      method: "GET",
      url: "/v1.0/billing/products",
      headers: leaver,
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe("InvalidAuthenticationToken");
  });
});
