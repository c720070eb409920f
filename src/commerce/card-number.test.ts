import { describe, expect, it } from "vitest";
import {
  CARD_NUMBER_REDACTION,
  containsCardNumber,
  findCardNumberPath,
  isLuhnValid,
  redactCardNumbers,
} from "./card-number.js";

/** Issue 5, SPEC §3: "a full card number is rejected and never stored". */

/** Processors' published test numbers: Luhn-valid, 13 to 19 digits. */
const CARD_NUMBERS = [
  "4111111111111111",
  "5555555555554444",
  "378282246310005",
  "6011111111111117",
  "3530111333300000",
  "36227206271667",
  "4222222222222",
  "6205500000000000004",
];

describe("the Luhn check", () => {
  it.each(CARD_NUMBERS)("accepts the test card number %s", (number) => {
    expect(isLuhnValid(number)).toBe(true);
  });

  it("refuses a number with one digit changed", () => {
    expect(isLuhnValid("4111111111111112")).toBe(false);
    expect(isLuhnValid("5555555555554445")).toBe(false);
  });

  it("refuses anything but digits", () => {
    expect(isLuhnValid("")).toBe(false);
    expect(isLuhnValid("4111 1111 1111 1111")).toBe(false);
  });
});

describe("finding a card number in text", () => {
  it.each(CARD_NUMBERS)("finds %s alone and inside text", (number) => {
    expect(containsCardNumber(number)).toBe(true);
    expect(containsCardNumber(`my card is ${number}, thanks`)).toBe(true);
    expect(containsCardNumber(`tok_${number}`)).toBe(true);
  });

  it("finds a number grouped by spaces or dashes", () => {
    expect(containsCardNumber("4111 1111 1111 1111")).toBe(true);
    expect(containsCardNumber("4111-1111-1111-1111")).toBe(true);
    expect(containsCardNumber("3782 822463 10005")).toBe(true);
    expect(containsCardNumber("41 11 11 11 11 11 11 11")).toBe(true);
  });

  it("finds a grouped number followed by more digits, such as its expiry", () => {
    expect(containsCardNumber("4111 1111 1111 1111 1230")).toBe(true);
    expect(containsCardNumber("pay 2026 4111-1111-1111-1111")).toBe(true);
  });

  it("ignores runs that fail the Luhn check", () => {
    expect(containsCardNumber("4111111111111112")).toBe(false);
    expect(containsCardNumber("4111 1111 1111 1112")).toBe(false);
  });

  it("ignores runs shorter than 13 or longer than 19 digits", () => {
    expect(containsCardNumber("411111111117")).toBe(false); // 12 digits, Luhn-valid
    expect(containsCardNumber("41111111111111111115")).toBe(false); // 20 digits, Luhn-valid
    expect(isLuhnValid("41111111111111111115")).toBe(true);
  });

  it("ignores ids, dates, phone numbers and amounts", () => {
    expect(containsCardNumber("01234567-1234-7123-8123-123456789012")).toBe(false);
    expect(containsCardNumber("/v1.0/users/01234567-1234-7123-8123-123456789012")).toBe(false);
    expect(containsCardNumber("2026-01-15T09:00:00.000Z")).toBe(false);
    expect(containsCardNumber("+86 138 0013 8000")).toBe(false);
    expect(containsCardNumber("+1 4111111111111111")).toBe(false);
    expect(containsCardNumber('{"amountMinor": 1250, "quantity": 25}')).toBe(false);
  });

  it("redacts every card number and keeps the rest of the text", () => {
    expect(redactCardNumbers("a 4111 1111 1111 1111 b 5555555555554444 c")).toBe(
      `a ${CARD_NUMBER_REDACTION} b ${CARD_NUMBER_REDACTION} c`,
    );
    expect(redactCardNumbers("nothing here 12345")).toBe("nothing here 12345");
  });
});

describe("finding a card number in parsed JSON", () => {
  it("names the path of a card number at any depth", () => {
    const body = {
      requests: [
        { id: "1", body: { note: "fine" } },
        { id: "2", body: { memo: ["4111111111111111"] } },
      ],
    };
    expect(findCardNumberPath(body)).toBe("requests[1].body.memo[0]");
  });

  it("finds card numbers in JSON numbers and in property names", () => {
    expect(findCardNumberPath({ card: 4111111111111111 })).toBe("card");
    expect(findCardNumberPath({ "5555555555554444": true })).toBe("5555555555554444");
    expect(findCardNumberPath("4111-1111-1111-1111")).toBe("");
  });

  it("answers null when there is none", () => {
    expect(findCardNumberPath({ brand: "visa", last4: "4242", expMonth: 12, list: [1, 2] })).toBe(
      null,
    );
    expect(findCardNumberPath(null)).toBe(null);
  });

  it("walks deeply nested values without overflowing the stack", () => {
    let value: unknown = "4111111111111111";
    for (let i = 0; i < 100_000; i++) value = [value];
    expect(findCardNumberPath(value)).toMatch(/^(\[0\]){100000}$/);
  });
});
