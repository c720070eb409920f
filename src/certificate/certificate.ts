import type { KeyObject } from "node:crypto";

/**
 * The signed deletion certificate (SPEC §6, issue 7): a JSON document signed with the
 * installation's Ed25519 key, carrying the public key and key id so that anyone can verify it
 * offline, and check the key against `/.well-known/tenantry-signing-keys` when they want to know
 * that this installation issued it.
 */

export const SIGNATURE_ALGORITHM = "Ed25519" as const;

/** Where a server lists its public signing keys, under its base URL. */
export const SIGNING_KEYS_PATH = "/.well-known/tenantry-signing-keys";

export const CERTIFICATE_ERROR = {
  /** A value that has no canonical JSON form (a non-finite number, a Date, a lone surrogate…). */
  NOT_CANONICAL: "CERTIFICATE_NOT_CANONICAL",
  /** The signature does not hold, or the key is not the one expected. */
  INVALID: "CERTIFICATE_INVALID",
  FILE_UNREADABLE: "CERTIFICATE_FILE_UNREADABLE",
  FILE_INVALID: "CERTIFICATE_FILE_INVALID",
  URL_INVALID: "CERTIFICATE_URL_INVALID",
  /** The server named by `--url` did not answer with its signing keys. */
  SIGNING_KEYS_UNAVAILABLE: "SIGNING_KEYS_UNAVAILABLE",
} as const;

/** A signing key as the world may see it (`/.well-known/tenantry-signing-keys`). */
export interface SigningKeyInfo {
  keyId: string;
  algorithm: typeof SIGNATURE_ALGORITHM;
  /** The raw 32-byte public key, base64url (a JWK's `x`). */
  publicKey: string;
  createdDateTime: string;
  /** Set once the key signs no more; it stays listed so that what it signed still verifies. */
  retiredDateTime?: string;
}

/** The installation's current key, able to sign. Never leaves the process. */
export interface SigningKey {
  readonly keyId: string;
  readonly algorithm: typeof SIGNATURE_ALGORITHM;
  readonly publicKey: string;
  readonly createdDateTime: string;
  readonly privateKey: KeyObject;
}

/** A key that a verifier trusts: both the id and the public key must match. */
export interface TrustedKey {
  keyId: string;
  publicKey: string;
}

/** The body as given, plus the signature envelope. */
export type SignedCertificate = Record<string, unknown> & {
  algorithm: typeof SIGNATURE_ALGORITHM;
  keyId: string;
  publicKey: string;
  /** base64url Ed25519 signature over `canonicalJson` of every other field. */
  signature: string;
};

export interface CertificateVerification {
  valid: boolean;
  /** Why it is not valid, for a person. */
  reason?: string;
  /** The key id the certificate names, when it names one. */
  keyId?: string;
}

export interface VerifyCertificateOptions {
  /** When given, the certificate's key must be one of these (e.g. the server's published keys). */
  trustedKeys?: readonly TrustedKey[];
}
