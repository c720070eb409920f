import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  billingRows,
  cardInput,
  failingCardInput,
  insertSubscriptionRow,
  issueTestInvoice,
  issueUnpaidInvoice,
} from "../../test/billing-payment-fixtures.js";
import {
  createTenantWithAdmin,
  createUserWithRoles,
  type TenantFixture,
} from "../../test/directory-fixtures.js";
import { bearerFor, buildTestServer } from "../../test/http-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { DAY } from "../shared/clock.js";

/** Issue 5: payment methods, invoices, payments and the balance due over HTTP. */
describe.each(TEST_ENGINES)("/v1.0/billing payment methods and invoices on %s", (engine) => {
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

  /** A new tenant and its Global Administrator's headers. */
  async function tenant(): Promise<{ org: TenantFixture; headers: { authorization: string } }> {
    const org = await createTenantWithAdmin(t);
    return { org, headers: await bearerFor(t, org.tenantId, org.admin.id) };
  }

  async function addCard(headers: { authorization: string }, body: object = cardInput()) {
    const res = await app.inject({
      method: "POST",
      url: "/v1.0/billing/paymentMethods",
      headers,
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; isDefault: boolean };
  }

  it("adds a card (201) in its JSON shape, without token, the first one the default", async () => {
    const { headers } = await tenant();
    const res = await app.inject({
      method: "POST",
      url: "/v1.0/billing/paymentMethods",
      headers,
      payload: cardInput({ brand: "mastercard", last4: "4444" }),
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toEqual({
      "@odata.context": "http://localhost:80/v1.0/$metadata#billing/paymentMethods/$entity",
      id: expect.any(String),
      type: "card",
      brand: "mastercard",
      last4: "4444",
      expMonth: 12,
      expYear: 2030,
      holderName: "Ada Lovelace",
      isDefault: true,
      createdDateTime: t.clock.now().toISOString(),
    });
    expect(JSON.stringify(body)).not.toContain("tok_");
  });

  it("lists, reads with $select, makes default and removes payment methods", async () => {
    const { headers } = await tenant();
    const first = await addCard(headers);
    const second = await addCard(headers, cardInput({ last4: "0005" }));
    const list = await app.inject({
      method: "GET",
      url: "/v1.0/billing/paymentMethods",
      headers,
    });
    expect(list.statusCode).toBe(200);
    expect(list.json()["@odata.context"]).toMatch(/\$metadata#billing\/paymentMethods$/);
    expect(list.json().value.map((m: { id: string }) => m.id)).toEqual([first.id, second.id]);

    const selected = await app.inject({
      method: "GET",
      url: `/v1.0/billing/paymentMethods/${second.id}?$select=last4,isDefault`,
      headers,
    });
    expect(selected.json()).toEqual({
      "@odata.context": expect.stringMatching(
        /billing\/paymentMethods\(last4,isDefault\)\/\$entity$/,
      ),
      id: second.id,
      last4: "0005",
      isDefault: false,
    });

    const patch = await app.inject({
      method: "PATCH",
      url: `/v1.0/billing/paymentMethods/${second.id}`,
      headers,
      payload: { isDefault: true },
    });
    expect(patch.statusCode, patch.body).toBe(204);
    const removed = await app.inject({
      method: "DELETE",
      url: `/v1.0/billing/paymentMethods/${first.id}`,
      headers,
    });
    expect(removed.statusCode, removed.body).toBe(204);
    const after = await app.inject({ method: "GET", url: "/v1.0/billing/paymentMethods", headers });
    expect(after.json().value).toEqual([
      expect.objectContaining({ id: second.id, isDefault: true }),
    ]);
  });

  it("pages payment methods with $top and an @odata.nextLink that keeps $select", async () => {
    const { headers } = await tenant();
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await addCard(headers)).id);
    const page = await app.inject({
      method: "GET",
      url: "/v1.0/billing/paymentMethods?$top=2&$select=last4",
      headers,
    });
    const body = page.json();
    expect(body.value.map((m: { id: string }) => m.id)).toEqual(ids.slice(0, 2));
    expect(body.value[0]).toEqual({ id: ids[0], last4: "4242" });
    const next = new URL(body["@odata.nextLink"]);
    const rest = await app.inject({
      method: "GET",
      url: `${next.pathname}${next.search}`,
      headers,
    });
    expect(rest.json().value).toEqual([{ id: ids[2], last4: "4242" }]);
    expect(rest.json()["@odata.nextLink"]).toBeUndefined();
  });

  it("answers bad payment-method input with 400 Graph errors, changing nothing", async () => {
    const { org, headers } = await tenant();
    const before = await billingRows(t, org.tenantId);
    const cases: [object, string | null][] = [
      [cardInput({ brand: "maestro" }), "CARD_BRAND_INVALID"],
      [cardInput({ last4: "12345" }), null],
      [cardInput({ last4: "12a4" }), "CARD_LAST4_INVALID"],
      [cardInput({ expMonth: 13 }), "CARD_EXPIRY_INVALID"],
      [cardInput({ expMonth: 12, expYear: 2025 }), "CARD_EXPIRED"],
      [cardInput({ token: "" }), "PAYMENT_TOKEN_INVALID"],
      [cardInput({ token: `tok_${"x".repeat(200)}` }), null],
      [{ ...cardInput(), type: "bank" }, null],
      [{ ...cardInput(), expMonth: "12" }, null],
    ];
    for (const [payload, code] of cases) {
      const res = await app.inject({
        method: "POST",
        url: "/v1.0/billing/paymentMethods",
        headers,
        payload,
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe("Request_BadRequest");
      if (code) expect(res.json().error.details[0].code).toBe(code);
    }
    const patch = await app.inject({
      method: "PATCH",
      url: "/v1.0/billing/paymentMethods/whatever",
      headers,
      payload: { isDefault: "yes" },
    });
    expect(patch.statusCode).toBe(400);
    expect(await billingRows(t, org.tenantId)).toEqual(before);
  });

  it("refuses to remove the default card a renewal uses with 409, naming the subscription", async () => {
    const { org, headers } = await tenant();
    const card = await addCard(headers);
    const subscriptionId = await insertSubscriptionRow(t, org.tenantId);
    const res = await app.inject({
      method: "DELETE",
      url: `/v1.0/billing/paymentMethods/${card.id}`,
      headers,
    });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.details[0].code).toBe("PAYMENT_METHOD_IN_USE");
    expect(res.json().error.message).toContain(subscriptionId);
  });

  it("lists invoices newest first with paging, and reads one with its lines and payments", async () => {
    const { org, headers } = await tenant();
    const first = await issueTestInvoice(t, org.tenantId, { amountMinor: 1000 });
    await issueTestInvoice(t, org.tenantId, { amountMinor: 2000 });
    await issueTestInvoice(t, org.tenantId, { amountMinor: 3000 });
    const page = await app.inject({ method: "GET", url: "/v1.0/billing/invoices?$top=2", headers });
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json().value.map((i: { number: string }) => i.number)).toEqual([
      "INV-000003",
      "INV-000002",
    ]);
    const next = new URL(page.json()["@odata.nextLink"]);
    expect(next.searchParams.get("$skiptoken")).toBe("INV-000002");
    const rest = await app.inject({
      method: "GET",
      url: `${next.pathname}${next.search}`,
      headers,
    });
    expect(rest.json().value.map((i: { id: string }) => i.id)).toEqual([first.id]);
    expect(rest.json()["@odata.nextLink"]).toBeUndefined();

    const one = await app.inject({
      method: "GET",
      url: `/v1.0/billing/invoices/${first.id}`,
      headers,
    });
    expect(one.json()).toMatchObject({
      id: first.id,
      number: "INV-000001",
      status: "due",
      currency: "USD",
      totalMinor: 1000,
      paidMinor: 0,
      amountDueMinor: 1000,
      issuedDateTime: first.issuedDateTime.toISOString(),
      dueDateTime: first.dueDateTime.toISOString(),
      paidDateTime: null,
      lines: [
        {
          lineNumber: 1,
          subscriptionId: null,
          kind: "charge",
          description: expect.any(String),
          quantity: 1,
          unitPriceMinor: 1000,
          amountMinor: 1000,
        },
      ],
      payments: [],
    });
    const bad = await app.inject({
      method: "GET",
      url: "/v1.0/billing/invoices?$skiptoken=abc",
      headers,
    });
    expect(bad.statusCode).toBe(400);
    const filter = await app.inject({
      method: "GET",
      url: "/v1.0/billing/invoices?$filter=status eq 'due'",
      headers,
    });
    expect(filter.statusCode).toBe(400);
  });

  it("pays an invoice in full with an empty body, and answers 409 INVOICE_PAID after", async () => {
    const { org, headers } = await tenant();
    const invoice = await issueUnpaidInvoice(t, org.tenantId, 1250);
    const paid = await app.inject({
      method: "POST",
      url: `/v1.0/billing/invoices/${invoice.id}/pay`,
      headers,
    });
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ status: "paid", paidMinor: 1250, amountDueMinor: 0 });
    const other = await issueUnpaidInvoice(t, org.tenantId, 300);
    const typed = await app.inject({
      method: "POST",
      url: `/v1.0/billing/invoices/${other.id}/pay`,
      headers: { ...headers, "content-type": "application/json" },
      payload: "",
    });
    expect(typed.statusCode, typed.body).toBe(200);
    expect(typed.json()).toMatchObject({ status: "paid", paidMinor: 300 });
    const again = await app.inject({
      method: "POST",
      url: `/v1.0/billing/invoices/${invoice.id}/pay`,
      headers,
      payload: {},
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({
      code: "Request_Conflict",
      details: [{ code: "INVOICE_PAID" }],
    });
  });

  it("pays part of an invoice, then records the rest as a bank transfer", async () => {
    const { org, headers } = await tenant();
    const invoice = await issueUnpaidInvoice(t, org.tenantId, 1000);
    const part = await app.inject({
      method: "POST",
      url: `/v1.0/billing/invoices/${invoice.id}/pay`,
      headers,
      payload: { amountMinor: 400 },
    });
    expect(part.json()).toMatchObject({ status: "due", amountDueMinor: 600 });
    const manual = await app.inject({
      method: "POST",
      url: `/v1.0/billing/invoices/${invoice.id}/pay`,
      headers,
      payload: { method: "manual", amountMinor: 600, reference: "WIRE-88" },
    });
    expect(manual.statusCode, manual.body).toBe(200);
    expect(manual.json().status).toBe("paid");
    expect(manual.json().payments.at(-1)).toMatchObject({
      method: "manual",
      paymentMethodId: null,
      amountMinor: 600,
      reference: "WIRE-88",
      outcome: "succeeded",
    });
  });

  it("answers 409 PAYMENT_DECLINED for a declined card and keeps the declined payment", async () => {
    const { org, headers } = await tenant();
    const failing = await addCard(headers, failingCardInput());
    const invoice = await issueTestInvoice(t, org.tenantId, { amountMinor: 700 });
    const res = await app.inject({
      method: "POST",
      url: `/v1.0/billing/invoices/${invoice.id}/pay`,
      headers,
      payload: { paymentMethodId: failing.id },
    });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error.details[0].code).toBe("PAYMENT_DECLINED");
    const after = await app.inject({
      method: "GET",
      url: `/v1.0/billing/invoices/${invoice.id}`,
      headers,
    });
    expect(after.json()).toMatchObject({ status: "due", paidMinor: 0 });
    expect(after.json().payments.map((p: { outcome: string }) => p.outcome)).toEqual([
      "declined",
      "declined",
    ]);
  });

  it("answers bad payments with 400, changing nothing", async () => {
    const { org, headers } = await tenant();
    const invoice = await issueUnpaidInvoice(t, org.tenantId, 1000);
    const before = await billingRows(t, org.tenantId);
    for (const payload of [
      { amountMinor: 1001 },
      { amountMinor: -5 },
      { amountMinor: 1.5 },
      { method: "cash" },
      { method: "manual", amountMinor: 10 },
      { method: "manual", amountMinor: 10, reference: "x", paymentMethodId: "y" },
      "not json",
    ]) {
      const res = await app.inject({
        method: "POST",
        url: `/v1.0/billing/invoices/${invoice.id}/pay`,
        headers: { ...headers, "content-type": "application/json" },
        payload: typeof payload === "string" ? payload : JSON.stringify(payload),
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe("Request_BadRequest");
    }
    expect(await billingRows(t, org.tenantId)).toEqual(before);
  });

  it("shows the balance due with overdue invoices once past their due date", async () => {
    const { org, headers } = await tenant();
    const empty = await app.inject({ method: "GET", url: "/v1.0/billing/balance", headers });
    expect(empty.json()).toEqual({
      "@odata.context": expect.stringMatching(/\$metadata#billing\/balance$/),
      balanceMinor: 0,
      currency: "USD",
      unpaidInvoices: [],
    });
    const invoice = await issueUnpaidInvoice(t, org.tenantId, 1500);
    t.clock.advance(31 * DAY);
    // A new sign-in: the first one's session expired meanwhile.
    const later = await bearerFor(t, org.tenantId, org.admin.id);
    const res = await app.inject({ method: "GET", url: "/v1.0/billing/balance", headers: later });
    expect(res.json()).toMatchObject({
      balanceMinor: 1500,
      currency: "USD",
      unpaidInvoices: [
        {
          id: invoice.id,
          number: invoice.number,
          amountDueMinor: 1500,
          status: "overdue",
          dueDateTime: invoice.dueDateTime.toISOString(),
        },
      ],
    });
    const listed = await app.inject({
      method: "GET",
      url: "/v1.0/billing/invoices",
      headers: later,
    });
    expect(listed.json().value[0].status).toBe("overdue");
  });

  it("refuses callers without billing.manage with 403, and another tenant's ids with 404", async () => {
    const { org, headers } = await tenant();
    const other = await tenant();
    const card = await addCard(other.headers);
    const invoice = await issueTestInvoice(t, other.org.tenantId);
    const reader = await createUserWithRoles(t, org, "reader", ["globalReader"]);
    const readerHeaders = await bearerFor(t, org.tenantId, reader.user.id);
    const denied = await app.inject({
      method: "GET",
      url: "/v1.0/billing/invoices",
      headers: readerHeaders,
    });
    expect(denied.statusCode).toBe(403);
    for (const url of [
      `/v1.0/billing/paymentMethods/${card.id}`,
      `/v1.0/billing/invoices/${invoice.id}`,
    ]) {
      const res = await app.inject({ method: "GET", url, headers });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe("Request_ResourceNotFound");
    }
  });
});
