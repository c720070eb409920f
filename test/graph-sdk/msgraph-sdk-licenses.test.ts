import {
  type AccessTokenProvider,
  AllowedHostsValidator,
  BaseBearerTokenAuthenticationProvider,
  type ErrorMappings,
  HttpMethod,
  RequestInformation,
} from "@microsoft/kiota-abstractions";
import {
  createGraphServiceClient,
  GraphRequestAdapter,
  type GraphServiceClient,
} from "@microsoft/msgraph-sdk";
import {
  createSubscribedSkuCollectionResponseFromDiscriminatorValue,
  createSubscribedSkuFromDiscriminatorValue,
  type SubscribedSku,
  type SubscribedSkuCollectionResponse,
} from "@microsoft/msgraph-sdk/models/index.js";
import { createODataErrorFromDiscriminatorValue } from "@microsoft/msgraph-sdk/models/oDataErrors/index.js";
import { createGraphClientFactory } from "@microsoft/msgraph-sdk-core";
import "@microsoft/msgraph-sdk-users";
import "@microsoft/msgraph-sdk-directory";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenantWithAdmin, createUserWithRoles } from "../directory-fixtures.js";
import { bearerFor } from "../http-fixtures.js";
import { BUSINESS_STANDARD, insertSubscription } from "../license-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../test-context.js";
import { type HttpsApi, startHttpsApi } from "./https-fixtures.js";

const ERRORS: ErrorMappings = { XXX: createODataErrorFromDiscriminatorValue };
const SKU = BUSINESS_STANDARD.skuId;
const PLAN = BUSINESS_STANDARD.exchangePlanId;

/**
 * SPEC §3, §7: Graph's official Kiota SDK parses Tenantry's licensing resources — assignLicense,
 * licenseDetails, directory/subscriptions and subscribedSkus (whose request builder lives in a
 * package not installed here, so its requests go through the adapter with the SDK's own models).
 */
describe.each(TEST_ENGINES)("licensing with @microsoft/msgraph-sdk on %s", (engine) => {
  let t: TestContext;
  let api: HttpsApi;
  let adapter: GraphRequestAdapter;
  let client: GraphServiceClient;
  let tenantId: string;
  let userId: string;
  let subscriptionId: string;

  beforeAll(async () => {
    t = await createTestContext(engine);
    const org = await createTenantWithAdmin(t);
    tenantId = org.tenantId;
    userId = (await createUserWithRoles(t, org, "ada")).user.id;
    subscriptionId = await insertSubscription(t, tenantId, { skuId: SKU, quantity: 3 });
    const { authorization } = await bearerFor(t, tenantId, org.admin.id);
    api = await startHttpsApi(t);
    const tokens: AccessTokenProvider = {
      getAuthorizationToken: async () => authorization.replace(/^Bearer /, ""),
      getAllowedHostsValidator: () => new AllowedHostsValidator(new Set(["127.0.0.1"])),
    };
    const http = createGraphClientFactory({ graphServiceTargetVersion: "v1.0" }, api.fetch);
    adapter = new GraphRequestAdapter(
      new BaseBearerTokenAuthenticationProvider(tokens),
      undefined,
      undefined,
      http,
    );
    adapter.baseUrl = `${api.origin}/v1.0`;
    client = createGraphServiceClient(adapter);
  });
  afterAll(async () => {
    await api?.close();
    await t?.close();
  });

  function getRequest(path: string): RequestInformation {
    const request = new RequestInformation(HttpMethod.GET, `{+baseurl}${path}`);
    request.pathParameters.baseurl = adapter.baseUrl;
    request.headers.tryAdd("Accept", "application/json");
    return request;
  }

  it("assigns a license and reads the user's assignedLicenses and licenseDetails", async () => {
    const user = await client.users.byUserId(userId).assignLicense.post({
      addLicenses: [{ skuId: SKU, disabledPlans: [PLAN] }],
      removeLicenses: [],
    });
    expect(user?.id).toBe(userId);
    expect(user?.assignedLicenses).toEqual([
      expect.objectContaining({ skuId: SKU, disabledPlans: [PLAN] }),
    ]);
    const details = await client.users.byUserId(userId).licenseDetails.get();
    const [detail] = details?.value ?? [];
    expect(detail?.skuPartNumber).toBe(BUSINESS_STANDARD.skuPartNumber);
    expect(detail?.skuId).toBe(SKU);
    const exchange = detail?.servicePlans?.find((p) => p.servicePlanId === PLAN);
    expect(exchange?.provisioningStatus).toBe("Disabled");
    expect(exchange?.appliesTo).toBe("User");
  });

  it("reads directory/subscriptions as companySubscriptions, by id and by commerce id", async () => {
    const list = await client.directory.subscriptions.get();
    const [first] = list?.value ?? [];
    expect(first?.id).toBe(subscriptionId);
    expect(first?.status).toBe("Enabled");
    expect(first?.totalLicenses).toBe(3);
    expect(first?.isTrial).toBe(false);
    expect(first?.createdDateTime).toEqual(t.clock.now());
    expect(first?.nextLifecycleDateTime).toBeInstanceOf(Date);
    expect(first?.serviceStatus?.length).toBe(BUSINESS_STANDARD.planCount);
    const byId = await client.directory.subscriptions.byCompanySubscriptionId(subscriptionId).get();
    expect(byId?.skuPartNumber).toBe(BUSINESS_STANDARD.skuPartNumber);
    const byCommerceId = await client.directory
      .subscriptionsWithCommerceSubscriptionId(subscriptionId)
      .get();
    expect(byCommerceId?.commerceSubscriptionId).toBe(subscriptionId);
  });

  it("reads subscribedSkus with the SDK's subscribedSku model", async () => {
    const list = await adapter.send<SubscribedSkuCollectionResponse>(
      getRequest("/subscribedSkus"),
      createSubscribedSkuCollectionResponseFromDiscriminatorValue,
      ERRORS,
    );
    const [sku] = list?.value ?? [];
    expect(sku).toMatchObject({
      id: `${tenantId}_${SKU}`,
      skuId: SKU,
      skuPartNumber: BUSINESS_STANDARD.skuPartNumber,
      capabilityStatus: "Enabled",
      appliesTo: "User",
      prepaidUnits: expect.objectContaining({ enabled: 3, suspended: 0, warning: 0, lockedOut: 0 }),
    });
    expect(sku?.consumedUnits).toBeGreaterThanOrEqual(0);
    const one = await adapter.send<SubscribedSku>(
      getRequest(`/subscribedSkus/${tenantId}_${SKU}`),
      createSubscribedSkuFromDiscriminatorValue,
      ERRORS,
    );
    expect(one?.skuPartNumber).toBe(BUSINESS_STANDARD.skuPartNumber);
  });

  it("surfaces a refused assignment as an ODataError with Graph's code", async () => {
    await expect(
      client.users.byUserId(userId).assignLicense.post({
        addLicenses: [],
        removeLicenses: ["6fd2c87f-b296-42f0-b197-1e91e994b900"],
      }),
    ).rejects.toMatchObject({
      responseStatusCode: 400,
      errorEscaped: expect.objectContaining({ code: "Request_BadRequest" }),
    });
  });
});
