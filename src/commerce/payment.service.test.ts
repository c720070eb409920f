import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addCard,
  billingRows,
  failingCardInput,
  issueTestInvoice,
  issueUnpaidInvoice,
} from "../../test/billing-payment-fixtures.js";
import {
  auditEntries,
  createTenantWithAdmin,
  createUserWithRoles,
  expectAppError,
  expectAuditChainValid,
} from "../../test/directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { DAY } from "../shared/clock.js";
import { balanceDue, getBalanceDue } from "./balance.service.js";
import { getInvoice, listInvoices } from "./invoice.service.js";
import { payInvoice } from "./payment.service.js";
import { addPaymentMethod } from "./payment-method.service.js";

describe.each(TEST_ENGINES)("paying invoices on %s", (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  it("pays the whole balance of an invoice with the default card when asked nothing", async () => {
    const org = await createTenantWithAdmin(t);
    const invoice = await issueUnpaidInvoice(t, org.tenantId, 1250);
    const paid = await payInvoice(t, org.adminActor, org.tenantId, invoice.id, {});
    expect(paid).toMatchObject({ status: "paid", paidMinor: 1250, amountDueMinor: 0 });
    expect(paid.payments.map((p) => [p.outcome, p.amountMinor])).toEqual([
      ["declined", 1250],
      ["succeeded", 1250],
    ]);
    const entry = (await auditEntries(t, org.tenantId)).at(-1);
    expect(entry).toMatchObject({ action: "invoice.pay", outcome: "success" });
    expect(entry?.details).toMatchObject({ number: invoice.number, amountMinor: 1250 });
    await expectAuditChainValid(t, org.tenantId);
  });

  it("pays part of an invoice, then the rest", async () => {
    const org = await createTenantWithAdmin(t);
    const invoice = await issueUnpaidInvoice(t, org.tenantId, 1250);
    const part = await payInvoice(t, org.adminActor, org.tenantId, invoice.id, {
      amountMinor: 500,
    });
    expect(part).toMatchObject({ status: "due", paidMinor: 500, amountDueMinor: 750 });
    expect(part.paidDateTime).toBeNull();
    const rest = await payInvoice(t, org.adminActor, org.tenantId, invoice.id, {});
    expect(rest).toMatchObject({ status: "paid", paidMinor: 1250, amountDueMinor: 0 });
    expect(
      rest.payments.filter((p) => p.outcome === "succeeded").map((p) => p.amountMinor),
    ).toEqual([500, 750]);
  });

  it("records a bank transfer by hand with its reference", async () => {
    const org = await createTenantWithAdmin(t);
    const invoice = await issueTestInvoice(t, org.tenantId, { amountMinor: 2000 });
    const paid = await payInvoice(t, org.adminActor, org.tenantId, invoice.id, {
      method: "manual",
      amountMinor: 2000,
      reference: "SEPA-2026-0042",
    });
    expect(paid.status).toBe("paid");
    expect(paid.payments).toEqual([
      expect.objectContaining({
        method: "manual",
        paymentMethodId: null,
        amountMinor: 2000,
        outcome: "succeeded",
        reference: "SEPA-2026-0042",
      }),
    ]);
  });

  it("pays with another named card", async () => {
    const org = await createTenantWithAdmin(t);
    const invoice = await issueUnpaidInvoice(t, org.tenantId);
    const other = await addCard(t, org.tenantId, { brand: "jcb", last4: "0000" });
    const paid = await payInvoice(t, org.adminActor, org.tenantId, invoice.id, {
      paymentMethodId: other.id,
    });
    expect(paid.payments.at(-1)).toMatchObject({ paymentMethodId: other.id, outcome: "succeeded" });
  });

  it("keeps a declined charge, audits it, and refuses with PAYMENT_DECLINED; the invoice stays due", async () => {
    const org = await createTenantWithAdmin(t);
    await addPaymentMethod(t, org.adminActor, org.tenantId, failingCardInput());
    const invoice = await issueTestInvoice(t, org.tenantId, { amountMinor: 700 });
    const error = await expectAppError(
      payInvoice(t, org.adminActor, org.tenantId, invoice.id, {}),
      "PAYMENT_DECLINED",
      "Conflict",
    );
    expect(error.message).toContain(invoice.number);
    const details = await getInvoice(t, org.adminActor, org.tenantId, invoice.id);
    expect(details).toMatchObject({ status: "due", paidMinor: 0, amountDueMinor: 700 });
    expect(details.payments.map((p) => p.outcome)).toEqual(["declined", "declined"]);
    expect(details.payments.at(-1)?.id).toBe(error.details.paymentId);
    const entry = (await auditEntries(t, org.tenantId)).at(-1);
    expect(entry).toMatchObject({ action: "invoice.pay", outcome: "failure" });
  });

  it("refuses to pay a paid invoice, changing nothing", async () => {
    const org = await createTenantWithAdmin(t);
    await addCard(t, org.tenantId);
    const invoice = await issueTestInvoice(t, org.tenantId);
    expect(invoice.status).toBe("paid");
    const before = await billingRows(t, org.tenantId);
    await expectAppError(
      payInvoice(t, org.adminActor, org.tenantId, invoice.id, {}),
      "INVOICE_PAID",
      "Conflict",
    );
    expect(await billingRows(t, org.tenantId)).toEqual(before);
  });

  it("refuses a card payment without a payment method, saying what to do", async () => {
    const org = await createTenantWithAdmin(t);
    const invoice = await issueTestInvoice(t, org.tenantId);
    const error = await expectAppError(
      payInvoice(t, org.adminActor, org.tenantId, invoice.id, {}),
      "NO_PAYMENT_METHOD",
      "Blocked",
    );
    expect(error.message).toContain("POST /v1.0/billing/paymentMethods");
  });

  it("refuses bad payments, changing nothing and auditing nothing", async () => {
    const org = await createTenantWithAdmin(t);
    const other = await createTenantWithAdmin(t);
    const foreignCard = await addCard(t, other.tenantId);
    const invoice = await issueUnpaidInvoice(t, org.tenantId, 1000);
    const before = await billingRows(t, org.tenantId);
    const audited = (await auditEntries(t, org.tenantId)).length;
    const refusals = [
      [{ amountMinor: 1001 }, "PAYMENT_AMOUNT_INVALID"],
      [{ amountMinor: 0 }, "PAYMENT_AMOUNT_INVALID"],
      [{ method: "manual" as const, amountMinor: 10 }, "PAYMENT_REFERENCE_INVALID"],
      [{ paymentMethodId: foreignCard.id }, "PAYMENT_METHOD_NOT_FOUND"],
    ] as const;
    for (const [input, code] of refusals) {
      await expectAppError(payInvoice(t, org.adminActor, org.tenantId, invoice.id, input), code);
    }
    expect(await billingRows(t, org.tenantId)).toEqual(before);
    expect(await auditEntries(t, org.tenantId)).toHaveLength(audited);
  });

  it("answers 404 for another tenant's invoice", async () => {
    const org = await createTenantWithAdmin(t);
    const other = await createTenantWithAdmin(t);
    const foreign = await issueTestInvoice(t, other.tenantId);
    await expectAppError(
      getInvoice(t, org.adminActor, org.tenantId, foreign.id),
      "INVOICE_NOT_FOUND",
      "NotFound",
    );
    await expectAppError(
      payInvoice(t, org.adminActor, org.tenantId, foreign.id, {
        method: "manual",
        reference: "x",
      }),
      "INVOICE_NOT_FOUND",
    );
    expect(await listInvoices(t, org.adminActor, org.tenantId, { limit: 10 })).toEqual([]);
  });

  it("lists invoices newest first, a page at a time", async () => {
    const org = await createTenantWithAdmin(t);
    for (let i = 0; i < 3; i++) await issueTestInvoice(t, org.tenantId);
    const all = await listInvoices(t, org.adminActor, org.tenantId, { limit: 10 });
    expect(all.map((i) => i.number)).toEqual(["INV-000003", "INV-000002", "INV-000001"]);
    const older = await listInvoices(t, org.adminActor, org.tenantId, {
      limit: 10,
      beforeNumber: 3,
    });
    expect(older.map((i) => i.number)).toEqual(["INV-000002", "INV-000001"]);
  });

  it("derives overdue once an unpaid invoice is past its due date, and paid once it is paid", async () => {
    const org = await createTenantWithAdmin(t);
    const invoice = await issueUnpaidInvoice(t, org.tenantId, 900);
    t.clock.advance(30 * DAY);
    expect((await getInvoice(t, org.adminActor, org.tenantId, invoice.id)).status).toBe("due");
    t.clock.advance(1);
    expect((await getInvoice(t, org.adminActor, org.tenantId, invoice.id)).status).toBe("overdue");
    const balance = await balanceDue(t.db, org.tenantId, t.clock.now());
    expect(balance.unpaidInvoices).toEqual([
      {
        id: invoice.id,
        number: invoice.number,
        amountDueMinor: 900,
        status: "overdue",
        dueDateTime: invoice.dueDateTime,
      },
    ]);
    const paid = await payInvoice(t, org.adminActor, org.tenantId, invoice.id, {});
    expect(paid.status).toBe("paid");
  });

  it("sums the balance due over unpaid and partly paid invoices, oldest first", async () => {
    const org = await createTenantWithAdmin(t);
    const nothing = await balanceDue(t.db, org.tenantId, t.clock.now());
    expect(nothing).toEqual({ balanceMinor: 0, currency: "USD", unpaidInvoices: [] });
    const first = await issueUnpaidInvoice(t, org.tenantId, 1000);
    const second = await issueUnpaidInvoice(t, org.tenantId, 400);
    await payInvoice(t, org.adminActor, org.tenantId, first.id, { amountMinor: 300 });
    const paid = await issueTestInvoice(t, org.tenantId, { amountMinor: 5000 });
    expect(paid.status).toBe("paid");
    const balance = await getBalanceDue(t, org.adminActor, org.tenantId);
    expect(balance).toMatchObject({ balanceMinor: 1100, currency: "USD" });
    expect(balance.unpaidInvoices.map((i) => [i.number, i.amountDueMinor, i.status])).toEqual([
      [first.number, 700, "due"],
      [second.number, 400, "due"],
    ]);
  });

  it("lets only Billing and Global Administrators see and pay invoices", async () => {
    const org = await createTenantWithAdmin(t);
    const invoice = await issueUnpaidInvoice(t, org.tenantId);
    const { actor: billing } = await createUserWithRoles(t, org, "billing", [
      "billingAdministrator",
    ]);
    const { actor: users } = await createUserWithRoles(t, org, "users", ["userAdministrator"]);
    expect((await getInvoice(t, billing, org.tenantId, invoice.id)).id).toBe(invoice.id);
    await expectAppError(getInvoice(t, users, org.tenantId, invoice.id), "INSUFFICIENT_ROLE");
    await expectAppError(getBalanceDue(t, users, org.tenantId), "INSUFFICIENT_ROLE");
    await expectAppError(
      payInvoice(t, users, org.tenantId, invoice.id, {}),
      "INSUFFICIENT_ROLE",
      "Forbidden",
    );
    expect((await payInvoice(t, billing, org.tenantId, invoice.id, {})).status).toBe("paid");
  });
});
