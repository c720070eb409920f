import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCard, failingCardInput } from "../../test/billing-payment-fixtures.js";
import { BUSINESS_STANDARD } from "../../test/catalog-fixtures.js";
import {
  BUSINESS_STANDARD_MONTHLY_MINOR,
  buy,
  buyInput,
  buyTrial,
  invoicesOf,
  snapshotCommerce,
} from "../../test/commerce-fixtures.js";
import {
  auditEntries,
  createTenantWithAdmin,
  createUserWithRoles,
  expectAppError,
  expectAuditChainValid,
  type TenantFixture,
} from "../../test/directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { findJob } from "../scheduler/index.js";
import { loadConfig } from "../shared/config.js";
import { JOB_SUBSCRIPTION_LIFECYCLE } from "./commerce-jobs.js";
import { addPaymentMethod } from "./payment-method.service.js";
import { findProductByPartNumber } from "./product.service.js";
import { buySubscription, getSubscription, listSubscriptions } from "./subscription.service.js";
import type { BuySubscriptionInput } from "./subscription-input.js";

/** Issue 5: buying subscriptions (SPEC §3), on both engines. */
describe.each(TEST_ENGINES)("buying subscriptions on %s", (engine) => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  async function orgWithCard(): Promise<TenantFixture> {
    const org = await createTenantWithAdmin(t);
    await addCard(t, org.tenantId);
    return org;
  }

  it("buys an active monthly subscription whose first invoice is charged to the default card", async () => {
    const org = await orgWithCard();
    const { subscription, invoiceId } = await buy(t, org.tenantId, {}, org.adminActor);
    expect(subscription).toMatchObject({
      skuId: BUSINESS_STANDARD.skuId,
      skuPartNumber: BUSINESS_STANDARD.skuPartNumber,
      quantity: 5,
      term: "monthly",
      billingModel: "direct",
      status: "active",
      isTrial: false,
      autoRenew: true,
      startAt: t.clock.now(),
      periodStartAt: t.clock.now(),
      periodEndAt: new Date("2026-02-15T09:00:00.000Z"),
      nextLifecycleAt: new Date("2026-02-15T09:00:00.000Z"),
      paymentMethodId: null,
    });
    const [invoice] = await invoicesOf(t, org.tenantId);
    expect(invoice).toMatchObject({
      id: invoiceId,
      number: 1,
      status: "paid",
      total_minor: 5 * BUSINESS_STANDARD_MONTHLY_MINOR,
      period_start_at: "2026-01-15T09:00:00.000Z",
      period_end_at: "2026-02-15T09:00:00.000Z",
    });
    expect(invoice?.lines).toMatchObject([
      {
        subscription_id: subscription.id,
        kind: "charge",
        quantity: 5,
        amount_minor: 6250,
      },
    ]);
    const job = await findJob(t.db, {
      tenantId: org.tenantId,
      kind: JOB_SUBSCRIPTION_LIFECYCLE,
      key: subscription.id,
    });
    expect(job?.dueAt).toEqual(new Date("2026-02-15T09:00:00.000Z"));
    const entries = await auditEntries(t, org.tenantId);
    expect(entries.map((e) => e.action)).toContain("subscription.buy");
    await expectAuditChainValid(t, org.tenantId);
  });

  it("buys an annual term for a year at the annual price", async () => {
    const org = await orgWithCard();
    const product = await findProductByPartNumber(t.db, BUSINESS_STANDARD.skuPartNumber);
    const { subscription } = await buy(t, org.tenantId, { term: "annual", quantity: 3 });
    expect(subscription.periodEndAt).toEqual(new Date("2027-01-15T09:00:00.000Z"));
    const [invoice] = await invoicesOf(t, org.tenantId);
    expect(invoice?.total_minor).toBe(3 * (product?.annualPriceMinor ?? Number.NaN));
  });

  it("finds the product by part number in any letter case", async () => {
    const org = await orgWithCard();
    const { subscription } = await buy(t, org.tenantId, { skuPartNumber: "o365_business_premium" });
    expect(subscription.skuId).toBe(BUSINESS_STANDARD.skuId);
  });

  it("starts a 30-day trial without a payment method and without an invoice", async () => {
    const org = await createTenantWithAdmin(t);
    const { subscription, invoiceId } = await buyTrial(t, org.tenantId, { quantity: 25 });
    expect(invoiceId).toBeNull();
    expect(subscription).toMatchObject({
      status: "active",
      isTrial: true,
      autoRenew: false,
      periodEndAt: new Date("2026-02-14T09:00:00.000Z"),
    });
    expect(await invoicesOf(t, org.tenantId)).toEqual([]);
  });

  it("keeps a subscription whose first charge is declined active, with its invoice due", async () => {
    const org = await createTenantWithAdmin(t);
    await addPaymentMethod(t, org.adminActor, org.tenantId, failingCardInput());
    const { subscription } = await buy(t, org.tenantId);
    expect(subscription.status).toBe("active");
    const [invoice] = await invoicesOf(t, org.tenantId);
    expect(invoice?.status).toBe("due");
  });

  it("charges the payment method named in the purchase and remembers it for renewals", async () => {
    const org = await orgWithCard();
    const second = await addCard(t, org.tenantId, { last4: "1881", token: "tok_second" });
    const { subscription } = await buy(t, org.tenantId, { paymentMethodId: second.id });
    expect(subscription.paymentMethodId).toBe(second.id);
    const payments = await t.db
      .selectFrom("payment")
      .select(["payment_method_id", "outcome"])
      .where("tenant_id", "=", org.tenantId)
      .execute();
    expect(payments).toEqual([{ payment_method_id: second.id, outcome: "succeeded" }]);
  });

  it("refuses a purchase without a payment method on file, naming what to do", async () => {
    const org = await createTenantWithAdmin(t);
    const before = await snapshotCommerce(t, org.tenantId);
    const error = await expectAppError(buy(t, org.tenantId), "PAYMENT_METHOD_REQUIRED", "Blocked");
    expect(error.details).toMatchObject({ remedy: { action: "addPaymentMethod" } });
    expect(await snapshotCommerce(t, org.tenantId)).toEqual(before);
  });

  const BAD_PURCHASES: [string, Partial<BuySubscriptionInput>, string][] = [
    ["an unknown SKU", { skuPartNumber: "NO_SUCH_SKU" }, "SKU_UNKNOWN"],
    ["zero seats", { quantity: 0 }, "QUANTITY_INVALID"],
    ["a negative quantity", { quantity: -5 }, "QUANTITY_INVALID"],
    ["a fractional quantity", { quantity: 2.5 }, "QUANTITY_INVALID"],
    ["more than 10,000 seats", { quantity: 10_001 }, "QUANTITY_INVALID"],
    ["an unknown term", { term: "weekly" }, "TERM_INVALID"],
    ["an unknown billing model", { billingModel: "barter" }, "BILLING_MODEL_INVALID"],
    [
      "a trial of a product without one",
      { trial: true, skuPartNumber: "ENTERPRISEPACK" },
      "TRIAL_NOT_OFFERED",
    ],
    ["a trial of 26 seats", { trial: true, quantity: 26 }, "TRIAL_SEAT_LIMIT"],
    [
      "another tenant's payment method",
      { paymentMethodId: "0190f0a0-0000-7000-8000-000000000000" },
      "PAYMENT_METHOD_UNKNOWN",
    ],
  ];

  it.each(BAD_PURCHASES)(
    "refuses %s as invalid input and changes nothing",
    async (_, input, code) => {
      const org = await orgWithCard();
      const before = await snapshotCommerce(t, org.tenantId);
      const auditBefore = (await auditEntries(t, org.tenantId)).length;
      await expectAppError(buy(t, org.tenantId, input), code, "Invalid");
      expect(await snapshotCommerce(t, org.tenantId)).toEqual(before);
      expect(await auditEntries(t, org.tenantId)).toHaveLength(auditBefore);
    },
  );

  it("lets a Billing Administrator buy, and refuses a User Administrator", async () => {
    const org = await orgWithCard();
    const billing = await createUserWithRoles(t, org, "billing", ["billingAdministrator"]);
    const users = await createUserWithRoles(t, org, "useradmin", ["userAdministrator"]);
    await buy(t, org.tenantId, {}, billing.actor);
    const before = await snapshotCommerce(t, org.tenantId);
    await expectAppError(buy(t, org.tenantId, {}, users.actor), "INSUFFICIENT_ROLE", "Forbidden");
    await expectAppError(
      listSubscriptions(t, users.actor, org.tenantId, { limit: 10 }),
      "INSUFFICIENT_ROLE",
      "Forbidden",
    );
    expect(await snapshotCommerce(t, org.tenantId)).toEqual(before);
  });

  it("lists the tenant's subscriptions in purchase order, a page at a time", async () => {
    const org = await orgWithCard();
    const first = (await buy(t, org.tenantId)).subscription;
    const second = (await buyTrial(t, org.tenantId)).subscription;
    const third = (await buy(t, org.tenantId, { skuPartNumber: "ENTERPRISEPACK" })).subscription;
    const page = await listSubscriptions(t, org.adminActor, org.tenantId, { limit: 2 });
    expect(page.map((s) => s.id)).toEqual([first.id, second.id]);
    const rest = await listSubscriptions(t, org.adminActor, org.tenantId, {
      limit: 2,
      afterId: second.id,
    });
    expect(rest.map((s) => s.id)).toEqual([third.id]);
    expect(await getSubscription(t, org.adminActor, org.tenantId, third.id)).toEqual(third);
  });

  it("hides another tenant's subscriptions: not found, as for an id that does not exist", async () => {
    const mine = await orgWithCard();
    const theirs = await orgWithCard();
    const { subscription } = await buy(t, theirs.tenantId);
    await expectAppError(
      getSubscription(t, mine.adminActor, mine.tenantId, subscription.id),
      "SUBSCRIPTION_NOT_FOUND",
      "NotFound",
    );
    await expectAppError(
      getSubscription(t, mine.adminActor, theirs.tenantId, subscription.id),
      "TENANT_NOT_FOUND",
      "NotFound",
    );
    await expectAppError(
      buySubscription(t, mine.adminActor, theirs.tenantId, buyInput()),
      "TENANT_NOT_FOUND",
      "NotFound",
    );
  });
});

describe("the deprovision delay setting", () => {
  it("defaults to 72 hours and is set in seconds by TENANTRY_DEPROVISION_DELAY", () => {
    expect(loadConfig({}).deprovisionDelayMs).toBe(72 * 3600 * 1000);
    expect(loadConfig({ TENANTRY_DEPROVISION_DELAY: "60" }).deprovisionDelayMs).toBe(60_000);
  });

  it.each(["-1", "1.5", "soon"])("refuses TENANTRY_DEPROVISION_DELAY=%s", (value) => {
    expect(() => loadConfig({ TENANTRY_DEPROVISION_DELAY: value })).toThrow(
      /TENANTRY_DEPROVISION_DELAY/,
    );
  });
});
