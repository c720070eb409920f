import { conflict, invalid } from "../shared/app-error.js";
import { INVOICE_ERROR, type Invoice } from "./invoice.js";
import { isCardExpired, type PaymentMethod } from "./payment-method.js";

/**
 * Paying an invoice: with a card on file (charged now) or by recording a bank transfer by hand.
 * Pure rules, including the stand-in for the payment processor.
 */

export const PAYMENT_ERROR = {
  AMOUNT_INVALID: "PAYMENT_AMOUNT_INVALID",
  REFERENCE_INVALID: "PAYMENT_REFERENCE_INVALID",
  INPUT_INVALID: "PAYMENT_INPUT_INVALID",
  DECLINED: "PAYMENT_DECLINED",
  NO_PAYMENT_METHOD: "NO_PAYMENT_METHOD",
} as const;

/** What a caller asks for; every property optional: `{}` pays the rest with the default card. */
export interface PayInvoiceInput {
  method?: "card" | "manual" | undefined;
  paymentMethodId?: string | undefined;
  /** Part of the amount due; default all of it. */
  amountMinor?: number | undefined;
  /** The bank transfer's reference (manual payments). */
  reference?: string | undefined;
}

export type PaymentPlan =
  | { method: "manual"; amountMinor: number; reference: string }
  | { method: "card"; amountMinor: number; paymentMethodId: string | null };

const MAX_REFERENCE = 200;

/**
 * What a payment request means for this invoice: refused when it is paid (INVOICE_PAID), when the
 * amount is not a whole number from 1 to the amount due, or when card and manual options are mixed.
 */
export function planPayment(invoice: Invoice, input: PayInvoiceInput): PaymentPlan {
  if (invoice.amountDueMinor <= 0) {
    throw conflict(INVOICE_ERROR.PAID, `Invoice ${invoice.number} is paid; nothing is due on it.`);
  }
  const amountMinor = input.amountMinor ?? invoice.amountDueMinor;
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 1) {
    throw invalid(
      PAYMENT_ERROR.AMOUNT_INVALID,
      "amountMinor must be a whole number of minor units (cents), at least 1.",
      { field: "amountMinor" },
    );
  }
  if (amountMinor > invoice.amountDueMinor) {
    throw invalid(
      PAYMENT_ERROR.AMOUNT_INVALID,
      `amountMinor ${amountMinor} is more than the ${invoice.amountDueMinor} ${invoice.currency} minor units due on invoice ${invoice.number}.`,
      { field: "amountMinor", amountDueMinor: invoice.amountDueMinor },
    );
  }
  if (input.method === "manual") {
    if (input.paymentMethodId !== undefined) {
      throw invalid(
        PAYMENT_ERROR.INPUT_INVALID,
        "A manual payment (bank transfer) is not charged to a payment method: leave out paymentMethodId.",
        { field: "paymentMethodId" },
      );
    }
    const reference = input.reference?.trim() ?? "";
    if (reference === "" || reference.length > MAX_REFERENCE) {
      throw invalid(
        PAYMENT_ERROR.REFERENCE_INVALID,
        `A manual payment needs the bank transfer's reference (1 to ${MAX_REFERENCE} characters).`,
        { field: "reference" },
      );
    }
    return { method: "manual", amountMinor, reference };
  }
  if (input.reference !== undefined) {
    throw invalid(
      PAYMENT_ERROR.INPUT_INVALID,
      'reference is for payments recorded by hand: send {"method": "manual", "reference": …}.',
      { field: "reference" },
    );
  }
  return { method: "card", amountMinor, paymentMethodId: input.paymentMethodId ?? null };
}

export type ChargeOutcome = { outcome: "succeeded" } | { outcome: "declined"; reason: string };

/**
 * The payment processor's answer to a charge. Tenantry has no processor of its own; this stand-in
 * declines tokens starting with `tok_fail` (as processors' test tokens do) and expired cards, and
 * accepts everything else.
 */
export function chargeCard(
  card: Pick<PaymentMethod, "token" | "expMonth" | "expYear">,
  now: Date,
): ChargeOutcome {
  if (card.token.startsWith("tok_fail")) {
    return { outcome: "declined", reason: "The card issuer declined the charge." };
  }
  if (isCardExpired(card, now)) return { outcome: "declined", reason: "The card has expired." };
  return { outcome: "succeeded" };
}
