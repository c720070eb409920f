import {
  findDefaultPaymentMethod,
  type Invoice,
  type PaymentMethod,
} from "../src/commerce/index.js";
import { issueUnpaidInvoice } from "./billing-payment-fixtures.js";
import type { ForeignRequest } from "./foreign-tenant.js";
import type { TestContext } from "./test-context.js";

/**
 * Tenant isolation (SPEC §2) of payment methods and invoices: the objects each tenant of
 * cross-tenant.test.ts holds, and the requests that address another tenant's by id.
 */
export interface BillingPaymentObjects {
  /** The tenant's default card. */
  paymentMethod: PaymentMethod;
  /** An invoice still due (its charge to another card was declined). */
  invoice: Invoice;
}

export async function createBillingPaymentObjects(
  t: TestContext,
  tenantId: string,
): Promise<BillingPaymentObjects> {
  const invoice = await issueUnpaidInvoice(t, tenantId);
  const paymentMethod = await findDefaultPaymentMethod(t.db, tenantId);
  if (!paymentMethod) throw new Error("issueUnpaidInvoice adds a default card");
  return { paymentMethod, invoice };
}

const METHODS = "/v1.0/billing/paymentMethods";
const INVOICES = "/v1.0/billing/invoices";

export const BILLING_PAYMENT_FOREIGN_REQUESTS: readonly ForeignRequest[] = [
  {
    name: "GET another tenant's payment method",
    method: "GET",
    url: (o) => `${METHODS}/${o.billing.paymentMethod.id}`,
  },
  {
    name: "PATCH another tenant's payment method to be the default",
    method: "PATCH",
    url: (o) => `${METHODS}/${o.billing.paymentMethod.id}`,
    body: () => ({ isDefault: true }),
  },
  {
    name: "DELETE another tenant's payment method",
    method: "DELETE",
    url: (o) => `${METHODS}/${o.billing.paymentMethod.id}`,
  },
  {
    name: "GET another tenant's invoice",
    method: "GET",
    url: (o) => `${INVOICES}/${o.billing.invoice.id}`,
  },
  {
    name: "POST pay another tenant's invoice with the caller's default card",
    method: "POST",
    url: (o) => `${INVOICES}/${o.billing.invoice.id}/pay`,
    body: () => ({}),
  },
  {
    name: "POST pay another tenant's invoice by bank transfer",
    method: "POST",
    url: (o) => `${INVOICES}/${o.billing.invoice.id}/pay`,
    body: () => ({ method: "manual", reference: "WIRE-1" }),
  },
  {
    name: "POST pay the caller's own invoice with another tenant's card",
    method: "POST",
    url: (_, own) => `${INVOICES}/${own.billing.invoice.id}/pay`,
    body: (o) => ({ paymentMethodId: o.billing.paymentMethod.id }),
  },
];
