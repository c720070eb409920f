import { describe, expect, it } from "vitest";
import type { SignedCertificate, SigningKey } from "./certificate.js";
import { signWithKey, verifyCertificate } from "./certificate-signature.js";
import { exampleCertificateBody } from "./example-certificate-body.js";
import { generateSigningKeyMaterial, privateKeyFromDer } from "./signing-key.js";

function newKey(): SigningKey {
  const material = generateSigningKeyMaterial();
  return {
    keyId: material.keyId,
    algorithm: "Ed25519",
    publicKey: material.publicKey,
    createdDateTime: "2025-01-01T00:00:00.000Z",
    privateKey: privateKeyFromDer(material.privateKeyDer),
  };
}

const key = newKey();
const signed = signWithKey(exampleCertificateBody(), key);

/** The certificate with one top-level field replaced (through a JSON round trip, as a file). */
function withField(field: string, value: unknown): Record<string, unknown> {
  return { ...(JSON.parse(JSON.stringify(signed)) as SignedCertificate), [field]: value };
}

/** Changes one character of a string: the middle one, to its neighbour in the alphabet. */
function changeOneCharacter(text: string): string {
  const i = Math.floor(text.length / 2);
  const replacement = text[i] === "A" ? "B" : "A";
  return text.slice(0, i) + replacement + text.slice(i + 1);
}

/** A minimal change of any JSON value: a string or number altered, a member added to an object. */
function changeSlightly(value: unknown): unknown {
  if (typeof value === "string") return changeOneCharacter(value);
  if (typeof value === "number") return value + 1;
  if (Array.isArray(value)) return [changeSlightly(value[0]), ...value.slice(1)];
  if (value !== null && typeof value === "object") {
    const [first, ...rest] = Object.entries(value);
    return first ? Object.fromEntries([[first[0], changeSlightly(first[1])], ...rest]) : { x: 1 };
  }
  return value === null ? {} : !value;
}

