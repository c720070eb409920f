import { describe, expect, it } from "vitest";
import {
  clientSecretHint,
  clientSecretMatches,
  hashClientSecret,
  newClientSecret,
} from "./client-secret.js";

describe("client secrets", () => {
  it("are 32 random bytes written as 43 base64url characters", () => {
    const secret = newClientSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, "base64url")).toHaveLength(32);
    expect(newClientSecret()).not.toBe(secret);
  });

  it("match their stored hash and no other secret", () => {
    const secret = newClientSecret();
    const stored = hashClientSecret(secret);
    expect(stored).not.toContain(secret);
    expect(clientSecretMatches(secret, stored)).toBe(true);
    expect(clientSecretMatches(newClientSecret(), stored)).toBe(false);
  });

  it("never match a malformed stored hash", () => {
    expect(clientSecretMatches(newClientSecret(), "not-hex")).toBe(false);
  });

  it("are hinted by their first three characters", () => {
    expect(clientSecretHint("abcdefgh")).toBe("abc");
  });
});
