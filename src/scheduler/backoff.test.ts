import { describe, expect, it } from "vitest";
import { BASE_BACKOFF_MS, backoffDelayMs } from "./backoff.js";

describe("backoffDelayMs", () => {
  it("waits the base delay after the first failure", () => {
    expect(backoffDelayMs(1)).toBe(BASE_BACKOFF_MS);
  });

  it("doubles the delay with each further failure", () => {
    expect(backoffDelayMs(3)).toBe(4 * BASE_BACKOFF_MS);
  });

  it("never waits longer than the cap, however many failures", () => {
    expect(backoffDelayMs(10_000, 60_000)).toBe(60_000);
  });
});
