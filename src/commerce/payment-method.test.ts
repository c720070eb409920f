import { describe, expect, it } from "vitest";
import { isAppError } from "../shared/app-error.js";
import {
  type AddCardInput,
  isCardExpired,
  PAYMENT_METHOD_ERROR,
  parseCardInput,
} from "./payment-method.js";

const NOW = new Date("2026-01-15T09:00:00Z");
const CARD: AddCardInput = {
  type: "card",
  brand: "Visa",
  last4: "4242",
  expMonth: 1,
  expYear: 2026,
  holderName: "  Ada Lovelace ",
  token: "tok_visa",
};

function refusal(input: Partial<AddCardInput>): { code: string; field: unknown } | undefined {
  try {
    parseCardInput({ ...CARD, ...input } as AddCardInput, NOW);
  } catch (error) {
    if (isAppError(error)) return { code: error.code, field: error.details.field };
    throw error;
  }
  return undefined;
}

describe("card rules", () => {
  it("normalizes a valid card and keeps only brand, last four, expiry, holder and token", () => {
    expect(parseCardInput(CARD, NOW)).toEqual({
      type: "card",
      brand: "visa",
      last4: "4242",
      expMonth: 1,
      expYear: 2026,
      holderName: "Ada Lovelace",
      token: "tok_visa",
    });
  });

  it("counts a card valid through the last day of its expiry month", () => {
    expect(isCardExpired({ expMonth: 1, expYear: 2026 }, new Date("2026-01-31T23:59:59Z"))).toBe(
      false,
    );
    expect(isCardExpired({ expMonth: 1, expYear: 2026 }, new Date("2026-02-01T00:00:00Z"))).toBe(
      true,
    );
    expect(isCardExpired({ expMonth: 12, expYear: 2025 }, NOW)).toBe(true);
  });

  it.each([
    ["an unknown brand", { brand: "maestro" }, PAYMENT_METHOD_ERROR.BRAND_INVALID, "brand"],
    ["last4 of three digits", { last4: "424" }, PAYMENT_METHOD_ERROR.LAST4_INVALID, "last4"],
    ["last4 with a letter", { last4: "42a2" }, PAYMENT_METHOD_ERROR.LAST4_INVALID, "last4"],
    ["month 0", { expMonth: 0 }, PAYMENT_METHOD_ERROR.EXPIRY_INVALID, "expMonth"],
    ["month 13", { expMonth: 13 }, PAYMENT_METHOD_ERROR.EXPIRY_INVALID, "expMonth"],
    ["a two-digit year", { expYear: 27 }, PAYMENT_METHOD_ERROR.EXPIRY_INVALID, "expYear"],
    ["an expired card", { expMonth: 12, expYear: 2025 }, PAYMENT_METHOD_ERROR.EXPIRED, "expYear"],
    [
      "an empty holder name",
      { holderName: "  " },
      PAYMENT_METHOD_ERROR.HOLDER_INVALID,
      "holderName",
    ],
    ["an empty token", { token: "" }, PAYMENT_METHOD_ERROR.TOKEN_INVALID, "token"],
    [
      "a token of 201 characters",
      { token: `tok_${"x".repeat(197)}` },
      PAYMENT_METHOD_ERROR.TOKEN_INVALID,
      "token",
    ],
    ["a token with spaces", { token: "tok visa" }, PAYMENT_METHOD_ERROR.TOKEN_INVALID, "token"],
    [
      "a card number as token",
      { token: "4111111111111111" },
      PAYMENT_METHOD_ERROR.CARD_NUMBER_REJECTED,
      "token",
    ],
    [
      "a token holding a card number",
      { token: "tok_4111-1111-1111-1111" },
      PAYMENT_METHOD_ERROR.CARD_NUMBER_REJECTED,
      "token",
    ],
    [
      "a mistyped card number as token",
      { token: "4111111111111112" },
      PAYMENT_METHOD_ERROR.TOKEN_INVALID,
      "token",
    ],
    ["another type", { type: "bank" as "card" }, PAYMENT_METHOD_ERROR.TYPE_UNSUPPORTED, "type"],
  ])("refuses %s", (_name, input, code, field) => {
    expect(refusal(input)).toEqual({ code, field });
  });
});
