import crypto, { type KeyObject } from "node:crypto";

/**
 * Ed25519 key material and its encodings, without I/O. The public key travels as its raw 32 bytes
 * in base64url (a JWK's `x`); the key id is derived from it, so a certificate's `keyId` and
 * `publicKey` can be checked against each other offline.
 */

export const PUBLIC_KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;
/** 16 bytes of SHA-256: short enough to read aloud, far too long to collide by chance. */
const KEY_ID_BYTES = 16;

export interface SigningKeyMaterial {
  keyId: string;
  publicKey: string;
  /** PKCS#8 DER: what the store keeps, sealed with the master key. */
  privateKeyDer: Buffer;
}

export function generateSigningKeyMaterial(): SigningKeyMaterial {
  const { publicKey, privateKey } = crypto.generateKeyPairSync("ed25519");
  const raw = rawPublicKey(publicKey);
  return {
    keyId: signingKeyId(raw),
    publicKey: raw.toString("base64url"),
    privateKeyDer: privateKey.export({ format: "der", type: "pkcs8" }),
  };
}

/** The key id of a raw public key: base64url of the first 16 bytes of its SHA-256. */
export function signingKeyId(rawPublicKey: Buffer): string {
  return crypto
    .createHash("sha256")
    .update(rawPublicKey)
    .digest()
    .subarray(0, KEY_ID_BYTES)
    .toString("base64url");
}

export function privateKeyFromDer(der: Buffer): KeyObject {
  return crypto.createPrivateKey({ key: der, format: "der", type: "pkcs8" });
}

/** The raw public key (base64url) of a private or public Ed25519 key. */
export function publicKeyOf(key: KeyObject): string {
  const publicKey = key.type === "private" ? crypto.createPublicKey(key) : key;
  return rawPublicKey(publicKey).toString("base64url");
}

/** A public key from its raw bytes in base64url; throws when they are not an Ed25519 key. */
export function publicKeyFromRaw(publicKey: string): KeyObject {
  return crypto.createPublicKey({
    key: { kty: "OKP", crv: "Ed25519", x: publicKey },
    format: "jwk",
  });
}

/**
 * Decodes base64url of exactly `bytes` bytes, or undefined. Only the canonical spelling is
 * accepted (no padding, no stray characters, unused low bits zero): Node's decoder skips what it
 * does not understand, and a signature that still verified after a changed character would make
 * "any changed byte fails" untrue.
 */
export function decodeCanonicalBase64Url(text: string, bytes: number): Buffer | undefined {
  const decoded = Buffer.from(text, "base64url");
  if (decoded.length !== bytes || decoded.toString("base64url") !== text) return undefined;
  return decoded;
}

function rawPublicKey(publicKey: KeyObject): Buffer {
  const { x } = publicKey.export({ format: "jwk" });
  if (typeof x !== "string") throw new Error("Not an Ed25519 public key.");
  return Buffer.from(x, "base64url");
}
