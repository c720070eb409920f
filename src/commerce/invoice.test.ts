import { describe, expect, it } from "vitest";
import {
  applyPendingCredits,
  checkInvoiceInput,
  formatInvoiceNumber,
  INVOICE_ERROR,
  type InvoiceLineInput,
  invoiceDueDate,
  invoiceStatus,
} from "./invoice.js";

const charge = (amountMinor: number): InvoiceLineInput => ({
  subscriptionId: null,
  kind: "charge",
  description: "Seats",
  quantity: 1,
  unitPriceMinor: amountMinor,
  amountMinor,
});
const credit = (amountMinor: number): InvoiceLineInput => ({
  ...charge(amountMinor),
  kind: "credit",
});
const period = {
  periodStart: new Date("2026-01-01T00:00:00Z"),
  periodEnd: new Date("2026-02-01T00:00:00Z"),
  currency: "USD",
};

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe("invoice rules", () => {
  it("shows numbers as INV- and six digits", () => {
    expect(formatInvoiceNumber(1)).toBe("INV-000001");
    expect(formatInvoiceNumber(123456)).toBe("INV-123456");
    expect(formatInvoiceNumber(1234567)).toBe("INV-1234567");
  });

  it("falls due 30 days after issue", () => {
    expect(invoiceDueDate(new Date("2026-01-15T09:00:00Z")).toISOString()).toBe(
      "2026-02-14T09:00:00.000Z",
    );
  });

  it("is paid when nothing is left, overdue only once past its due date", () => {
    const dueAt = new Date("2026-02-14T09:00:00Z");
    const at = (iso: string) => new Date(iso);
    expect(
      invoiceStatus({ totalMinor: 100, paidMinor: 100, dueAt }, at("2027-01-01T00:00:00Z")),
    ).toBe("paid");
    expect(invoiceStatus({ totalMinor: 0, paidMinor: 0, dueAt }, at("2026-01-15T00:00:00Z"))).toBe(
      "paid",
    );
    expect(
      invoiceStatus({ totalMinor: 100, paidMinor: 40, dueAt }, at("2026-02-14T09:00:00Z")),
    ).toBe("due");
    expect(
      invoiceStatus({ totalMinor: 100, paidMinor: 40, dueAt }, at("2026-02-14T09:00:00.001Z")),
    ).toBe("overdue");
  });

  it("applies pending credits oldest first up to the charges and carries the rest over", () => {
    const credits = [
      { id: "a", amountMinor: 300 },
      { id: "b", amountMinor: 500 },
      { id: "c", amountMinor: 200 },
    ];
    expect(applyPendingCredits(600, credits)).toEqual([
      { creditId: "a", appliedMinor: 300, remainderMinor: 0 },
      { creditId: "b", appliedMinor: 300, remainderMinor: 200 },
    ]);
    expect(applyPendingCredits(2000, credits).map((a) => a.appliedMinor)).toEqual([300, 500, 200]);
    expect(applyPendingCredits(0, credits)).toEqual([]);
  });

  it("accepts charges and smaller credits, and returns their net in minor units", () => {
    expect(checkInvoiceInput({ ...period, lines: [charge(1000), credit(-250)] })).toBe(750);
  });

  it.each([
    ["no lines", { ...period, lines: [] }],
    [
      "a period ending before it starts",
      { ...period, periodEnd: new Date("2025-12-31T00:00:00Z"), lines: [charge(1)] },
    ],
    ["a currency that is not ISO 4217", { ...period, currency: "usd", lines: [charge(1)] }],
    ["a fractional amount", { ...period, lines: [charge(12.5)] }],
    ["a negative charge", { ...period, lines: [charge(-1)] }],
    ["a positive credit", { ...period, lines: [charge(100), credit(50)] }],
    ["credits above the charges", { ...period, lines: [charge(100), credit(-150)] }],
    ["an empty description", { ...period, lines: [{ ...charge(1), description: " " }] }],
  ])("refuses %s", (_name, input) => {
    expect(codeOf(() => checkInvoiceInput(input))).toBe(INVOICE_ERROR.INPUT_INVALID);
  });
});
