import { describe, expect, it } from "vitest";
import {
  addCalendarMonths,
  firstPeriodEnd,
  nextPeriodEnd,
  trialEnd,
} from "./subscription-period.js";

/** Billing periods in calendar months (SPEC §3: monthly and annual terms, renewals). */

const at = (iso: string) => new Date(iso);

describe("billing periods", () => {
  it("keeps the anchor day through short months: Jan 31 → Feb 28 → Mar 31 → Apr 30 → May 31", () => {
    const ends = [at("2026-01-31T10:30:00.000Z")];
    let start = at("2025-12-31T10:30:00.000Z");
    for (let i = 0; i < 4; i++) {
      const end = ends.at(-1) as Date;
      ends.push(nextPeriodEnd(start, end, "monthly"));
      start = end;
    }
    expect(ends.map((d) => d.toISOString())).toEqual([
      "2026-01-31T10:30:00.000Z",
      "2026-02-28T10:30:00.000Z",
      "2026-03-31T10:30:00.000Z",
      "2026-04-30T10:30:00.000Z",
      "2026-05-31T10:30:00.000Z",
    ]);
  });

  it("ends a monthly period bought on Jan 31 of a leap year on Feb 29", () => {
    expect(firstPeriodEnd(at("2028-01-31T00:00:00.000Z"), "monthly")).toEqual(
      at("2028-02-29T00:00:00.000Z"),
    );
  });

  it("rolls over the year", () => {
    expect(firstPeriodEnd(at("2026-12-15T09:00:00.000Z"), "monthly")).toEqual(
      at("2027-01-15T09:00:00.000Z"),
    );
    expect(firstPeriodEnd(at("2026-12-15T09:00:00.000Z"), "annual")).toEqual(
      at("2027-12-15T09:00:00.000Z"),
    );
  });

  it("ends an annual term bought on Feb 29 on Feb 28, and renews it to Feb 28", () => {
    const start = at("2028-02-29T12:00:00.000Z");
    const end = firstPeriodEnd(start, "annual");
    expect(end).toEqual(at("2029-02-28T12:00:00.000Z"));
    expect(nextPeriodEnd(start, end, "annual")).toEqual(at("2030-02-28T12:00:00.000Z"));
  });

  it("adds calendar months on an anchor day", () => {
    expect(addCalendarMonths(at("2026-02-28T00:00:00.000Z"), 1, 31)).toEqual(
      at("2026-03-31T00:00:00.000Z"),
    );
    expect(addCalendarMonths(at("2026-03-31T00:00:00.000Z"), 1)).toEqual(
      at("2026-04-30T00:00:00.000Z"),
    );
  });

  it("ends a trial after its days", () => {
    expect(trialEnd(at("2026-01-15T09:00:00.000Z"), 30)).toEqual(at("2026-02-14T09:00:00.000Z"));
  });
});
