import crypto from "node:crypto";
import { authenticator } from "otplib";
import { describe, expect, it } from "vitest";
import { hashRecoveryCode, newRecoveryCodes } from "./recovery-code.js";
import { nextSignInStep } from "./signin.js";
import {
  ACCOUNT_FREE_FAILURES,
  ADDRESS_FREE_FAILURES,
  signInThrottleKeys,
  throttleDelayMs,
} from "./signin-throttle.js";
import { generateTotpSecret, matchTotpCode, totpStep, totpUri } from "./totp.js";

const NOW = new Date("2026-01-15T09:00:10.000Z");
const codeAt = (secret: string, steps: number) =>
  authenticator.clone({ epoch: NOW.getTime() + steps * 30_000 }).generate(secret);

describe("TOTP rules", () => {
  it("generates Base32 secrets of 20 random bytes", () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(generateTotpSecret()).not.toBe(secret);
  });

  it("writes an otpauth URI with the issuer, the UPN, SHA-1, 6 digits and 30 s", () => {
    const uri = new URL(totpUri("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "ann@contoso.example"));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.host).toBe("totp");
    expect(decodeURIComponent(uri.pathname)).toBe("/Tenantry:ann@contoso.example");
    expect(Object.fromEntries(uri.searchParams)).toMatchObject({
      issuer: "Tenantry",
      algorithm: "SHA1",
      digits: "6",
      period: "30",
    });
  });

  it("matches an independent implementation's codes at −1, 0 and +1 steps, returning the step", () => {
    const secret = generateTotpSecret();
    for (const offset of [-1, 0, 1]) {
      expect(matchTotpCode(secret, codeAt(secret, offset), NOW, null)).toBe(totpStep(NOW) + offset);
    }
  });

  it("refuses codes two steps away", () => {
    const secret = generateTotpSecret();
    expect(matchTotpCode(secret, codeAt(secret, -2), NOW, null)).toBeNull();
    expect(matchTotpCode(secret, codeAt(secret, 2), NOW, null)).toBeNull();
  });

  it("refuses a code whose step is not after the last used step", () => {
    const secret = generateTotpSecret();
    const step = totpStep(NOW);
    expect(matchTotpCode(secret, codeAt(secret, 0), NOW, step)).toBeNull();
    expect(matchTotpCode(secret, codeAt(secret, -1), NOW, step - 1)).toBeNull();
    expect(matchTotpCode(secret, codeAt(secret, 1), NOW, step)).toBe(step + 1);
  });

  it("refuses anything that is not six digits", () => {
    const secret = generateTotpSecret();
    expect(matchTotpCode(secret, "12345", NOW, null)).toBeNull();
    expect(matchTotpCode(secret, "abcdef", NOW, null)).toBeNull();
  });
});

describe("recovery codes", () => {
  it("makes ten distinct codes of 80 bits, hashed the same whatever the case and dashes", () => {
    const codes = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    const code = codes[0] ?? "";
    expect(code).toMatch(/^[0-9a-z]{4}(-[0-9a-z]{4}){3}$/);
    expect(hashRecoveryCode(code.toUpperCase().replaceAll("-", ""))).toBe(hashRecoveryCode(code));
    expect(hashRecoveryCode(code)).toBe(
      crypto.createHash("sha256").update(code.replaceAll("-", "")).digest("hex"),
    );
  });
});

describe("sign-in throttling rules", () => {
  it("lets 5 account and 20 address failures pass without delay", () => {
    expect(throttleDelayMs(ACCOUNT_FREE_FAILURES, ACCOUNT_FREE_FAILURES)).toBe(0);
    expect(throttleDelayMs(ADDRESS_FREE_FAILURES, ADDRESS_FREE_FAILURES)).toBe(0);
  });

  it("doubles the delay from 1 s per further failure, capped at 15 minutes", () => {
    const delays = [6, 7, 8, 9, 15, 16, 100].map((n) => throttleDelayMs(n, 5));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 512_000, 900_000, 900_000]);
  });

  it("keys an account by a hash of its lower-cased UPN, naming nobody", () => {
    const a = signInThrottleKeys(" Ann@Contoso.example", "192.0.2.1");
    const b = signInThrottleKeys("ann@contoso.example", "192.0.2.2");
    expect(a.account.key).toBe(b.account.key);
    expect(a.account.key).not.toContain("ann");
    expect(a.address.key).toBe("address:192.0.2.1");
  });
});

describe("the step after a correct password", () => {
  const base = { forceChangePassword: false, perUserMfaState: "disabled", hasActiveMethod: false };

  it("is a full session when MFA is disabled, even with a method", () => {
    expect(nextSignInStep({ ...base, hasActiveMethod: true })).toBe("full");
  });

  it("is the second factor when MFA is enabled or enforced and a method is active", () => {
    expect(nextSignInStep({ ...base, perUserMfaState: "enabled", hasActiveMethod: true })).toBe(
      "mfaChallenge",
    );
  });

  it("is a registration-only session when MFA is on and no method is active", () => {
    expect(nextSignInStep({ ...base, perUserMfaState: "enforced" })).toBe("mfaRegistration");
  });

  it("is a password change first when one is required", () => {
    expect(
      nextSignInStep({
        forceChangePassword: true,
        perUserMfaState: "enforced",
        hasActiveMethod: true,
      }),
    ).toBe("passwordChange");
  });
});
