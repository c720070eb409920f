import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addCard,
  billingRows,
  chargeLine,
  failingCardInput,
  insertSubscriptionRow,
  issueTestInvoice,
} from "../../test/billing-payment-fixtures.js";
import {
  auditEntries,
  createTenantWithAdmin,
  expectAppError,
  expectAuditChainValid,
} from "../../test/directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { DAY } from "../shared/clock.js";
import { getInvoice } from "./invoice.service.js";
import { addBillingCredit, issueInvoice } from "./invoice.service.js";
import { addPaymentMethod } from "./payment-method.service.js";

describe.each(TEST_ENGINES)("issuing invoices on %s", (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  async function addCredit(tenantId: string, subscriptionId: string, amountMinor: number) {
    await t.db.transaction().execute((trx) =>
      addBillingCredit(t, trx, tenantId, {
        subscriptionId,
        amountMinor,
        description: `Prorated credit ${amountMinor}`,
      }),
    );
  }

  async function pendingCredits(tenantId: string): Promise<number[]> {
    const rows = await t.db
      .selectFrom("billing_credit")
      .select("amount_minor")
      .where("tenant_id", "=", tenantId)
      .where("applied_invoice_id", "is", null)
      .orderBy("created_at")
      .execute();
    return rows.map((r) => Number(r.amount_minor));
  }

  it("numbers each tenant's invoices INV-000001, INV-000002, … due 30 days after issue, audited", async () => {
    const a = await createTenantWithAdmin(t);
    const b = await createTenantWithAdmin(t);
    const first = await issueTestInvoice(t, a.tenantId);
    const second = await issueTestInvoice(t, a.tenantId);
    const other = await issueTestInvoice(t, b.tenantId);
    expect([first.number, second.number, other.number]).toEqual([
      "INV-000001",
      "INV-000002",
      "INV-000001",
    ]);
    expect(first.dueDateTime.getTime() - first.issuedDateTime.getTime()).toBe(30 * DAY);
    const entry = (await auditEntries(t, a.tenantId)).at(-1);
    expect(entry).toMatchObject({
      action: "invoice.issue",
      actor: { type: "system" },
      target: { type: "invoice", id: second.id },
    });
    expect(entry?.details).toMatchObject({ number: "INV-000002", totalMinor: 1250, charge: null });
    await expectAuditChainValid(t, a.tenantId);
  });

  it("numbers invoices issued concurrently without gaps or duplicates", async () => {
    const org = await createTenantWithAdmin(t);
    const issued = await Promise.all(
      Array.from({ length: 8 }, () => issueTestInvoice(t, org.tenantId)),
    );
    const numbers = issued.map((invoice) => invoice.number).sort();
    expect(numbers).toEqual(Array.from({ length: 8 }, (_, i) => `INV-00000${i + 1}`));
  });

  it("gives a rolled-back invoice's number back", async () => {
    const org = await createTenantWithAdmin(t);
    const rolledBack = t.db.transaction().execute(async (trx) => {
      const now = t.clock.now();
      await issueInvoice(t, trx, org.tenantId, {
        periodStart: now,
        periodEnd: now,
        currency: "USD",
        lines: [chargeLine(100)],
      });
      throw new Error("the caller's work failed");
    });
    await expect(rolledBack).rejects.toThrow("the caller's work failed");
    expect((await issueTestInvoice(t, org.tenantId)).number).toBe("INV-000001");
  });

  it("charges the default card at once and records the invoice paid", async () => {
    const org = await createTenantWithAdmin(t);
    const card = await addCard(t, org.tenantId);
    const invoice = await issueTestInvoice(t, org.tenantId, { amountMinor: 4200 });
    expect(invoice).toMatchObject({ status: "paid", totalMinor: 4200, paidMinor: 4200 });
    expect(invoice.paidDateTime).toEqual(t.clock.now());
    const details = await getInvoice(t, org.adminActor, org.tenantId, invoice.id);
    expect(details.payments).toEqual([
      expect.objectContaining({
        method: "card",
        paymentMethodId: card.id,
        amountMinor: 4200,
        outcome: "succeeded",
      }),
    ]);
    const entry = (await auditEntries(t, org.tenantId)).at(-1);
    expect(entry?.details).toMatchObject({
      charge: { outcome: "succeeded", card: "visa •••• 4242" },
    });
  });

  it("charges the payment method it is given rather than the default", async () => {
    const org = await createTenantWithAdmin(t);
    await addCard(t, org.tenantId);
    const other = await addCard(t, org.tenantId, { last4: "0005" });
    const invoice = await issueTestInvoice(t, org.tenantId, { paymentMethodId: other.id });
    const details = await getInvoice(t, org.adminActor, org.tenantId, invoice.id);
    expect(details.payments.map((p) => p.paymentMethodId)).toEqual([other.id]);
  });

  it("keeps a declined charge as a declined payment and leaves the invoice due", async () => {
    const org = await createTenantWithAdmin(t);
    await addPaymentMethod(t, org.adminActor, org.tenantId, failingCardInput());
    const invoice = await issueTestInvoice(t, org.tenantId, { amountMinor: 999 });
    expect(invoice).toMatchObject({ status: "due", paidMinor: 0, amountDueMinor: 999 });
    expect(invoice.paidDateTime).toBeNull();
    const details = await getInvoice(t, org.adminActor, org.tenantId, invoice.id);
    expect(details.payments).toEqual([
      expect.objectContaining({ outcome: "declined", amountMinor: 999 }),
    ]);
    const entry = (await auditEntries(t, org.tenantId)).at(-1);
    expect(entry?.details).toMatchObject({ charge: { outcome: "declined" } });
  });

  it("leaves the invoice due without a payment method", async () => {
    const org = await createTenantWithAdmin(t);
    const invoice = await issueTestInvoice(t, org.tenantId);
    expect(invoice.status).toBe("due");
    expect((await getInvoice(t, org.adminActor, org.tenantId, invoice.id)).payments).toEqual([]);
  });

  it("applies pending credits oldest first up to the charges and carries the rest over", async () => {
    const org = await createTenantWithAdmin(t);
    await addCard(t, org.tenantId);
    const subscriptionId = await insertSubscriptionRow(t, org.tenantId);
    await addCredit(org.tenantId, subscriptionId, 300);
    t.clock.advance(1000);
    await addCredit(org.tenantId, subscriptionId, 500);

    const covered = await issueTestInvoice(t, org.tenantId, { amountMinor: 600 });
    expect(covered).toMatchObject({ totalMinor: 0, status: "paid" });
    const lines = (await getInvoice(t, org.adminActor, org.tenantId, covered.id)).lines;
    expect(lines.map((l) => [l.kind, l.amountMinor, l.subscriptionId])).toEqual([
      ["charge", 600, null],
      ["credit", -300, subscriptionId],
      ["credit", -300, subscriptionId],
    ]);
    expect(lines.map((l) => l.lineNumber)).toEqual([1, 2, 3]);
    expect(await pendingCredits(org.tenantId)).toEqual([200]);
    // Nothing to charge: no payment was attempted.
    expect((await getInvoice(t, org.adminActor, org.tenantId, covered.id)).payments).toEqual([]);

    const next = await issueTestInvoice(t, org.tenantId, { amountMinor: 1000 });
    expect(next).toMatchObject({ totalMinor: 800, status: "paid", paidMinor: 800 });
    expect(await pendingCredits(org.tenantId)).toEqual([]);
    const entry = (await auditEntries(t, org.tenantId)).at(-1);
    expect(entry?.details).toMatchObject({ creditsAppliedMinor: 200, totalMinor: 800 });
  });

  it("keeps the caller's own credit lines and never totals below zero", async () => {
    const org = await createTenantWithAdmin(t);
    const invoice = await issueTestInvoice(t, org.tenantId, {
      lines: [
        chargeLine(1000),
        { ...chargeLine(-1000), kind: "credit", description: "Unused days of the old quantity" },
      ],
    });
    expect(invoice).toMatchObject({ totalMinor: 0, status: "paid" });
  });

  it("refuses malformed input and another currency, in the caller's transaction, changing nothing", async () => {
    const org = await createTenantWithAdmin(t);
    await issueTestInvoice(t, org.tenantId);
    const before = await billingRows(t, org.tenantId);
    await expectAppError(
      issueTestInvoice(t, org.tenantId, { currency: "EUR" }),
      "INVOICE_CURRENCY_MISMATCH",
      "Invalid",
    );
    await expectAppError(issueTestInvoice(t, org.tenantId, { lines: [] }), "INVOICE_INPUT_INVALID");
    await expectAppError(
      issueTestInvoice(t, org.tenantId, { amountMinor: 12.5 }),
      "INVOICE_INPUT_INVALID",
    );
    await expectAppError(
      issueTestInvoice(t, org.tenantId, { paymentMethodId: "no-such-method" }),
      "PAYMENT_METHOD_NOT_FOUND",
    );
    expect(await billingRows(t, org.tenantId)).toEqual(before);
  });

  it("refuses a credit that is not a positive whole number of minor units", async () => {
    const org = await createTenantWithAdmin(t);
    const subscriptionId = await insertSubscriptionRow(t, org.tenantId);
    for (const amountMinor of [0, -5, 1.5]) {
      await expectAppError(
        addCredit(org.tenantId, subscriptionId, amountMinor),
        "BILLING_CREDIT_INVALID",
      );
    }
    expect(await pendingCredits(org.tenantId)).toEqual([]);
  });
});
