import { describe, expect, it } from "vitest";
import { proratedAmount, wholeSecondsBetween } from "./proration.js";

/** SPEC §3: prorated credits in integer minor units, counted in whole seconds, rounded down. */

const at = (iso: string) => new Date(iso);
const period = (start: string, end: string) => ({ start: at(start), end: at(end) });

describe("prorated amounts", () => {
  it("credits 21 of 31 days of a January period, rounded down to the cent", () => {
    // 5 seats × $22.00 = 11,000 cents; 11,000 × 21 / 31 = 7,451.61…
    const january = period("2026-01-15T09:00:00.000Z", "2026-02-15T09:00:00.000Z");
    expect(proratedAmount(11_000, january, at("2026-01-25T09:00:00.000Z"))).toBe(7_451);
  });

  it("halves a 28-day February exactly", () => {
    const february = period("2026-02-01T00:00:00.000Z", "2026-03-01T00:00:00.000Z");
    expect(proratedAmount(1_000, february, at("2026-02-15T00:00:00.000Z"))).toBe(500);
  });

  it("counts the 29th of February in a leap year: 14 of 29 days", () => {
    const february = period("2028-02-01T00:00:00.000Z", "2028-03-01T00:00:00.000Z");
    expect(proratedAmount(1_000, february, at("2028-02-16T00:00:00.000Z"))).toBe(482);
  });

  it("prorates a 30-day month: 20 of 30 days of 999 cents", () => {
    const april = period("2026-04-01T00:00:00.000Z", "2026-05-01T00:00:00.000Z");
    expect(proratedAmount(999, april, at("2026-04-11T00:00:00.000Z"))).toBe(666);
  });

  it("prorates an annual term over a leap year: 182 of 366 days for 10,000 seats", () => {
    // 10,000 seats × $264.00 a year = 264,000,000 cents; × 182 / 366 = 131,278,688.52…
    const year = period("2027-03-01T00:00:00.000Z", "2028-03-01T00:00:00.000Z");
    expect(proratedAmount(264_000_000, year, at("2027-09-01T00:00:00.000Z"))).toBe(131_278_688);
  });

  it("prorates an annual term of 365 days", () => {
    const year = period("2026-01-01T00:00:00.000Z", "2027-01-01T00:00:00.000Z");
    // 36,500 × 73 / 365 = 7,300 exactly (the last 73 days).
    expect(proratedAmount(36_500, year, at("2026-10-20T00:00:00.000Z"))).toBe(7_300);
  });

  it("stays exact where floating point would round a huge amount up by a cent", () => {
    // 459,361,676,094 × 30,729,691 exceeds 2^53; the float quotient ends in …353, the true one in …352.
    const year = period("2027-03-01T00:00:00.000Z", "2028-03-01T00:00:00.000Z");
    const from = new Date(year.end.getTime() - 30_729_691_000);
    expect(proratedAmount(459_361_676_094, year, from)).toBe(446_393_770_352);
  });

  it("is worth an hour, not a day, an hour before the end", () => {
    const january = period("2026-01-15T09:00:00.000Z", "2026-02-15T09:00:00.000Z");
    expect(proratedAmount(11_000, january, at("2026-02-15T08:00:00.000Z"))).toBe(14);
  });

  it("counts whole seconds only", () => {
    const tenSeconds = period("2026-01-01T00:00:00.000Z", "2026-01-01T00:00:10.000Z");
    expect(proratedAmount(100, tenSeconds, at("2026-01-01T00:00:05.999Z"))).toBe(40);
    expect(wholeSecondsBetween(at("2026-01-01T00:00:05.999Z"), tenSeconds.end)).toBe(4);
  });

  it("is the whole amount before the period and nothing after it", () => {
    const january = period("2026-01-15T09:00:00.000Z", "2026-02-15T09:00:00.000Z");
    expect(proratedAmount(11_000, january, at("2026-01-01T00:00:00.000Z"))).toBe(11_000);
    expect(proratedAmount(11_000, january, january.start)).toBe(11_000);
    expect(proratedAmount(11_000, january, january.end)).toBe(0);
    expect(proratedAmount(11_000, january, at("2026-03-01T00:00:00.000Z"))).toBe(0);
  });

  it("refuses amounts that are not whole, non-negative minor units", () => {
    const january = period("2026-01-15T09:00:00.000Z", "2026-02-15T09:00:00.000Z");
    expect(() => proratedAmount(10.5, january, january.start)).toThrow(RangeError);
    expect(() => proratedAmount(-1, january, january.start)).toThrow(RangeError);
  });
});
