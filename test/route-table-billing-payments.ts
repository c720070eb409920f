import type { Invoice, PaymentMethod } from "../src/commerce/index.js";
import {
  addCard,
  cardInput,
  issueTestInvoice,
  issueUnpaidInvoice,
} from "./billing-payment-fixtures.js";
import { type Caller, type RouteAccess, type RouteEnv, route } from "./route-targets.js";

/**
 * Rows of the route × role table (test/route-table.ts) for payment methods, invoices and the
 * balance due: Billing Administrators and Global Administrators only (SPEC §1).
 */
const BILLING: readonly Caller[] = ["globalAdministrator", "billingAdministrator"];
const METHODS = "/v1.0/billing/paymentMethods";
const INVOICES = "/v1.0/billing/invoices";

async function freshCard({ t, org }: RouteEnv): Promise<PaymentMethod> {
  return addCard(t, org.tenantId);
}

/** A card no renewal uses: never the default (a second one when the first became it). */
async function freshRemovableCard(env: RouteEnv): Promise<PaymentMethod> {
  const card = await freshCard(env);
  return card.isDefault ? freshCard(env) : card;
}

async function freshInvoice({ t, org }: RouteEnv): Promise<Invoice> {
  return issueTestInvoice(t, org.tenantId);
}

async function freshUnpaidInvoice({ t, org }: RouteEnv): Promise<Invoice> {
  return issueUnpaidInvoice(t, org.tenantId);
}

const methodUrl = (card: PaymentMethod) => `${METHODS}/${card.id}`;

export const BILLING_PAYMENT_ROUTES: readonly RouteAccess[] = [
  route({ method: "GET", path: METHODS, status: 200, allowed: BILLING }),
  route({ method: "POST", path: METHODS, status: 201, allowed: BILLING, body: () => cardInput() }),
  route({
    method: "GET",
    path: `${METHODS}/{id}`,
    status: 200,
    allowed: BILLING,
    fresh: freshCard,
    url: methodUrl,
  }),
  route({
    method: "PATCH",
    path: `${METHODS}/{id}`,
    status: 204,
    allowed: BILLING,
    fresh: freshCard,
    url: methodUrl,
    body: () => ({ isDefault: true }),
  }),
  route({
    method: "DELETE",
    path: `${METHODS}/{id}`,
    status: 204,
    allowed: BILLING,
    fresh: freshRemovableCard,
    url: methodUrl,
  }),
  route({ method: "GET", path: INVOICES, status: 200, allowed: BILLING }),
  route({
    method: "GET",
    path: `${INVOICES}/{id}`,
    status: 200,
    allowed: BILLING,
    fresh: freshInvoice,
    url: (invoice) => `${INVOICES}/${invoice.id}`,
  }),
  route({
    method: "POST",
    path: `${INVOICES}/{id}/pay`,
    status: 200,
    allowed: BILLING,
    fresh: freshUnpaidInvoice,
    url: (invoice) => `${INVOICES}/${invoice.id}/pay`,
    body: () => ({ method: "manual", reference: "WIRE-0001" }),
  }),
  route({ method: "GET", path: "/v1.0/billing/balance", status: 200, allowed: BILLING }),
];