describe("signWithKey", () => {
  it("adds the envelope to the body and keeps every body field as it was", () => {
    expect(signed).toMatchObject({
      ...exampleCertificateBody(),
      algorithm: "Ed25519",
      keyId: key.keyId,
      publicKey: key.publicKey,
    });
    expect(signed.signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
  });

  it("replaces a signature already in the body instead of signing it", () => {
    const again = signWithKey({ ...exampleCertificateBody(), signature: "old" }, key);
    expect(verifyCertificate(again)).toEqual({ valid: true, keyId: key.keyId });
  });
});

describe("verifyCertificate", () => {
  it("accepts a certificate as signed, and after a round trip through JSON text", () => {
    expect(verifyCertificate(signed)).toEqual({ valid: true, keyId: key.keyId });
    expect(verifyCertificate(JSON.parse(JSON.stringify(signed, null, 2)))).toEqual({
      valid: true,
      keyId: key.keyId,
    });
  });

  it("accepts the members in any order (the signature covers the canonical form)", () => {
    const reversed = Object.fromEntries(Object.entries(signed).reverse());
    expect(verifyCertificate(reversed).valid).toBe(true);
  });

  it.each(Object.keys(exampleCertificateBody()))(
    "refuses the certificate once its %s field changed slightly",
    (field) => {
      const result = verifyCertificate(withField(field, changeSlightly(signed[field])));
      expect(result).toEqual({
        valid: false,
        keyId: key.keyId,
        reason: "The signature does not hold: the certificate was changed after it was signed.",
      });
    },
  );

  it("refuses a certificate with a field added after signing", () => {
    const result = verifyCertificate(withField("note", "added later"));
    expect(result.valid).toBe(false);
    expect(result.reason).toContain("signature does not hold");
  });

  it.each(["algorithm", "keyId", "publicKey", "signature"])(
    "refuses a certificate without %s, saying which field is missing",
    (field) => {
      const result = verifyCertificate(withField(field, undefined));
      expect(result.valid).toBe(false);
      expect(result.reason).toBe(`The certificate has no ${field}.`);
    },
  );

  it.each(Object.keys(exampleCertificateBody()))(
    "refuses a certificate whose %s field was removed",
    (field) => {
      expect(verifyCertificate(withField(field, undefined)).valid).toBe(false);
    },
  );

  it("refuses a changed byte anywhere in the signature", () => {
    const bytes = Buffer.from(signed.signature, "base64url");
    for (let i = 0; i < bytes.length; i += 1) {
      const tampered = Buffer.from(bytes);
      tampered[i] = (tampered[i] ?? 0) ^ 0x01;
      const result = verifyCertificate(withField("signature", tampered.toString("base64url")));
      expect(result.valid, `byte ${i}`).toBe(false);
      expect(result.reason).toContain("signature does not hold");
    }
  });

  it("refuses a signature spelled another way that decodes to the same bytes", () => {
    // 64 bytes end in a character with 4 unused low bits: Node's decoder ignores them.
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const last = alphabet.indexOf(signed.signature.at(-1) ?? "");
    const respelled = `${signed.signature.slice(0, -1)}${alphabet[last ^ 1]}`;
    expect(Buffer.from(respelled, "base64url")).toEqual(Buffer.from(signed.signature, "base64url"));
    const result = verifyCertificate(withField("signature", respelled));
    expect(result.valid).toBe(false);
    expect(result.reason).toContain("signature is not a base64url 64-byte");
  });

  it("refuses every one-byte change of the certificate file", () => {
    const text = Buffer.from(JSON.stringify(signed), "utf8");
    let stillJson = 0;
    for (let i = 0; i < text.length; i += 1) {
      const tampered = Buffer.from(text);
      tampered[i] = (tampered[i] ?? 0) ^ 0x01;
      let doc: unknown;
      try {
        doc = JSON.parse(tampered.toString("utf8"));
      } catch {
        continue; // Not JSON any more: the verifier never sees it as a certificate.
      }
      stillJson += 1;
      expect(verifyCertificate(doc).valid, `byte ${i} of ${text.length}`).toBe(false);
    }
    // Most changes land inside strings and numbers and still parse: they were all checked.
    expect(stillJson).toBeGreaterThan(text.length / 2);
  });

  it("refuses another key's publicKey under the same keyId", () => {
    const result = verifyCertificate(withField("publicKey", newKey().publicKey));
    expect(result).toEqual({
      valid: false,
      keyId: key.keyId,
      reason: `Its keyId ${key.keyId} is not the id of its publicKey.`,
    });
  });

  it("refuses another key's publicKey and keyId together: the signature is not theirs", () => {
    const other = newKey();
    const doc = { ...withField("publicKey", other.publicKey), keyId: other.keyId };
    const result = verifyCertificate(doc);
    expect(result.valid).toBe(false);
    expect(result.reason).toContain("signature does not hold");
  });

  it("refuses an algorithm other than Ed25519", () => {
    const result = verifyCertificate(withField("algorithm", "RS256"));
    expect(result.reason).toBe('Its algorithm is "RS256"; only Ed25519 is accepted.');
  });

  it("refuses a publicKey that is not 32 bytes of base64url", () => {
    expect(verifyCertificate(withField("publicKey", "not a key")).reason).toBe(
      "Its publicKey is not a base64url 32-byte Ed25519 key.",
    );
  });

  it("refuses a value without canonical form instead of throwing", () => {
    const result = verifyCertificate(JSON.parse(JSON.stringify(signed).replace("482113", "1e999")));
    expect(result.valid).toBe(false);
    expect(result.reason).toContain("$.export.bytes");
  });

  it.each([
    ["null", null],
    ["an array", [signed]],
    ["a string", "certificate"],
  ])("refuses %s: a certificate is a JSON object", (_, doc) => {
    expect(verifyCertificate(doc)).toEqual({
      valid: false,
      reason: "The certificate is not a JSON object.",
    });
  });

  it("accepts a certificate whose key is among the trusted keys", () => {
    const trustedKeys = [newKey(), key].map((k) => ({ keyId: k.keyId, publicKey: k.publicKey }));
    expect(verifyCertificate(signed, { trustedKeys })).toEqual({ valid: true, keyId: key.keyId });
  });

  it("refuses a well-signed certificate whose key is not among the trusted keys", () => {
    const forger = newKey();
    const forged = signWithKey(exampleCertificateBody(), forger);
    expect(verifyCertificate(forged).valid).toBe(true);
    const result = verifyCertificate(forged, {
      trustedKeys: [{ keyId: key.keyId, publicKey: key.publicKey }],
    });
    expect(result).toEqual({
      valid: false,
      keyId: forger.keyId,
      reason: `Its key ${forger.keyId} is not among the trusted signing keys.`,
    });
  });

  it("refuses a trusted keyId listed with another public key", () => {
    const trustedKeys = [{ keyId: key.keyId, publicKey: newKey().publicKey }];
    expect(verifyCertificate(signed, { trustedKeys }).valid).toBe(false);
  });
});
