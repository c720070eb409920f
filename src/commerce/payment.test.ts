import { describe, expect, it } from "vitest";
import { isAppError } from "../shared/app-error.js";
import type { Invoice } from "./invoice.js";
import { chargeCard, PAYMENT_ERROR, type PayInvoiceInput, planPayment } from "./payment.js";

const NOW = new Date("2026-01-15T09:00:00Z");
const INVOICE: Invoice = {
  id: "inv",
  number: "INV-000007",
  status: "due",
  issuedDateTime: NOW,
  periodStartDateTime: NOW,
  periodEndDateTime: NOW,
  dueDateTime: NOW,
  paidDateTime: null,
  currency: "USD",
  totalMinor: 1000,
  paidMinor: 400,
  amountDueMinor: 600,
};

function codeOf(input: PayInvoiceInput, invoice: Invoice = INVOICE): string | undefined {
  try {
    planPayment(invoice, input);
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
  return undefined;
}

describe("payment rules", () => {
  it("pays what is due with the default card when asked nothing", () => {
    expect(planPayment(INVOICE, {})).toEqual({
      method: "card",
      amountMinor: 600,
      paymentMethodId: null,
    });
  });

  it("pays part with a named card, or records a bank transfer by hand", () => {
    expect(planPayment(INVOICE, { amountMinor: 250, paymentMethodId: "pm" })).toEqual({
      method: "card",
      amountMinor: 250,
      paymentMethodId: "pm",
    });
    expect(
      planPayment(INVOICE, { method: "manual", amountMinor: 600, reference: " BT-77 " }),
    ).toEqual({
      method: "manual",
      amountMinor: 600,
      reference: "BT-77",
    });
  });

  it("refuses a paid invoice", () => {
    expect(codeOf({}, { ...INVOICE, paidMinor: 1000, amountDueMinor: 0, status: "paid" })).toBe(
      "INVOICE_PAID",
    );
  });

  it.each([
    ["more than is due", { amountMinor: 601 }, PAYMENT_ERROR.AMOUNT_INVALID],
    ["nothing", { amountMinor: 0 }, PAYMENT_ERROR.AMOUNT_INVALID],
    ["a fraction of a cent", { amountMinor: 10.5 }, PAYMENT_ERROR.AMOUNT_INVALID],
    [
      "a manual payment without reference",
      { method: "manual" as const },
      PAYMENT_ERROR.REFERENCE_INVALID,
    ],
    [
      "a manual payment to a card",
      { method: "manual" as const, reference: "x", paymentMethodId: "pm" },
      PAYMENT_ERROR.INPUT_INVALID,
    ],
    ["a reference on a card payment", { reference: "BT-1" }, PAYMENT_ERROR.INPUT_INVALID],
  ])("refuses paying %s", (_name, input, code) => {
    expect(codeOf(input)).toBe(code);
  });

  it("has the processor decline tok_fail tokens and expired cards", () => {
    const card = { token: "tok_visa", expMonth: 12, expYear: 2030 };
    expect(chargeCard(card, NOW)).toEqual({ outcome: "succeeded" });
    expect(chargeCard({ ...card, token: "tok_fail_insufficient" }, NOW).outcome).toBe("declined");
    expect(chargeCard({ ...card, expYear: 2025 }, NOW).outcome).toBe("declined");
  });
});
