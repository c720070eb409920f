import type {
  BalanceDue,
  Invoice,
  InvoiceLine,
  InvoiceWithDetails,
  Payment,
  PaymentMethod,
} from "../commerce/index.js";

/**
 * Tenantry's billing resources (not Graph's, but in its conventions): camelCase properties, times
 * as ISO-8601 `…DateTime` strings, money as whole minor units in `…Minor` integers beside the
 * resource's `currency` (see billing-payments.routes.ts).
 */

/** A card on file: never its number, nor its processor token. */
export function toGraphPaymentMethod(method: PaymentMethod) {
  return {
    id: method.id,
    type: method.type,
    brand: method.brand,
    last4: method.last4,
    expMonth: method.expMonth,
    expYear: method.expYear,
    holderName: method.holderName,
    isDefault: method.isDefault,
    createdDateTime: method.createdDateTime.toISOString(),
  };
}

export const PAYMENT_METHOD_PROPERTIES = Object.keys(
  toGraphPaymentMethod({
    id: "",
    type: "card",
    brand: "visa",
    last4: "",
    expMonth: 1,
    expYear: 2000,
    holderName: "",
    token: "",
    isDefault: false,
    createdDateTime: new Date(0),
  }),
);

export function toGraphInvoice(invoice: Invoice) {
  return {
    id: invoice.id,
    number: invoice.number,
    status: invoice.status,
    currency: invoice.currency,
    totalMinor: invoice.totalMinor,
    paidMinor: invoice.paidMinor,
    amountDueMinor: invoice.amountDueMinor,
    issuedDateTime: invoice.issuedDateTime.toISOString(),
    dueDateTime: invoice.dueDateTime.toISOString(),
    paidDateTime: invoice.paidDateTime?.toISOString() ?? null,
    periodStartDateTime: invoice.periodStartDateTime.toISOString(),
    periodEndDateTime: invoice.periodEndDateTime.toISOString(),
  };
}

function toGraphInvoiceLine(line: InvoiceLine) {
  return { ...line };
}

export function toGraphPayment(payment: Payment) {
  return {
    id: payment.id,
    method: payment.method,
    paymentMethodId: payment.paymentMethodId,
    amountMinor: payment.amountMinor,
    outcome: payment.outcome,
    reference: payment.reference,
    createdDateTime: payment.createdDateTime.toISOString(),
  };
}

/** An invoice with its lines and payments (declined charges included), as GET /{id} shows it. */
export function toGraphInvoiceWithDetails(invoice: InvoiceWithDetails) {
  return {
    ...toGraphInvoice(invoice),
    lines: invoice.lines.map(toGraphInvoiceLine),
    payments: invoice.payments.map(toGraphPayment),
  };
}

export const INVOICE_PROPERTIES = Object.keys(
  toGraphInvoice({
    id: "",
    number: "",
    status: "due",
    issuedDateTime: new Date(0),
    periodStartDateTime: new Date(0),
    periodEndDateTime: new Date(0),
    dueDateTime: new Date(0),
    paidDateTime: null,
    currency: "",
    totalMinor: 0,
    paidMinor: 0,
    amountDueMinor: 0,
  }),
);
export const INVOICE_DETAIL_PROPERTIES = [...INVOICE_PROPERTIES, "lines", "payments"];

export function toGraphBalance(balance: BalanceDue) {
  return {
    balanceMinor: balance.balanceMinor,
    currency: balance.currency,
    unpaidInvoices: balance.unpaidInvoices.map((invoice) => ({
      id: invoice.id,
      number: invoice.number,
      amountDueMinor: invoice.amountDueMinor,
      status: invoice.status,
      dueDateTime: invoice.dueDateTime.toISOString(),
    })),
  };
}

export const BALANCE_PROPERTIES = ["balanceMinor", "currency", "unpaidInvoices"];
