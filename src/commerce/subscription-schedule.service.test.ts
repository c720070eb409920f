import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCard, failingCardInput } from "../../test/billing-payment-fixtures.js";
import { buy, buyTrial, commerceScheduler, invoicesOf } from "../../test/commerce-fixtures.js";
import {
  auditEntries,
  createTenantWithAdmin,
  expectAuditChainValid,
  OPERATOR,
  type TenantFixture,
} from "../../test/directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { findJob, Scheduler } from "../scheduler/index.js";
import { DAY, SECOND } from "../shared/clock.js";
import { commerceJobHandlers } from "./commerce-job-handlers.js";
import { JOB_SUBSCRIPTION_LIFECYCLE } from "./commerce-jobs.js";
import { addPaymentMethod, updatePaymentMethod } from "./payment-method.service.js";
import { getSubscription } from "./subscription.service.js";
import { cancelSubscription, reactivateSubscription } from "./subscription-actions.service.js";

/**
 * Issue 5: the subscription lifecycle over simulated months (SPEC §3) on the durable scheduler,
 * driven by the injectable clock, on both engines — including a server down for 100 days.
 */
describe.each(TEST_ENGINES)("subscription lifecycle over months on %s", (engine) => {
  let t: TestContext;
  let scheduler: Scheduler;

  beforeAll(async () => {
    t = await createTestContext(engine);
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

  /** The clock at `iso`, then every job due by then. */
  async function runUntil(iso: string) {
    t.clock.set(iso);
    const result = await scheduler.runDueJobs();
    expect(result.failed).toBe(0);
    return result;
  }

  async function lifecycleAudit(org: TenantFixture) {
    return (await auditEntries(t, org.tenantId))
      .filter((e) => e.actor.type === "system" && e.action.startsWith("subscription."))
      .map((e) => `${e.action} ${String(e.details?.effectiveDateTime)}`);
  }

  it("renews month after month while auto-renew is on, each period with its own paid invoice", async () => {
    const org = await orgWithCard();
    const { subscription } = await buy(t, org.tenantId);
    await runUntil("2026-02-15T08:59:59.000Z");
    expect((await invoicesOf(t, org.tenantId)).length).toBe(1);
    for (const at of [
      "2026-02-15T09:00:00.000Z",
      "2026-03-15T09:00:00.000Z",
      "2026-04-15T09:00:00.000Z",
    ]) {
      await runUntil(at);
    }
    const invoices = await invoicesOf(t, org.tenantId);
    expect(
      invoices.map((i) => [
        i.period_start_at.slice(0, 10),
        i.period_end_at.slice(0, 10),
        i.status,
        i.total_minor,
      ]),
    ).toEqual([
      ["2026-01-15", "2026-02-15", "paid", 6_250],
      ["2026-02-15", "2026-03-15", "paid", 6_250],
      ["2026-03-15", "2026-04-15", "paid", 6_250],
      ["2026-04-15", "2026-05-15", "paid", 6_250],
    ]);
    expect(await getSubscription(t, OPERATOR, org.tenantId, subscription.id)).toMatchObject({
      status: "active",
      periodStartAt: new Date("2026-04-15T09:00:00.000Z"),
      periodEndAt: new Date("2026-05-15T09:00:00.000Z"),
      nextLifecycleAt: new Date("2026-05-15T09:00:00.000Z"),
    });
    await expectAuditChainValid(t, org.tenantId);
  });

  it("walks a cancelled subscription from expired (30 days) to disabled (90 days) to deprovisioned", async () => {
    const org = await orgWithCard();
    const { subscription } = await buy(t, org.tenantId);
    await cancelSubscription(t, OPERATOR, org.tenantId, subscription.id, {
      reason: "missing_features",
      when: "renewal",
    });
    const read = () => getSubscription(t, OPERATOR, org.tenantId, subscription.id);
    await runUntil("2026-02-15T09:00:00.000Z");
    expect(await read()).toMatchObject({
      status: "expired",
      statusChangedAt: new Date("2026-02-15T09:00:00.000Z"),
      nextLifecycleAt: new Date("2026-03-17T09:00:00.000Z"),
    });
    await runUntil("2026-03-17T08:59:59.000Z");
    expect((await read()).status).toBe("expired");
    await runUntil("2026-03-17T09:00:00.000Z");
    expect(await read()).toMatchObject({
      status: "disabled",
      nextLifecycleAt: new Date("2026-06-15T09:00:00.000Z"),
    });
    await runUntil("2026-06-15T09:00:00.000Z");
    expect(await read()).toMatchObject({
      status: "deprovisioned",
      statusChangedAt: new Date("2026-06-15T09:00:00.000Z"),
      nextLifecycleAt: null,
    });
    expect(await invoicesOf(t, org.tenantId)).toHaveLength(1);
    expect(await lifecycleAudit(org)).toEqual([
      "subscription.expire 2026-02-15T09:00:00.000Z",
      "subscription.disable 2026-03-17T09:00:00.000Z",
      "subscription.deprovision 2026-06-15T09:00:00.000Z",
    ]);
    const job = { tenantId: org.tenantId, kind: JOB_SUBSCRIPTION_LIFECYCLE, key: subscription.id };
    expect(await findJob(t.db, job)).toBeUndefined();
  });

  it("catches up after a server was down for 100 days: one renewal per missed period, each invoiced", async () => {
    const org = await orgWithCard();
    const { subscription } = await buy(t, org.tenantId);
    t.clock.advance(100 * DAY); // 2026-04-25: three renewals were missed.
    const result = await scheduler.runDueJobs();
    expect(result).toEqual({ ran: 3, failed: 0 });
    expect(await getSubscription(t, OPERATOR, org.tenantId, subscription.id)).toMatchObject({
      status: "active",
      periodStartAt: new Date("2026-04-15T09:00:00.000Z"),
      periodEndAt: new Date("2026-05-15T09:00:00.000Z"),
    });
    const invoices = await invoicesOf(t, org.tenantId);
    expect(invoices.map((i) => i.period_start_at)).toEqual([
      "2026-01-15T09:00:00.000Z",
      "2026-02-15T09:00:00.000Z",
      "2026-03-15T09:00:00.000Z",
      "2026-04-15T09:00:00.000Z",
    ]);
    expect(await lifecycleAudit(org)).toEqual([
      "subscription.renew 2026-02-15T09:00:00.000Z",
      "subscription.renew 2026-03-15T09:00:00.000Z",
      "subscription.renew 2026-04-15T09:00:00.000Z",
    ]);
    await expectAuditChainValid(t, org.tenantId);
  });

  it("catches up after 100 days down without auto-renew: expired and disabled at their own times", async () => {
    const org = await orgWithCard();
    const { subscription } = await buy(t, org.tenantId);
    await cancelSubscription(t, OPERATOR, org.tenantId, subscription.id, {
      reason: "unused",
      when: "renewal",
    });
    t.clock.advance(100 * DAY);
    expect(await scheduler.runDueJobs()).toEqual({ ran: 2, failed: 0 });
    expect(await getSubscription(t, OPERATOR, org.tenantId, subscription.id)).toMatchObject({
      status: "disabled",
      statusChangedAt: new Date("2026-03-17T09:00:00.000Z"),
      nextLifecycleAt: new Date("2026-06-15T09:00:00.000Z"),
    });
    expect(await lifecycleAudit(org)).toEqual([
      "subscription.expire 2026-02-15T09:00:00.000Z",
      "subscription.disable 2026-03-17T09:00:00.000Z",
    ]);
  });

  it("lets a trial expire after 30 days unless it is converted", async () => {
    t.clock.set("2026-01-15T09:00:00.000Z");
    const org = await createTenantWithAdmin(t);
    const lapsing = (await buyTrial(t, org.tenantId)).subscription;
    const converted = (await buyTrial(t, org.tenantId, { skuPartNumber: "SPB" })).subscription;
    t.clock.advance(20 * DAY);
    const card = await addCard(t, org.tenantId);
    await reactivateSubscription(t, org.adminActor, org.tenantId, converted.id, {
      paymentMethodId: card.id,
    });
    await runUntil("2026-02-14T09:00:00.000Z");
    expect(await getSubscription(t, OPERATOR, org.tenantId, lapsing.id)).toMatchObject({
      status: "expired",
      isTrial: true,
    });
    expect(await getSubscription(t, OPERATOR, org.tenantId, converted.id)).toMatchObject({
      status: "active",
      isTrial: false,
      periodEndAt: new Date("2026-03-04T09:00:00.000Z"),
    });
  });

  it("keeps a subscription whose renewal is declined active, with the renewal invoice due", async () => {
    const org = await orgWithCard();
    const { subscription } = await buy(t, org.tenantId);
    const failing = await addPaymentMethod(t, OPERATOR, org.tenantId, failingCardInput());
    await updatePaymentMethod(t, OPERATOR, org.tenantId, failing.id, { isDefault: true });
    await runUntil("2026-02-15T09:00:00.000Z");
    expect((await getSubscription(t, OPERATOR, org.tenantId, subscription.id)).status).toBe(
      "active",
    );
    const invoices = await invoicesOf(t, org.tenantId);
    expect(invoices.map((i) => i.status)).toEqual(["paid", "due"]);
  });

  it("renews exactly once when two server processes run the due work at the same time", async () => {
    const org = await orgWithCard();
    await buy(t, org.tenantId);
    const other = new Scheduler(t, commerceJobHandlers(t));
    t.clock.set("2026-02-15T09:00:00.000Z");
    const results = await Promise.all([scheduler.runDueJobs(), other.runDueJobs()]);
    expect(results.reduce((sum, r) => sum + r.ran, 0)).toBeGreaterThanOrEqual(1);
    expect(results.reduce((sum, r) => sum + r.failed, 0)).toBe(0);
    expect(await invoicesOf(t, org.tenantId)).toHaveLength(2);
    t.clock.advance(SECOND);
    await other.runDueJobs();
    expect(await invoicesOf(t, org.tenantId)).toHaveLength(2);
  });
});
