import { HOTP, Secret, TOTP } from "otpauth";

/**
 * TOTP as RFC 6238 and authenticator apps expect it: HMAC-SHA-1, 6 digits, 30-second steps,
 * 20-byte (160-bit) secrets (RFC 4226 §4 asks for at least 128, recommends 160). A code is
 * accepted for its own step and one step either side (clock drift), and only once: the caller
 * stores the matched step and passes it back as `lastUsedStep`.
 */
export const TOTP_ISSUER = "Tenantry";
export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_SECRET_BYTES = 20;
/** Steps accepted on either side of the current one. */
export const TOTP_WINDOW = 1;
const ALGORITHM = "SHA1";

/** A new random secret, Base32-encoded (what authenticator apps and `otpauth://` URIs carry). */
export function generateTotpSecret(): string {
  return new Secret({ size: TOTP_SECRET_BYTES }).base32;
}

/** The `otpauth://totp/…` URI an authenticator app scans; labelled with the user's UPN. */
export function totpUri(secretBase32: string, label: string): string {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label,
    secret: Secret.fromBase32(secretBase32),
    algorithm: ALGORITHM,
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  }).toString();
}

/** The 30-second step `now` falls in (seconds since the epoch / 30). */
export function totpStep(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/**
 * The step a code matches within ±1 step of `now`, or null. A step at or before `lastUsedStep`
 * never matches again (each code is accepted once, RFC 6238 §5.2).
 */
export function matchTotpCode(
  secretBase32: string,
  code: string,
  now: Date,
  lastUsedStep: number | null,
): number | null {
  const token = code.replace(/\s+/g, "");
  if (!new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(token)) return null;
  const current = totpStep(now);
  const delta = HOTP.validate({
    token,
    secret: Secret.fromBase32(secretBase32),
    algorithm: ALGORITHM,
    digits: TOTP_DIGITS,
    counter: current,
    window: TOTP_WINDOW,
  });
  if (delta === null) return null;
  const step = current + delta;
  return lastUsedStep !== null && step <= lastUsedStep ? null : step;
}

/** Whether a submitted second factor has the shape of a TOTP code (else: a recovery code). */
export function looksLikeTotpCode(code: string): boolean {
  return /^\d{6}$/.test(code.replace(/\s+/g, ""));
}
