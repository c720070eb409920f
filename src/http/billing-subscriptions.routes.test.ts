import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCard } from "../../test/billing-payment-fixtures.js";
import { BUSINESS_STANDARD } from "../../test/catalog-fixtures.js";
import { buy, commerceScheduler, snapshotCommerce } from "../../test/commerce-fixtures.js";
import {
  auditActions,
  createTenantWithAdmin,
  createUserWithRoles,
  OPERATOR,
  type TenantFixture,
} from "../../test/directory-fixtures.js";
import { bearerFor, buildTestServer } from "../../test/http-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { cancelSubscription } from "../commerce/index.js";
import type { Scheduler } from "../scheduler/index.js";
import { DAY, HOUR } from "../shared/clock.js";

/** Issue 5: /v1.0/billing/subscriptions over real HTTP, on both engines. */
describe.each(TEST_ENGINES)("/v1.0/billing/subscriptions on %s", (engine) => {
  let t: TestContext;
  let app: FastifyInstance;
  let scheduler: Scheduler;
  let org: TenantFixture;
  let billingAdminId: string;

  beforeAll(async () => {
    t = await createTestContext(engine, { config: { deprovisionDelayMs: 72 * HOUR } });
    app = await buildTestServer(t);
    scheduler = commerceScheduler(t);
    org = await createTenantWithAdmin(t);
    await addCard(t, org.tenantId);
    const billing = await createUserWithRoles(t, org, "billing", ["billingAdministrator"]);
    billingAdminId = billing.user.id;
  });
  afterAll(async () => {
    await scheduler.stop();
    await app.close();
    await t.close();
  });

  async function call(method: "GET" | "POST" | "PATCH" | "DELETE", url: string, payload?: object) {
    // A session issued now: tests move the clock by days, past a session's lifetime.
    const headers = await bearerFor(t, org.tenantId, billingAdminId);
    const response = await app.inject({
      method,
      url,
      headers,
      ...(payload === undefined ? {} : { payload }),
    });
    return { status: response.statusCode, body: response.json(), raw: response.body };
  }

  const purchase = {
    skuPartNumber: BUSINESS_STANDARD.skuPartNumber,
    quantity: 5,
    term: "monthly",
    billingModel: "direct",
  };

  /** The request answers `status` with Tenantry's `code`, and no row of the tenant changes. */
  async function expectRefused(
    request: () => Promise<{ status: number; body: { error?: Record<string, unknown> } }>,
    status: number,
    code?: string,
  ) {
    const before = await snapshotCommerce(t, org.tenantId);
    const audit = await auditActions(t, org.tenantId);
    const { status: actual, body } = await request();
    expect(actual, JSON.stringify(body)).toBe(status);
    expect(body.error?.code).toBe(status === 400 ? "Request_BadRequest" : "Request_Conflict");
    if (code) expect(body.error?.details).toMatchObject([{ code }]);
    expect(await snapshotCommerce(t, org.tenantId)).toEqual(before);
    expect(await auditActions(t, org.tenantId)).toEqual(audit);
    return body.error ?? {};
  }

  it("buys a subscription: 201 with the subscription and its first invoice", async () => {
    const { status, body } = await call("POST", "/v1.0/billing/subscriptions", purchase);
    expect(status).toBe(201);
    expect(body).toEqual({
      "@odata.context": "http://localhost:80/v1.0/$metadata#billing/subscriptions/$entity",
      id: expect.any(String),
      skuId: BUSINESS_STANDARD.skuId,
      skuPartNumber: BUSINESS_STANDARD.skuPartNumber,
      quantity: 5,
      billingModel: "direct",
      term: "monthly",
      status: "active",
      isTrial: false,
      autoRenew: true,
      startDateTime: t.clock.now().toISOString(),
      currentPeriodStartDateTime: t.clock.now().toISOString(),
      currentPeriodEndDateTime: "2026-02-15T09:00:00.000Z",
      nextLifecycleDateTime: "2026-02-15T09:00:00.000Z",
      cancelledDateTime: null,
      cancellationReason: null,
      cancellationFeedback: null,
      markedForDeletionDateTime: null,
      deprovisionDateTime: null,
      paymentMethodId: null,
      createdDateTime: t.clock.now().toISOString(),
      invoiceId: expect.any(String),
    });
    const invoice = await call("GET", `/v1.0/billing/invoices/${body.invoiceId}`);
    expect(invoice.body).toMatchObject({ status: "paid", totalMinor: 6_250 });
  });

  it("starts a trial without an invoice", async () => {
    const { status, body } = await call("POST", "/v1.0/billing/subscriptions", {
      ...purchase,
      quantity: 3,
      trial: true,
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({ isTrial: true, autoRenew: false, invoiceId: null });
  });

  it("lists subscriptions as a Graph collection with $top paging and $select", async () => {
    await buy(t, org.tenantId);
    await buy(t, org.tenantId);
    const first = await call("GET", "/v1.0/billing/subscriptions?$top=1&$select=status,quantity");
    expect(first.status).toBe(200);
    expect(first.body["@odata.context"]).toBe(
      "http://localhost:80/v1.0/$metadata#billing/subscriptions(status,quantity)",
    );
    expect(Object.keys(first.body.value[0]).sort()).toEqual(["id", "quantity", "status"]);
    const next = first.body["@odata.nextLink"] as string;
    expect(next).toMatch(/\$top=1&\$select=status,quantity&\$skiptoken=/);
    const second = await call("GET", next.replace("http://localhost:80", ""));
    expect(second.body.value[0].id).not.toBe(first.body.value[0].id);
    const all = await call("GET", "/v1.0/billing/subscriptions");
    expect(all.body.value.length).toBeGreaterThanOrEqual(3);
    expect(all.body["@odata.nextLink"]).toBeUndefined();
  });

  it("reads one subscription, with $select", async () => {
    const { subscription } = await buy(t, org.tenantId);
    const { status, body } = await call(
      "GET",
      `/v1.0/billing/subscriptions/${subscription.id}?$select=autoRenew`,
    );
    expect(status).toBe(200);
    expect(body).toEqual({
      "@odata.context":
        "http://localhost:80/v1.0/$metadata#billing/subscriptions(autoRenew)/$entity",
      id: subscription.id,
      autoRenew: true,
    });
    const unknown = await call(
      "GET",
      `/v1.0/billing/subscriptions/${subscription.id}?$select=price`,
    );
    expect(unknown.status).toBe(400);
  });

  it("changes the seats: 200 with the prorated invoice of the new seats", async () => {
    const { subscription } = await buy(t, org.tenantId);
    const { status, body } = await call("PATCH", `/v1.0/billing/subscriptions/${subscription.id}`, {
      quantity: 7,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ quantity: 7, invoiceId: expect.any(String) });
  });

  it("cancels now, deletes with ?confirm=true, and reactivates before the deprovisioning", async () => {
    const { subscription } = await buy(t, org.tenantId);
    const url = `/v1.0/billing/subscriptions/${subscription.id}`;
    const cancelled = await call("POST", `${url}/cancel`, {
      reason: "too_complex",
      feedback: "Too many settings.",
      when: "now",
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      status: "disabled",
      cancellationReason: "too_complex",
      cancellationFeedback: "Too many settings.",
    });
    await expectRefused(() => call("DELETE", url), 400, "CONFIRMATION_REQUIRED");
    const deleted = await call("DELETE", `${url}?confirm=true`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({
      status: "disabled",
      markedForDeletionDateTime: t.clock.now().toISOString(),
      deprovisionDateTime: new Date(t.clock.now().getTime() + 72 * HOUR).toISOString(),
    });
    const back = await call("POST", `${url}/reactivate`);
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({
      status: "active",
      markedForDeletionDateTime: null,
      invoiceId: expect.any(String),
    });
  });

  it('deletes with a {"confirm": true} body; the deprovisioned subscription stays readable', async () => {
    const { subscription } = await buy(t, org.tenantId);
    await cancelSubscription(t, OPERATOR, org.tenantId, subscription.id, {
      reason: "unused",
      when: "now",
    });
    const url = `/v1.0/billing/subscriptions/${subscription.id}`;
    expect((await call("DELETE", url, { confirm: true })).status).toBe(200);
    t.clock.advance(72 * HOUR);
    await scheduler.runDueJobs();
    expect((await call("GET", url)).body).toMatchObject({
      status: "deprovisioned",
      nextLifecycleDateTime: null,
    });
    const error = await expectRefused(
      () => call("POST", `${url}/cancel`, { reason: "other", when: "now" }),
      409,
      "SUBSCRIPTION_DEPROVISIONED",
    );
    expect(error.message).toContain("contact support");
    expect(error.info).toMatchObject({ remedy: { action: "contactSupport" } });
    await expectRefused(
      () => call("POST", `${url}/reactivate`, {}),
      409,
      "SUBSCRIPTION_DEPROVISIONED",
    );
  });

  describe("bad input answers 400 and changes nothing", () => {
    it("an unknown SKU", async () => {
      const error = await expectRefused(
        () => call("POST", "/v1.0/billing/subscriptions", { ...purchase, skuPartNumber: "NOPE" }),
        400,
        "SKU_UNKNOWN",
      );
      expect(error.details).toEqual([
        expect.objectContaining({ code: "SKU_UNKNOWN", target: "skuPartNumber" }),
      ]);
    });

    it.each([
      ["a negative quantity", { quantity: -1 }],
      ["zero seats", { quantity: 0 }],
      ["a fractional quantity", { quantity: 1.5 }],
      ["a quantity as text", { quantity: "5" }],
      ["an unknown term", { term: "weekly" }],
      ["an unknown billing model", { billingModel: "barter" }],
      ["a missing part number", { skuPartNumber: undefined }],
    ])("a purchase with %s", async (_, change) => {
      await expectRefused(
        () => call("POST", "/v1.0/billing/subscriptions", { ...purchase, ...change }),
        400,
      );
    });

    it("an unknown cancellation reason, and feedback over 2,000 characters", async () => {
      const { subscription } = await buy(t, org.tenantId);
      const url = `/v1.0/billing/subscriptions/${subscription.id}/cancel`;
      await expectRefused(() => call("POST", url, { reason: "bored", when: "now" }), 400);
      await expectRefused(
        () => call("POST", url, { reason: "other", feedback: "x".repeat(2001), when: "now" }),
        400,
      );
      await expectRefused(() => call("POST", url, { reason: "other", when: "later" }), 400);
    });

    it("a PATCH with nothing to change or a negative quantity", async () => {
      const { subscription } = await buy(t, org.tenantId);
      const url = `/v1.0/billing/subscriptions/${subscription.id}`;
      await expectRefused(() => call("PATCH", url, {}), 400);
      await expectRefused(() => call("PATCH", url, { quantity: -3 }), 400);
    });
  });

  describe("refusals answer 409 with the reason and what to do", () => {
    it("deleting an active subscription: cancel it first", async () => {
      const { subscription } = await buy(t, org.tenantId);
      const error = await expectRefused(
        () => call("DELETE", `/v1.0/billing/subscriptions/${subscription.id}?confirm=true`),
        409,
        "SUBSCRIPTION_ACTIVE",
      );
      expect(error.info).toMatchObject({ remedy: { action: "cancelFirst" } });
    });

    it("cancelling an agreement subscription now after 7 days: the date its term ends", async () => {
      const { subscription } = await buy(t, org.tenantId, { billingModel: "agreement" });
      t.clock.advance(8 * DAY);
      const end = subscription.periodEndAt.toISOString();
      const error = await expectRefused(
        () =>
          call("POST", `/v1.0/billing/subscriptions/${subscription.id}/cancel`, {
            reason: "too_expensive",
            when: "now",
          }),
        409,
        "CANCEL_WINDOW_CLOSED",
      );
      expect(error.message).toContain(end.slice(0, 10));
      expect(error.info).toMatchObject({
        subscriptionId: subscription.id,
        remedy: { action: "cancelAtRenewal", date: end },
      });
    });
  });

  it("answers 404 for an id that is not one of the organization's subscriptions", async () => {
    const { status, body } = await call("GET", "/v1.0/billing/subscriptions/not-a-subscription");
    expect(status).toBe(404);
    expect(body.error.details).toMatchObject([{ code: "SUBSCRIPTION_NOT_FOUND" }]);
  });

  it("refuses a User Administrator: 403", async () => {
    const users = await createUserWithRoles(t, org, "licenses", ["userAdministrator"]);
    const response = await app.inject({
      method: "GET",
      url: "/v1.0/billing/subscriptions",
      headers: await bearerFor(t, org.tenantId, users.user.id),
    });
    expect(response.statusCode).toBe(403);
  });
});
