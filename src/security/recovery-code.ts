import crypto from "node:crypto";

/**
 * One-time recovery codes (SPEC §2). Each has 80 random bits, so an unsalted SHA-256 is enough to
 * store it: there is no dictionary to try. Shown once as `xxxx-xxxx-xxxx-xxxx` (Crockford-style
 * Base32 without look-alike letters); accepted in any case, with or without the dashes.
 */
export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const CODE_CHARACTERS = 16;

export function newRecoveryCode(): string {
  const bytes = crypto.randomBytes(CODE_CHARACTERS);
  let code = "";
  for (let i = 0; i < CODE_CHARACTERS; i++) {
    // 256 is a multiple of 32: taking the low five bits keeps every character equally likely.
    code += ALPHABET[(bytes[i] ?? 0) & 31];
    if (i % 4 === 3 && i < CODE_CHARACTERS - 1) code += "-";
  }
  return code;
}

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
}

/** Lower-case, without spaces and dashes: the form that is hashed. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]+/g, "");
}

export function hashRecoveryCode(code: string): string {
  return crypto.createHash("sha256").update(normalizeRecoveryCode(code)).digest("hex");
}
