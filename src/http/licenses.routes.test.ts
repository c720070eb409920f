import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditActions,
  createTenantWithAdmin,
  createUserWithRoles,
  OPERATOR,
  type TenantFixture,
} from "../../test/directory-fixtures.js";
import { bearerFor, buildTestServer } from "../../test/http-fixtures.js";
import {
  assignmentKeys,
  BUSINESS_STANDARD,
  E3,
  insertSubscription,
} from "../../test/license-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { deleteUser, type RoleName } from "../directory/index.js";
import { licenseDetailsId } from "./graph-license.js";

const SKU = BUSINESS_STANDARD.skuId;
const PLAN = BUSINESS_STANDARD.exchangePlanId;
const CONTEXT = "http://localhost:80/v1.0/$metadata#";

describe.each(TEST_ENGINES)("licensing routes on %s", (engine) => {
  let t: TestContext;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await createTestContext(engine);
    app = await buildTestServer(t);
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  /** A tenant with 2 active seats of Business Standard, a plain user and the admin's token. */
  async function setUp() {
    const org = await createTenantWithAdmin(t);
    const subscriptionId = await insertSubscription(t, org.tenantId, { skuId: SKU, quantity: 2 });
    const { user } = await createUserWithRoles(t, org, "ada");
    const headers = await bearerFor(t, org.tenantId, org.admin.id);
    return { org, subscriptionId, user, headers };
  }

  function assign(
    headers: Record<string, string>,
    userRef: string,
    payload: unknown = { addLicenses: [{ skuId: SKU, disabledPlans: [] }], removeLicenses: [] },
  ) {
    return app.inject({
      method: "POST",
      url: `/v1.0/users/${userRef}/assignLicense`,
      headers,
      payload: payload as object,
    });
  }

  function get(headers: Record<string, string>, url: string) {
    return app.inject({ method: "GET", url, headers });
  }

  async function memberHeaders(org: TenantFixture, alias: string, roles: RoleName[] = []) {
    const { user } = await createUserWithRoles(t, org, alias, roles);
    return bearerFor(t, org.tenantId, user.id);
  }

  it("assigns a license: 200 with the user in Graph's shape and its assignedLicenses", async () => {
    const { user, headers } = await setUp();
    const payload = { addLicenses: [{ skuId: SKU, disabledPlans: [PLAN] }], removeLicenses: [] };
    const response = await assign(headers, user.userPrincipalName, payload);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      "@odata.context": `${CONTEXT}users/$entity`,
      id: user.id,
      userPrincipalName: user.userPrincipalName,
      businessPhones: [],
      assignedLicenses: [{ disabledPlans: [PLAN], skuId: SKU }],
    });
  });

  it("removes a license with removeLicenses", async () => {
    const { org, user, headers } = await setUp();
    await assign(headers, user.id);
    const response = await assign(headers, user.id, { addLicenses: [], removeLicenses: [SKU] });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().assignedLicenses).toEqual([]);
    expect(await assignmentKeys(t, org.tenantId)).toEqual([]);
  });

  it.each([
    ["no removeLicenses", { addLicenses: [] }],
    ["no addLicenses", { removeLicenses: [] }],
    ["a skuId that is not a GUID", { addLicenses: [{ skuId: "E3" }], removeLicenses: [] }],
    ["a negative or numeric skuId", { addLicenses: [{ skuId: -1 }], removeLicenses: [] }],
    [
      "disabledPlans that are not GUIDs",
      { addLicenses: [{ skuId: SKU, disabledPlans: ["x"] }], removeLicenses: [] },
    ],
    ["removeLicenses as a string", { addLicenses: [], removeLicenses: SKU }],
  ])("answers 400 Request_BadRequest to a body with %s, changing nothing", async (_, payload) => {
    const { org, user, headers } = await setUp();
    const response = await assign(headers, user.id, payload);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().error.code).toBe("Request_BadRequest");
    expect(await assignmentKeys(t, org.tenantId)).toEqual([]);
  });

  it("answers 400 naming the SKU for one the organization has no subscription of", async () => {
    const { org, user, headers } = await setUp();
    const payload = { addLicenses: [{ skuId: E3.skuId }], removeLicenses: [] };
    const response = await assign(headers, user.id, payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: "Request_BadRequest",
      details: [{ code: "LICENSE_SKU_NOT_SUBSCRIBED" }],
    });
    expect(response.json().error.message).toContain(E3.skuPartNumber);
    expect(await assignmentKeys(t, org.tenantId)).toEqual([]);
  });

  it("answers 409 with the counts when every active seat is taken", async () => {
    const { org, user, headers } = await setUp();
    for (const alias of ["bob", "cy"]) {
      const { user: other } = await createUserWithRoles(t, org, alias);
      expect((await assign(headers, other.id)).statusCode).toBe(200);
    }
    const response = await assign(headers, user.id);
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({
      code: "Request_Conflict",
      details: [{ code: "LICENSE_SEATS_EXHAUSTED" }],
      info: { skuId: SKU, enabled: 2, consumed: 2 },
    });
  });

  it("refuses a Billing Administrator (403) and lets a User Administrator assign", async () => {
    const { org, user } = await setUp();
    const billing = await memberHeaders(org, "billing", ["billingAdministrator"]);
    const denied = await assign(billing, user.id);
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe("Authorization_RequestDenied");
    expect(await assignmentKeys(t, org.tenantId)).toEqual([]);
    const ua = await memberHeaders(org, "useradmin", ["userAdministrator"]);
    expect((await assign(ua, user.id)).statusCode).toBe(200);
    expect(await auditActions(t, org.tenantId)).toContain("license.assign");
  });

  it("answers 404 for another tenant's user and changes nothing", async () => {
    const { headers } = await setUp();
    const other = await setUp();
    const response = await assign(headers, other.user.id);
    expect(response.statusCode).toBe(404);
    expect(response.json().error.details[0].code).toBe("USER_NOT_FOUND");
    expect(await assignmentKeys(t, other.org.tenantId)).toEqual([]);
  });

  it("lists a user's licenseDetails with plans turned off as Disabled, and $select", async () => {
    const { user, headers } = await setUp();
    await assign(headers, user.id, {
      addLicenses: [{ skuId: SKU, disabledPlans: [PLAN] }],
      removeLicenses: [],
    });
    const response = await get(headers, `/v1.0/users/${user.id}/licenseDetails`);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body["@odata.context"]).toBe(`${CONTEXT}users('${user.id}')/licenseDetails`);
    expect(body.value).toHaveLength(1);
    const [detail] = body.value;
    expect(detail).toMatchObject({
      id: licenseDetailsId(user.id, SKU),
      skuId: SKU,
      skuPartNumber: BUSINESS_STANDARD.skuPartNumber,
    });
    expect(detail.servicePlans).toHaveLength(BUSINESS_STANDARD.planCount);
    expect(detail.servicePlans).toContainEqual({
      servicePlanId: PLAN,
      servicePlanName: "EXCHANGE_S_STANDARD",
      provisioningStatus: "Disabled",
      appliesTo: "User",
    });
    const selected = await get(headers, `/v1.0/users/${user.id}/licenseDetails?$select=skuId`);
    expect(selected.json().value).toEqual([{ id: detail.id, skuId: SKU }]);
    const me = await get(await bearerFor(t, user.tenantId, user.id), "/v1.0/me/licenseDetails");
    expect(me.json().value).toEqual(body.value);
  });

  it("lists subscribedSkus in Graph's shape for every member, with $select", async () => {
    const { org, user, headers, subscriptionId } = await setUp();
    await assign(headers, user.id);
    const member = await memberHeaders(org, "member");
    const response = await get(member, "/v1.0/subscribedSkus");
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body["@odata.context"]).toBe(`${CONTEXT}subscribedSkus`);
    expect(body.value).toEqual([
      {
        id: `${org.tenantId}_${SKU}`,
        accountId: org.tenantId,
        accountName: `Org ${org.domain}`,
        appliesTo: "User",
        capabilityStatus: "Enabled",
        consumedUnits: 1,
        prepaidUnits: { enabled: 2, suspended: 0, warning: 0, lockedOut: 0 },
        servicePlans: expect.arrayContaining([
          {
            servicePlanId: PLAN,
            servicePlanName: "EXCHANGE_S_STANDARD",
            provisioningStatus: "Success",
            appliesTo: "User",
          },
        ]),
        skuId: SKU,
        skuPartNumber: BUSINESS_STANDARD.skuPartNumber,
        subscriptionIds: [subscriptionId],
      },
    ]);
    const one = await get(
      member,
      `/v1.0/subscribedSkus/${org.tenantId}_${SKU}?$select=skuPartNumber,consumedUnits`,
    );
    expect(one.json()).toEqual({
      "@odata.context": `${CONTEXT}subscribedSkus(skuPartNumber,consumedUnits)/$entity`,
      id: `${org.tenantId}_${SKU}`,
      consumedUnits: 1,
      skuPartNumber: BUSINESS_STANDARD.skuPartNumber,
    });
  });

  it("refuses $filter and unknown $select properties with 400, as Graph does", async () => {
    const { headers } = await setUp();
    for (const url of [
      "/v1.0/subscribedSkus?$filter=skuId eq 'x'",
      "/v1.0/subscribedSkus?$select=price",
      "/v1.0/directory/subscriptions?$select=nope",
    ]) {
      const response = await get(headers, url);
      expect(response.statusCode, url).toBe(400);
      expect(response.json().error.code).toBe("Request_BadRequest");
    }
  });

  it("answers 404 for a subscribedSku id of another tenant or SKU", async () => {
    const { headers } = await setUp();
    const other = await setUp();
    for (const id of [`${other.org.tenantId}_${SKU}`, "nonsense"]) {
      const response = await get(headers, `/v1.0/subscribedSkus/${id}`);
      expect(response.statusCode).toBe(404);
      expect(response.json().error.details[0].code).toBe("SUBSCRIBED_SKU_NOT_FOUND");
    }
  });

  it("lists directory/subscriptions as companySubscriptions and reads one by id or commerce id", async () => {
    const { org, subscriptionId, headers } = await setUp();
    const disabled = await insertSubscription(t, org.tenantId, {
      skuId: E3.skuId,
      quantity: 4,
      status: "disabled",
    });
    const response = await get(headers, "/v1.0/directory/subscriptions");
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body["@odata.context"]).toBe(`${CONTEXT}directory/subscriptions`);
    expect(body.value.map((s: { id: string; status: string }) => [s.id, s.status])).toEqual([
      [subscriptionId, "Enabled"],
      [disabled, "Suspended"],
    ]);
    expect(body.value[0]).toEqual({
      id: subscriptionId,
      commerceSubscriptionId: subscriptionId,
      createdDateTime: t.clock.now().toISOString(),
      isTrial: false,
      nextLifecycleDateTime: expect.any(String),
      ocpSubscriptionId: subscriptionId,
      ownerId: null,
      ownerTenantId: null,
      ownerType: null,
      serviceStatus: expect.arrayContaining([
        expect.objectContaining({ servicePlanId: PLAN, provisioningStatus: "Success" }),
      ]),
      skuId: SKU,
      skuPartNumber: BUSINESS_STANDARD.skuPartNumber,
      status: "Enabled",
      totalLicenses: 2,
    });
    for (const url of [
      `/v1.0/directory/subscriptions/${disabled}?$select=status,totalLicenses`,
      `/v1.0/directory/subscriptions(commerceSubscriptionId='${disabled}')?$select=status,totalLicenses`,
    ]) {
      const one = await get(headers, url);
      expect(one.statusCode, one.body).toBe(200);
      expect(one.json()).toEqual({
        "@odata.context": `${CONTEXT}directory/subscriptions(status,totalLicenses)/$entity`,
        id: disabled,
        status: "Suspended",
        totalLicenses: 4,
      });
    }
  });

  it("answers 404 for another tenant's subscription", async () => {
    const { headers } = await setUp();
    const other = await setUp();
    const response = await get(headers, `/v1.0/directory/subscriptions/${other.subscriptionId}`);
    expect(response.statusCode).toBe(404);
    expect(response.json().error.details[0].code).toBe("SUBSCRIPTION_NOT_FOUND");
  });

  it("restores a user whose license is now over-assigned and says so in licenseWarnings", async () => {
    const { org, user, headers } = await setUp();
    await assign(headers, user.id);
    await deleteUser(t, OPERATOR, org.tenantId, user.id);
    for (const alias of ["bob", "cy"]) {
      const { user: other } = await createUserWithRoles(t, org, alias);
      expect((await assign(headers, other.id)).statusCode).toBe(200);
    }
    const response = await app.inject({
      method: "POST",
      url: `/v1.0/directory/deletedItems/${user.id}/restore`,
      headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      id: user.id,
      licenseWarnings: [
        { skuId: SKU, skuPartNumber: BUSINESS_STANDARD.skuPartNumber, enabled: 2, consumed: 3 },
      ],
    });
    expect(await assignmentKeys(t, org.tenantId)).toContain(`${user.id}:${SKU}`);
    expect((await auditActions(t, org.tenantId)).slice(-2)).toEqual([
      "user.restore",
      "license.overAssigned",
    ]);
  });

  it("restores a user without licenseWarnings when its licenses fit", async () => {
    const { org, user, headers } = await setUp();
    await assign(headers, user.id);
    await deleteUser(t, OPERATOR, org.tenantId, user.id);
    const response = await app.inject({
      method: "POST",
      url: `/v1.0/directory/deletedItems/${user.id}/restore`,
      headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).not.toHaveProperty("licenseWarnings");
    expect((await auditActions(t, org.tenantId)).at(-1)).toBe("user.restore");
  });
});
