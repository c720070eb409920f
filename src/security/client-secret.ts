import crypto from "node:crypto";

/** Length of a client secret's `hint` (Graph shows the first three characters). */
export const CLIENT_SECRET_HINT_LENGTH = 3;

/** A new client secret: 32 random bytes (256 bits), base64url, 43 characters. Shown once. */
export function newClientSecret(): string {
  return crypto.randomBytes(32).toString("base64url");
}

/**
 * The stored form of a client secret: its SHA-256, hex. A slow, salted hash (scrypt, as for
 * passwords) defends guessable human passwords against offline guessing; a client secret is 256
 * bits from the CSPRNG, so even its hash cannot be inverted or brute-forced, and a fast hash keeps
 * the token endpoint cheap (no scrypt per request for an attacker to trigger). Revealing the
 * three-character hint leaves 238 unknown bits.
 */
export function hashClientSecret(secret: string): string {
  return crypto.createHash("sha256").update(secret, "utf8").digest("hex");
}

export function clientSecretHint(secret: string): string {
  return secret.slice(0, CLIENT_SECRET_HINT_LENGTH);
}

/** Whether `secret` hashes to `storedHash`, compared in constant time. */
export function clientSecretMatches(secret: string, storedHash: string): boolean {
  const actual = Buffer.from(hashClientSecret(secret), "hex");
  const expected = Buffer.from(storedHash, "hex");
  return actual.length === expected.length && crypto.timingSafeEqual(actual, expected);
}
