import { notFound } from "../shared/app-error.js";
import type { Executor } from "../store/database.js";
import {
  formatInvoiceNumber,
  INVOICE_ERROR,
  type Invoice,
  type InvoiceLine,
  type InvoiceLineKind,
  type InvoiceWithDetails,
  invoiceStatus,
  type Payment,
} from "./invoice.js";
import {
  findInvoiceRow,
  type InvoiceLineRow,
  type InvoiceRow,
  listInvoiceLineRows,
} from "./invoice.repository.js";
import { listPaymentRows, type PaymentRow } from "./payment.repository.js";

/** Rows to domain types; an invoice's status is derived as of `now` (`overdue`). */
export function toInvoice(row: InvoiceRow, now: Date): Invoice {
  const totalMinor = Number(row.total_minor);
  const paidMinor = Number(row.paid_minor);
  const dueDateTime = new Date(row.due_at);
  return {
    id: row.id,
    number: formatInvoiceNumber(Number(row.number)),
    status: invoiceStatus({ totalMinor, paidMinor, dueAt: dueDateTime }, now),
    issuedDateTime: new Date(row.issued_at),
    periodStartDateTime: new Date(row.period_start_at),
    periodEndDateTime: new Date(row.period_end_at),
    dueDateTime,
    paidDateTime: row.paid_at === null ? null : new Date(row.paid_at),
    currency: row.currency,
    totalMinor,
    paidMinor,
    amountDueMinor: Math.max(0, totalMinor - paidMinor),
  };
}

function toInvoiceLine(row: InvoiceLineRow): InvoiceLine {
  return {
    lineNumber: Number(row.line_no),
    subscriptionId: row.subscription_id,
    kind: row.kind as InvoiceLineKind,
    description: row.description,
    quantity: Number(row.quantity),
    unitPriceMinor: Number(row.unit_price_minor),
    amountMinor: Number(row.amount_minor),
  };
}

export function toPayment(row: PaymentRow): Payment {
  return {
    id: row.id,
    invoiceId: row.invoice_id,
    method: row.payment_method_id === null ? "manual" : "card",
    paymentMethodId: row.payment_method_id,
    amountMinor: Number(row.amount_minor),
    outcome: row.outcome === "succeeded" ? "succeeded" : "declined",
    reference: row.reference,
    createdDateTime: new Date(row.created_at),
  };
}

/** The invoice's row, or INVOICE_NOT_FOUND (404; also for another tenant's id). */
export async function loadInvoiceRow(
  db: Executor,
  tenantId: string,
  id: string,
  options: { rowLocks?: boolean } = {},
): Promise<InvoiceRow> {
  const row = await findInvoiceRow(db, tenantId, id, options);
  if (!row) throw notFound(INVOICE_ERROR.NOT_FOUND, `No invoice with id ${id}.`);
  return row;
}

/** The invoice with its lines and payments (declined charges included). */
export async function loadInvoiceDetails(
  db: Executor,
  tenantId: string,
  id: string,
  now: Date,
): Promise<InvoiceWithDetails> {
  const row = await loadInvoiceRow(db, tenantId, id);
  const lines = await listInvoiceLineRows(db, tenantId, id);
  const payments = await listPaymentRows(db, tenantId, id);
  return {
    ...toInvoice(row, now),
    lines: lines.map(toInvoiceLine),
    payments: payments.map(toPayment),
  };
}
