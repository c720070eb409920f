import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCard, failingCardInput } from "../../test/billing-payment-fixtures.js";
import { BUSINESS_STANDARD } from "../../test/catalog-fixtures.js";
import {
  buy,
  buyTrial,
  commerceScheduler,
  creditsOf,
  invoicesOf,
  snapshotCommerce,
} from "../../test/commerce-fixtures.js";
import {
  auditActions,
  createTenantWithAdmin,
  createUsers,
  expectAppError,
  OPERATOR,
  type TenantFixture,
} from "../../test/directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import type { Scheduler } from "../scheduler/index.js";
import { DAY, HOUR } from "../shared/clock.js";
import { assignLicense } from "./license.service.js";
import { addPaymentMethod } from "./payment-method.service.js";
import { getSubscription } from "./subscription.service.js";
import {
  cancelSubscription,
  changeSubscriptionQuantity,
  deleteSubscription,
  reactivateSubscription,
} from "./subscription-actions.service.js";

/**
 * Issue 5: what a Billing Administrator does to a subscription (SPEC §3) — seats, cancel, delete,
 * reactivate — and every refusal naming what to do, changing nothing. Both engines.
 */
describe.each(TEST_ENGINES)("changing subscriptions on %s", (engine) => {
  let t: TestContext;
  let scheduler: Scheduler;

  beforeAll(async () => {
    t = await createTestContext(engine, { config: { deprovisionDelayMs: 72 * HOUR } });
    scheduler = commerceScheduler(t);
  });
  afterAll(async () => {
    await scheduler.stop();
    await t.close();
  });

  async function orgWithCard(): Promise<TenantFixture> {
    t.clock.set("2026-01-15T09:00:00.000Z");
    const org = await createTenantWithAdmin(t);
    await addCard(t, org.tenantId);
    return org;
  }

  async function expectUnchanged(
    org: TenantFixture,
    change: () => Promise<unknown>,
    code: string,
    kind?: "Invalid" | "Blocked" | "Conflict",
  ) {
    const before = await snapshotCommerce(t, org.tenantId);
    const audit = await auditActions(t, org.tenantId);
    const error = await expectAppError(change(), code, kind);
    expect(await snapshotCommerce(t, org.tenantId)).toEqual(before);
    expect(await auditActions(t, org.tenantId)).toEqual(audit);
    return error;
  }

  describe("cancel", () => {
    it("now: disables a direct subscription at once with a prorated credit for the next invoice", async () => {
      const org = await orgWithCard();
      const { subscription } = await buy(t, org.tenantId);
      t.clock.advance(10 * DAY);
      const cancelled = await cancelSubscription(t, org.adminActor, org.tenantId, subscription.id, {
        reason: "too_expensive",
        feedback: "  We found a cheaper plan.  ",
        when: "now",
      });
      expect(cancelled).toMatchObject({
        status: "disabled",
        autoRenew: false,
        cancelledAt: t.clock.now(),
        cancelReason: "too_expensive",
        cancelFeedback: "We found a cheaper plan.",
        nextLifecycleAt: new Date(t.clock.now().getTime() + 90 * DAY),
      });
      // 6,250 cents × 21 of 31 days = 4,233.87… → 4,233.
      const [credit] = await creditsOf(t, org.tenantId);
      expect(credit).toMatchObject({
        subscription_id: subscription.id,
        amount_minor: 4_233,
        applied_invoice_id: null,
      });
      // The next invoice takes the credit off.
      await buy(t, org.tenantId, { quantity: 10 });
      const invoices = await invoicesOf(t, org.tenantId);
      expect(invoices.at(-1)).toMatchObject({ total_minor: 12_500 - 4_233 });
      expect(invoices.at(-1)?.lines.map((l) => [l.kind, l.amount_minor])).toEqual([
        ["charge", 12_500],
        ["credit", -4_233],
      ]);
      expect(await auditActions(t, org.tenantId)).toContain("subscription.cancel");
    });

    it("at renewal: turns auto-renew off and keeps the subscription active until the term ends", async () => {
      const org = await orgWithCard();
      const { subscription } = await buy(t, org.tenantId);
      const cancelled = await cancelSubscription(t, org.adminActor, org.tenantId, subscription.id, {
        reason: "switched_service",
        when: "renewal",
      });
      expect(cancelled).toMatchObject({
        status: "active",
        autoRenew: false,
        cancelReason: "switched_service",
        cancelFeedback: null,
        nextLifecycleAt: subscription.periodEndAt,
      });
      expect(await creditsOf(t, org.tenantId)).toEqual([]);
    });

    it("agreement: now within 7 days refunds the whole period", async () => {
      const org = await orgWithCard();
      const { subscription } = await buy(t, org.tenantId, { billingModel: "agreement" });
      t.clock.advance(6 * DAY);
      await cancelSubscription(t, org.adminActor, org.tenantId, subscription.id, {
        reason: "unused",
        when: "now",
      });
      expect((await creditsOf(t, org.tenantId)).map((c) => c.amount_minor)).toEqual([6_250]);
    });

    it("agreement: now after 7 days is refused with the term's end, and changes nothing", async () => {
      const org = await orgWithCard();
      const { subscription } = await buy(t, org.tenantId, { billingModel: "agreement" });
      t.clock.advance(8 * DAY);
      const error = await expectUnchanged(
        org,
        () =>
          cancelSubscription(t, org.adminActor, org.tenantId, subscription.id, {
            reason: "unused",
            when: "now",
          }),
        "CANCEL_WINDOW_CLOSED",
        "Blocked",
      );
      expect(error.message).toContain("2026-02-15");
      expect(error.details).toMatchObject({
        remedy: { action: "cancelAtRenewal", date: "2026-02-15T09:00:00.000Z" },
      });
    });

    it("refuses an unknown reason and overlong feedback, changing nothing", async () => {
      const org = await orgWithCard();
      const { subscription } = await buy(t, org.tenantId);
      const cancel = (input: { reason: string; feedback?: string; when: string }) =>
        cancelSubscription(t, org.adminActor, org.tenantId, subscription.id, input);
      await expectUnchanged(
        org,
        () => cancel({ reason: "bored", when: "now" }),
        "CANCELLATION_REASON_INVALID",
        "Invalid",
      );
      await expectUnchanged(
        org,
        () => cancel({ reason: "other", feedback: "x".repeat(2001), when: "now" }),
        "FEEDBACK_TOO_LONG",
        "Invalid",
      );
      await expectUnchanged(
        org,
        () => cancel({ reason: "other", when: "tomorrow" }),
        "CANCEL_WHEN_INVALID",
        "Invalid",
      );
    });

    it("refuses to cancel a deprovisioned subscription, which stays readable, and says to contact support", async () => {
      const org = await orgWithCard();
      const { subscription } = await buy(t, org.tenantId);
      await cancelSubscription(t, org.adminActor, org.tenantId, subscription.id, {
        reason: "unused",
        when: "now",
      });
      await deleteSubscription(t, org.adminActor, org.tenantId, subscription.id, { confirm: true });
      t.clock.advance(72 * HOUR);
      await scheduler.runDueJobs();
      const gone = await getSubscription(t, org.adminActor, org.tenantId, subscription.id);
      expect(gone.status).toBe("deprovisioned");
      const error = await expectUnchanged(
        org,
        () =>
          cancelSubscription(t, org.adminActor, org.tenantId, subscription.id, {
            reason: "unused",
            when: "now",
          }),
        "SUBSCRIPTION_DEPROVISIONED",
        "Blocked",
      );
      expect(error.message).toContain("contact support");
      expect(error.details).toMatchObject({ remedy: { action: "contactSupport" } });
    });
  });

  describe("delete", () => {
    it("refuses an active subscription: cancel it first; changes nothing", async () => {
      const org = await orgWithCard();
      const { subscription } = await buy(t, org.tenantId);
      const error = await expectUnchanged(
        org,
        () =>
          deleteSubscription(t, org.adminActor, org.tenantId, subscription.id, { confirm: true }),
        "SUBSCRIPTION_ACTIVE",
        "Blocked",
      );
      expect(error.message).toContain("Cancel it first");
    });

    it("needs an explicit confirmation", async () => {
      const org = await orgWithCard();
      const { subscription } = await buy(t, org.tenantId);
      await cancelSubscription(t, OPERATOR, org.tenantId, subscription.id, {
        reason: "unused",
        when: "now",
      });
      await expectUnchanged(
        org,
        () =>
          deleteSubscription(t, org.adminActor, org.tenantId, subscription.id, { confirm: false }),
        "CONFIRMATION_REQUIRED",
        "Invalid",
      );
    });

    it("marks a disabled subscription for deletion and deprovisions it after the delay", async () => {
      const org = await orgWithCard();
      const { subscription } = await buy(t, org.tenantId);
      await cancelSubscription(t, OPERATOR, org.tenantId, subscription.id, {
        reason: "unused",
        when: "now",
      });
      const marked = await deleteSubscription(t, org.adminActor, org.tenantId, subscription.id, {
        confirm: true,
      });
      const deprovisionAt = new Date(t.clock.now().getTime() + 72 * HOUR);
      expect(marked).toMatchObject({
        status: "disabled",
        markedForDeletionAt: t.clock.now(),
        deprovisionAt,
        nextLifecycleAt: deprovisionAt,
      });
      t.clock.advance(72 * HOUR - 1000);
      await scheduler.runDueJobs();
      expect((await getSubscription(t, OPERATOR, org.tenantId, subscription.id)).status).toBe(
        "disabled",
      );
      t.clock.advance(1000);
      await scheduler.runDueJobs();
      expect(await getSubscription(t, OPERATOR, org.tenantId, subscription.id)).toMatchObject({
        status: "deprovisioned",
        statusChangedAt: deprovisionAt,
        nextLifecycleAt: null,
      });
    });

    it("is refused while an invoice of the subscription is unpaid, naming the invoice to pay", async () => {
      const org = await createTenantWithAdmin(t);
      await addPaymentMethod(t, OPERATOR, org.tenantId, failingCardInput());
      const { subscription } = await buy(t, org.tenantId);
      await cancelSubscription(t, OPERATOR, org.tenantId, subscription.id, {
        reason: "unused",
        when: "now",
      });
      const error = await expectUnchanged(
        org,
        () =>
          deleteSubscription(t, org.adminActor, org.tenantId, subscription.id, { confirm: true }),
        "INVOICE_UNPAID",
        "Blocked",
      );
      expect(error.message).toContain("pay invoice INV-000001");
      expect(error.details).toMatchObject({
        remedy: { action: "payInvoice", invoiceNumber: "INV-000001" },
      });
    });

    it("refuses an agreement subscription with the day it is deleted automatically", async () => {
      const org = await orgWithCard();
      const { subscription } = await buy(t, org.tenantId, { billingModel: "agreement" });
      await cancelSubscription(t, OPERATOR, org.tenantId, subscription.id, {
        reason: "unused",
        when: "now",
      });
      const disabledAt = t.clock.now();
      const error = await expectUnchanged(
        org,
        () =>
          deleteSubscription(t, org.adminActor, org.tenantId, subscription.id, { confirm: true }),
        "AGREEMENT_DELETE_REFUSED",
        "Blocked",
      );
      const date = new Date(disabledAt.getTime() + 90 * DAY).toISOString();
      expect(error.message).toContain(`deleted automatically on ${date.slice(0, 10)}`);
      expect(error.details).toMatchObject({ remedy: { action: "wait", date } });
    });
  });

  describe("reactivate", () => {
    it("brings back a subscription marked for deletion with a new paid period from now", async () => {
      const org = await orgWithCard();
      const { subscription } = await buy(t, org.tenantId);
      await cancelSubscription(t, OPERATOR, org.tenantId, subscription.id, {
        reason: "unused",
        when: "now",
      });
      await deleteSubscription(t, OPERATOR, org.tenantId, subscription.id, { confirm: true });
      t.clock.advance(HOUR);
      const { subscription: back, invoiceId } = await reactivateSubscription(
        t,
        org.adminActor,
        org.tenantId,
        subscription.id,
      );
      expect(back).toMatchObject({
        status: "active",
        autoRenew: true,
        periodStartAt: t.clock.now(),
        periodEndAt: new Date("2026-02-15T10:00:00.000Z"),
        markedForDeletionAt: null,
        deprovisionAt: null,
        cancelledAt: null,
        cancelReason: null,
      });
      expect((await invoicesOf(t, org.tenantId)).at(-1)).toMatchObject({
        id: invoiceId,
        status: "paid",
      });
      // The old deprovisioning is gone: nothing happens 72 hours later.
      t.clock.advance(72 * HOUR);
      await scheduler.runDueJobs();
      expect((await getSubscription(t, OPERATOR, org.tenantId, subscription.id)).status).toBe(
        "active",
      );
    });

    it("needs a payment method on file", async () => {
      const org = await createTenantWithAdmin(t);
      const { subscription } = await buyTrial(t, org.tenantId);
      await cancelSubscription(t, OPERATOR, org.tenantId, subscription.id, {
        reason: "unused",
        when: "now",
      });
      const error = await expectUnchanged(
        org,
        () => reactivateSubscription(t, org.adminActor, org.tenantId, subscription.id),
        "PAYMENT_METHOD_REQUIRED",
        "Blocked",
      );
      expect(error.details).toMatchObject({ remedy: { action: "addPaymentMethod" } });
    });

    it("converts an active trial into a paid subscription with the card named", async () => {
      const org = await createTenantWithAdmin(t);
      const { subscription } = await buyTrial(t, org.tenantId);
      const card = await addCard(t, org.tenantId);
      t.clock.advance(3 * DAY);
      const { subscription: paid, invoiceId } = await reactivateSubscription(
        t,
        org.adminActor,
        org.tenantId,
        subscription.id,
        { paymentMethodId: card.id },
      );
      expect(paid).toMatchObject({ isTrial: false, autoRenew: true, paymentMethodId: card.id });
      expect(invoiceId).not.toBeNull();
    });

    it("refuses an active paid subscription", async () => {
      const org = await orgWithCard();
      const { subscription } = await buy(t, org.tenantId);
      await expectUnchanged(
        org,
        () => reactivateSubscription(t, org.adminActor, org.tenantId, subscription.id),
        "SUBSCRIPTION_ALREADY_ACTIVE",
        "Conflict",
      );
    });
  });

  describe("seats and auto-renew", () => {
    it("invoices more seats prorated for the rest of the period", async () => {
      const org = await orgWithCard();
      const { subscription } = await buy(t, org.tenantId);
      t.clock.advance(10 * DAY);
      const { subscription: more, invoiceId } = await changeSubscriptionQuantity(
        t,
        org.adminActor,
        org.tenantId,
        subscription.id,
        { quantity: 8 },
      );
      expect(more.quantity).toBe(8);
      // 3 seats × 1,250 cents × 21 / 31 days = 2,540.32… → 2,540.
      const invoice = (await invoicesOf(t, org.tenantId)).at(-1);
      expect(invoice).toMatchObject({ id: invoiceId, total_minor: 2_540, status: "paid" });
      expect(invoice?.period_start_at).toBe("2026-01-25T09:00:00.000Z");
    });

    it("credits fewer seats prorated (direct billing)", async () => {
      const org = await orgWithCard();
      const { subscription } = await buy(t, org.tenantId);
      t.clock.advance(10 * DAY);
      await changeSubscriptionQuantity(t, org.adminActor, org.tenantId, subscription.id, {
        quantity: 2,
      });
      expect((await creditsOf(t, org.tenantId)).map((c) => c.amount_minor)).toEqual([2_540]);
    });

    it("refuses fewer seats than the licenses assigned need, with the numbers", async () => {
      const org = await orgWithCard();
      const { subscription } = await buy(t, org.tenantId);
      const users = await createUsers(t, org, 4, "licensed");
      for (const user of users) {
        await assignLicense(t, OPERATOR, org.tenantId, user.id, {
          addLicenses: [{ skuId: BUSINESS_STANDARD.skuId }],
          removeLicenses: [],
        });
      }
      const error = await expectUnchanged(
        org,
        () =>
          changeSubscriptionQuantity(t, org.adminActor, org.tenantId, subscription.id, {
            quantity: 3,
          }),
        "QUANTITY_BELOW_ASSIGNED",
        "Blocked",
      );
      expect(error.message).toContain("4 licenses");
      expect(error.message).toContain("at least 4 seats, not 3");
      await changeSubscriptionQuantity(t, org.adminActor, org.tenantId, subscription.id, {
        quantity: 4,
      });
    });

    it.each([0, -1, 1.5, 10_001])("refuses %s seats as invalid input", async (quantity) => {
      const org = await orgWithCard();
      const { subscription } = await buy(t, org.tenantId);
      await expectUnchanged(
        org,
        () =>
          changeSubscriptionQuantity(t, org.adminActor, org.tenantId, subscription.id, {
            quantity,
          }),
        "QUANTITY_INVALID",
        "Invalid",
      );
    });

    it("turns auto-renew off and on again", async () => {
      const org = await orgWithCard();
      const { subscription } = await buy(t, org.tenantId);
      const change = (autoRenew: boolean) =>
        changeSubscriptionQuantity(t, org.adminActor, org.tenantId, subscription.id, {
          autoRenew,
        });
      expect((await change(false)).subscription).toMatchObject({
        autoRenew: false,
        cancelledAt: t.clock.now(),
      });
      expect((await change(true)).subscription).toMatchObject({
        autoRenew: true,
        cancelledAt: null,
      });
    });

    it("changes nothing when the seats of a disabled subscription are changed", async () => {
      const org = await orgWithCard();
      const { subscription } = await buy(t, org.tenantId);
      await cancelSubscription(t, OPERATOR, org.tenantId, subscription.id, {
        reason: "unused",
        when: "now",
      });
      await expectUnchanged(
        org,
        () =>
          changeSubscriptionQuantity(t, org.adminActor, org.tenantId, subscription.id, {
            quantity: 6,
          }),
        "SUBSCRIPTION_NOT_ACTIVE",
        "Blocked",
      );
    });
  });
});
