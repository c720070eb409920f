import { describe, expect, it } from "vitest";
import { isAppError } from "../shared/app-error.js";
import { DAY } from "../shared/clock.js";
import { maxSecretEnd, normalizeSecretDisplayName, secretEndDateTime } from "./application.js";

const NOW = new Date("2026-01-15T09:00:00.000Z");

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
  return undefined;
}

describe("client secret lifetime", () => {
  it("defaults to 180 days", () => {
    expect(secretEndDateTime(NOW, undefined).getTime() - NOW.getTime()).toBe(180 * DAY);
  });

  it("accepts an end up to exactly two years ahead", () => {
    expect(secretEndDateTime(NOW, "2028-01-15T09:00:00.000Z")).toEqual(maxSecretEnd(NOW));
  });

  it("refuses an end more than two years ahead", () => {
    expect(codeOf(() => secretEndDateTime(NOW, "2028-01-15T09:00:01.000Z"))).toBe(
      "SECRET_END_INVALID",
    );
  });

  it("refuses an end that is not in the future", () => {
    expect(codeOf(() => secretEndDateTime(NOW, NOW))).toBe("SECRET_END_INVALID");
  });

  it("refuses an end that is not a date", () => {
    expect(codeOf(() => secretEndDateTime(NOW, "next tuesday"))).toBe("SECRET_END_INVALID");
  });
});

describe("client secret display name", () => {
  it("is optional: blank means none", () => {
    expect(normalizeSecretDisplayName("  ")).toBeNull();
    expect(normalizeSecretDisplayName(undefined)).toBeNull();
  });

  it("refuses more than 256 characters", () => {
    expect(codeOf(() => normalizeSecretDisplayName("x".repeat(257)))).toBe("DISPLAY_NAME_TOO_LONG");
  });
});
