import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTenantWithAdmin,
  createUserWithRoles,
  expectAppError,
  OPERATOR,
} from "../../test/directory-fixtures.js";
import {
  BUSINESS_STANDARD,
  E3,
  EXCHANGE,
  insertSubscription,
} from "../../test/license-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { deleteUser } from "../directory/index.js";
import { DAY } from "../shared/clock.js";
import {
  getCompanySubscription,
  listCompanySubscriptions,
} from "./company-subscription.service.js";
import { assignLicense } from "./license.service.js";
import { getSubscribedSku, subscribedSkus } from "./subscribed-sku.service.js";

describe.each(TEST_ENGINES)("subscribed SKUs and company subscriptions on %s", (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  it("counts seats by the state of their subscriptions and licenses of live users", async () => {
    const org = await createTenantWithAdmin(t);
    const { user: ada } = await createUserWithRoles(t, org, "ada");
    const { user: bob } = await createUserWithRoles(t, org, "bob");
    const sku = BUSINESS_STANDARD.skuId;
    const first = await insertSubscription(t, org.tenantId, { skuId: sku, quantity: 5 });
    const second = await insertSubscription(t, org.tenantId, {
      skuId: sku,
      quantity: 3,
      status: "expired",
    });
    await insertSubscription(t, org.tenantId, { skuId: sku, quantity: 2, status: "disabled" });
    await insertSubscription(t, org.tenantId, { skuId: sku, quantity: 7, status: "deprovisioned" });
    for (const user of [ada, bob]) {
      await assignLicense(t, org.adminActor, org.tenantId, user.id, {
        addLicenses: [{ skuId: sku }],
        removeLicenses: [],
      });
    }
    await deleteUser(t, OPERATOR, org.tenantId, bob.id);

    const [only, ...rest] = await subscribedSkus(t, org.adminActor, org.tenantId);
    expect(rest).toEqual([]);
    expect(only).toMatchObject({
      tenantId: org.tenantId,
      accountName: `Org ${org.domain}`,
      skuId: sku,
      skuPartNumber: BUSINESS_STANDARD.skuPartNumber,
      capabilityStatus: "Enabled",
      consumedUnits: 1,
      prepaidUnits: { enabled: 5, warning: 3, suspended: 2, lockedOut: 0 },
    });
    expect(only?.subscriptionIds).toHaveLength(4);
    expect(only?.subscriptionIds.slice(0, 2)).toEqual([first, second]);
    expect(only?.servicePlans).toHaveLength(BUSINESS_STANDARD.planCount);
  });

  it("reads Warning, Suspended and Deleted from the best state a SKU still has seats in", async () => {
    const org = await createTenantWithAdmin(t);
    await insertSubscription(t, org.tenantId, {
      skuId: BUSINESS_STANDARD.skuId,
      quantity: 4,
      status: "expired",
    });
    await insertSubscription(t, org.tenantId, {
      skuId: BUSINESS_STANDARD.skuId,
      quantity: 1,
      status: "disabled",
    });
    await insertSubscription(t, org.tenantId, { skuId: E3.skuId, quantity: 6, status: "disabled" });
    await insertSubscription(t, org.tenantId, {
      skuId: EXCHANGE.skuId,
      quantity: 2,
      status: "deprovisioned",
    });
    const skus = await subscribedSkus(t, org.adminActor, org.tenantId);
    expect(skus.map((s) => [s.skuPartNumber, s.capabilityStatus, s.prepaidUnits])).toEqual([
      ["ENTERPRISEPACK", "Suspended", { enabled: 0, warning: 0, suspended: 6, lockedOut: 0 }],
      ["EXCHANGESTANDARD", "Deleted", { enabled: 0, warning: 0, suspended: 0, lockedOut: 0 }],
      ["O365_BUSINESS_PREMIUM", "Warning", { enabled: 0, warning: 4, suspended: 1, lockedOut: 0 }],
    ]);
  });

  it("lists nothing for an organization that never had a subscription", async () => {
    const org = await createTenantWithAdmin(t);
    expect(await subscribedSkus(t, org.adminActor, org.tenantId)).toEqual([]);
    expect(await listCompanySubscriptions(t, org.adminActor, org.tenantId)).toEqual([]);
  });

  it("finds one subscribed SKU by {tenantId}_{skuId}, for every member", async () => {
    const org = await createTenantWithAdmin(t);
    const { actor: member } = await createUserWithRoles(t, org, "member");
    await insertSubscription(t, org.tenantId, { skuId: E3.skuId, quantity: 2 });
    const sku = await getSubscribedSku(t, member, org.tenantId, `${org.tenantId}_${E3.skuId}`);
    expect(sku).toMatchObject({ skuId: E3.skuId, prepaidUnits: { enabled: 2 } });
    for (const id of [`${org.tenantId}_${EXCHANGE.skuId}`, E3.skuId, `other_${E3.skuId}`]) {
      await expectAppError(
        getSubscribedSku(t, member, org.tenantId, id),
        "SUBSCRIBED_SKU_NOT_FOUND",
        "NotFound",
      );
    }
  });

  it("hides one organization's SKUs and subscriptions from another", async () => {
    const org = await createTenantWithAdmin(t);
    const other = await createTenantWithAdmin(t);
    const id = await insertSubscription(t, org.tenantId, { skuId: E3.skuId, quantity: 2 });
    const skuId = `${org.tenantId}_${E3.skuId}`;
    await expectAppError(
      getSubscribedSku(t, other.adminActor, org.tenantId, skuId),
      "TENANT_NOT_FOUND",
    );
    await expectAppError(
      getSubscribedSku(t, other.adminActor, other.tenantId, skuId),
      "SUBSCRIBED_SKU_NOT_FOUND",
    );
    await expectAppError(
      getCompanySubscription(t, other.adminActor, other.tenantId, id),
      "SUBSCRIPTION_NOT_FOUND",
    );
    expect(await listCompanySubscriptions(t, other.adminActor, other.tenantId)).toEqual([]);
  });

  it("describes each subscription with Graph's status, seats and next lifecycle time", async () => {
    const org = await createTenantWithAdmin(t);
    const states = ["active", "expired", "disabled", "deprovisioned"] as const;
    const ids: string[] = [];
    for (const status of states) {
      ids.push(await insertSubscription(t, org.tenantId, { skuId: E3.skuId, quantity: 3, status }));
    }
    const trial = await insertSubscription(t, org.tenantId, {
      skuId: BUSINESS_STANDARD.skuId,
      quantity: 25,
      isTrial: true,
    });
    const subscriptions = await listCompanySubscriptions(t, org.adminActor, org.tenantId);
    expect(subscriptions.map((s) => [s.id, s.lifecycleStatus, s.status])).toEqual([
      [ids[0], "active", "Enabled"],
      [ids[1], "expired", "Warning"],
      [ids[2], "disabled", "Suspended"],
      [ids[3], "deprovisioned", "Deleted"],
      [trial, "active", "Enabled"],
    ]);
    const one = await getCompanySubscription(t, org.adminActor, org.tenantId, trial);
    expect(one).toMatchObject({
      skuId: BUSINESS_STANDARD.skuId,
      skuPartNumber: BUSINESS_STANDARD.skuPartNumber,
      isTrial: true,
      totalLicenses: 25,
      createdDateTime: t.clock.now(),
      nextLifecycleDateTime: new Date(t.clock.now().getTime() + 30 * DAY),
    });
    expect(one.servicePlans).toHaveLength(BUSINESS_STANDARD.planCount);
    expect(subscriptions[3]?.nextLifecycleDateTime).toBeNull();
  });
});
