import { invalid } from "../shared/app-error.js";
import { DAY } from "../shared/clock.js";

/**
 * Invoices (SPEC §3): lines per subscription, prorated credits, status `paid | due | overdue`.
 * Money is an integer count of minor units (cents); never a float. Pure rules.
 */

/** Stored as `paid` or `due`; `overdue` is derived when read: unpaid and past its due date. */
export type InvoiceStatus = "paid" | "due" | "overdue";
export type InvoiceLineKind = "charge" | "credit";

/** Days from issue to due date. */
export const INVOICE_PAYMENT_TERMS_DAYS = 30;
/** The currency a tenant that was never invoiced is shown its (zero) balance in. */
export const DEFAULT_BILLING_CURRENCY = "USD";

export interface InvoiceLine {
  lineNumber: number;
  subscriptionId: string | null;
  kind: InvoiceLineKind;
  description: string;
  quantity: number;
  unitPriceMinor: number;
  /** Negative for credits. */
  amountMinor: number;
}

export interface Payment {
  id: string;
  invoiceId: string;
  /** `card`: charged to a payment method; `manual`: a bank transfer recorded by hand. */
  method: "card" | "manual";
  paymentMethodId: string | null;
  amountMinor: number;
  outcome: "succeeded" | "declined";
  /** The bank transfer's reference, for manual payments. */
  reference: string | null;
  createdDateTime: Date;
}

export interface Invoice {
  id: string;
  /** As shown to people: INV-000001. */
  number: string;
  status: InvoiceStatus;
  issuedDateTime: Date;
  periodStartDateTime: Date;
  periodEndDateTime: Date;
  dueDateTime: Date;
  paidDateTime: Date | null;
  currency: string;
  totalMinor: number;
  paidMinor: number;
  amountDueMinor: number;
}

export interface InvoiceWithDetails extends Invoice {
  lines: InvoiceLine[];
  payments: Payment[];
}

export const INVOICE_ERROR = {
  INPUT_INVALID: "INVOICE_INPUT_INVALID",
  CURRENCY_MISMATCH: "INVOICE_CURRENCY_MISMATCH",
  NOT_FOUND: "INVOICE_NOT_FOUND",
  PAID: "INVOICE_PAID",
  CREDIT_INVALID: "BILLING_CREDIT_INVALID",
} as const;

export function formatInvoiceNumber(number: number): string {
  return `INV-${String(number).padStart(6, "0")}`;
}

/** The sequence number of `INV-000042` (or of `42`); undefined for anything else. */
export function parseInvoiceNumber(text: string): number | undefined {
  const match = /^(?:INV-)?(\d{1,15})$/i.exec(text.trim());
  const number = match?.[1] === undefined ? Number.NaN : Number(match[1]);
  return Number.isSafeInteger(number) && number > 0 ? number : undefined;
}

export function invoiceDueDate(issuedAt: Date): Date {
  return new Date(issuedAt.getTime() + INVOICE_PAYMENT_TERMS_DAYS * DAY);
}

/** `paid` when nothing is left to pay; otherwise `overdue` once `now` is past the due date. */
export function invoiceStatus(
  invoice: { totalMinor: number; paidMinor: number; dueAt: Date },
  now: Date,
): InvoiceStatus {
  if (invoice.paidMinor >= invoice.totalMinor) return "paid";
  return now.getTime() > invoice.dueAt.getTime() ? "overdue" : "due";
}

/** A line a caller (the subscription service) puts on an invoice. */
export interface InvoiceLineInput {
  subscriptionId: string | null;
  kind: InvoiceLineKind;
  description: string;
  quantity: number;
  unitPriceMinor: number;
  /** ≥ 0 for charges, ≤ 0 for credits. */
  amountMinor: number;
}

const MAX_DESCRIPTION = 500;
const CURRENCY = /^[A-Z]{3}$/;

function fail(field: string, message: string): never {
  throw invalid(INVOICE_ERROR.INPUT_INVALID, message, { field });
}

function isMinorUnits(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value);
}

/**
 * Checks what a caller wants invoiced: a period, a currency, at least one line; whole minor units,
 * charges ≥ 0, credits ≤ 0, and credits no larger than the charges (a total below zero would be
 * money owed to the tenant: leave it as a pending credit instead). Returns the net of the lines.
 */
export function checkInvoiceInput(input: {
  periodStart: Date;
  periodEnd: Date;
  currency: string;
  lines: readonly InvoiceLineInput[];
}): number {
  const start = input.periodStart.getTime();
  const end = input.periodEnd.getTime();
  if (Number.isNaN(start) || Number.isNaN(end) || end < start) {
    fail("periodEnd", "An invoice's period must end at or after its start.");
  }
  if (!CURRENCY.test(input.currency)) fail("currency", "currency must be an ISO 4217 code.");
  if (input.lines.length === 0) fail("lines", "An invoice needs at least one line.");
  let net = 0;
  for (const [i, line] of input.lines.entries()) {
    const at = `lines[${i}]`;
    if (line.kind !== "charge" && line.kind !== "credit")
      fail(`${at}.kind`, "kind is charge or credit.");
    const description = line.description.trim();
    if (description === "" || description.length > MAX_DESCRIPTION) {
      fail(`${at}.description`, `description must be 1 to ${MAX_DESCRIPTION} characters.`);
    }
    if (!isMinorUnits(line.quantity) || line.quantity < 0) {
      fail(`${at}.quantity`, "quantity must be a whole number ≥ 0.");
    }
    if (!isMinorUnits(line.unitPriceMinor) || !isMinorUnits(line.amountMinor)) {
      fail(`${at}.amountMinor`, "Amounts are whole numbers of minor units (cents).");
    }
    if (line.kind === "charge" ? line.amountMinor < 0 : line.amountMinor > 0) {
      fail(`${at}.amountMinor`, "A charge's amount is ≥ 0 and a credit's ≤ 0.");
    }
    net += line.amountMinor;
  }
  if (!Number.isSafeInteger(net) || net < 0) {
    fail("lines", "The credits on an invoice cannot exceed its charges.");
  }
  return net;
}

export interface PendingCredit {
  id: string;
  amountMinor: number;
}

export interface CreditApplication {
  creditId: string;
  /** What this invoice takes of the credit. */
  appliedMinor: number;
  /** What stays pending for a later invoice. */
  remainderMinor: number;
}

/**
 * Applies pending credits, oldest first, to an invoice whose lines come to `netMinor`: each takes
 * what is left of the charges, so the total never goes below zero; what does not fit stays pending
 * (a credit split in two when only part of it fits). Credits that do not fit at all are untouched.
 */
export function applyPendingCredits(
  netMinor: number,
  credits: readonly PendingCredit[],
): CreditApplication[] {
  const applications: CreditApplication[] = [];
  let room = netMinor;
  for (const credit of credits) {
    if (room <= 0) break;
    const appliedMinor = Math.min(room, credit.amountMinor);
    applications.push({
      creditId: credit.id,
      appliedMinor,
      remainderMinor: credit.amountMinor - appliedMinor,
    });
    room -= appliedMinor;
  }
  return applications;
}
