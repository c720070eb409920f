import crypto from "node:crypto";
import { isAppError } from "../shared/app-error.js";
import { canonicalJson } from "./canonical-json.js";
import {
  type CertificateVerification,
  SIGNATURE_ALGORITHM,
  type SignedCertificate,
  type SigningKey,
  type VerifyCertificateOptions,
} from "./certificate.js";
import {
  decodeCanonicalBase64Url,
  PUBLIC_KEY_BYTES,
  publicKeyFromRaw,
  SIGNATURE_BYTES,
  signingKeyId,
} from "./signing-key.js";

/** The fields a signed certificate always has, besides whatever body it signs. */
const ENVELOPE_FIELDS = ["algorithm", "keyId", "publicKey", "signature"] as const;
type Envelope = Record<(typeof ENVELOPE_FIELDS)[number], string>;

/**
 * `body` plus `algorithm`, `keyId`, `publicKey` (these three overwrite any in the body) and
 * `signature`: base64url Ed25519 over `canonicalJson` of the whole document without `signature`.
 * Throws CERTIFICATE_NOT_CANONICAL (Invalid) when the body holds a value JSON cannot carry.
 */
export function signWithKey(
  body: Record<string, unknown>,
  key: Pick<SigningKey, "keyId" | "publicKey" | "privateKey">,
): SignedCertificate {
  const { signature: _replaced, ...rest } = body;
  const unsigned = {
    ...rest,
    algorithm: SIGNATURE_ALGORITHM,
    keyId: key.keyId,
    publicKey: key.publicKey,
  };
  const payload = Buffer.from(canonicalJson(unsigned), "utf8");
  const signature = crypto.sign(null, payload, key.privateKey).toString("base64url");
  return { ...unsigned, signature };
}

/**
 * Verifies a certificate offline (no store, no network). Valid only when: it is a JSON object
 * with the four envelope fields as strings; the algorithm is Ed25519; `publicKey` is a canonical
 * base64url 32-byte key and `keyId` is derived from it; `signature` is a canonical base64url
 * 64-byte signature that holds over the canonical JSON of every other field; and, with
 * `trustedKeys`, the key (id and public key both) is one of them. Never throws.
 */
export function verifyCertificate(
  doc: unknown,
  options: VerifyCertificateOptions = {},
): CertificateVerification {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    return { valid: false, reason: "The certificate is not a JSON object." };
  }
  const fields = doc as Record<string, unknown>;
  const keyId = typeof fields.keyId === "string" ? fields.keyId : undefined;
  const fail = (reason: string): CertificateVerification => ({
    valid: false,
    reason,
    ...(keyId === undefined ? {} : { keyId }),
  });

  for (const field of ENVELOPE_FIELDS) {
    if (typeof fields[field] !== "string") return fail(`The certificate has no ${field}.`);
  }
  const { algorithm, keyId: id, publicKey, signature } = fields as Envelope;
  if (algorithm !== SIGNATURE_ALGORITHM) {
    return fail(`Its algorithm is "${algorithm}"; only ${SIGNATURE_ALGORITHM} is accepted.`);
  }
  const rawKey = decodeCanonicalBase64Url(publicKey, PUBLIC_KEY_BYTES);
  if (rawKey === undefined) return fail("Its publicKey is not a base64url 32-byte Ed25519 key.");
  if (signingKeyId(rawKey) !== id) return fail(`Its keyId ${id} is not the id of its publicKey.`);
  const rawSignature = decodeCanonicalBase64Url(signature, SIGNATURE_BYTES);
  if (rawSignature === undefined) {
    return fail("Its signature is not a base64url 64-byte Ed25519 signature.");
  }
  const trusted = options.trustedKeys;
  if (trusted && !trusted.some((k) => k.keyId === id && k.publicKey === publicKey)) {
    return fail(`Its key ${id} is not among the trusted signing keys.`);
  }

  const { signature: _signature, ...unsigned } = fields;
  let payload: string;
  try {
    payload = canonicalJson(unsigned);
  } catch (error) {
    if (!isAppError(error)) throw error;
    return fail(`It holds a value that has no canonical JSON form: ${error.message}`);
  }
  return signatureHolds(payload, publicKey, rawSignature)
    ? { valid: true, keyId: id }
    : fail("The signature does not hold: the certificate was changed after it was signed.");
}

function signatureHolds(payload: string, publicKey: string, signature: Buffer): boolean {
  try {
    return crypto.verify(
      null,
      Buffer.from(payload, "utf8"),
      publicKeyFromRaw(publicKey),
      signature,
    );
  } catch {
    // A 32-byte string that is not a point on the curve: no signature can hold for it.
    return false;
  }
}
