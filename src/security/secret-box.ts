import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * Authenticated encryption (AES-256-GCM) under the installation's master key, which lives outside
 * the database (SPEC §2): `TENANTRY_SECRET_KEY` when set (base64 of 32 bytes, required when several
 * processes share one PostgreSQL), otherwise `<dataDir>/secret.key`, created with mode 0600 on first
 * use. Ciphertexts are self-describing strings `v1.<iv>.<tag>.<data>` (base64url parts).
 */
export interface SecretBox {
  seal(plaintext: Buffer | string): string;
  open(sealed: string): Buffer;
}

const KEY_BYTES = 32;

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== KEY_BYTES) throw new Error(`A secret key must be ${KEY_BYTES} bytes.`);
  return {
    seal: (plaintext) => sealWithKey(key, plaintext),
    open: (sealed) => openWithKey(key, sealed),
  };
}

export function sealWithKey(key: Buffer, plaintext: Buffer | string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const tag = cipher.getAuthTag();
  return ["v1", iv, tag, data]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

export function openWithKey(key: Buffer, sealed: string): Buffer {
  const [version, iv, tag, data] = sealed.split(".");
  if (version !== "v1" || iv === undefined || tag === undefined || data === undefined) {
    throw new Error("Not a sealed value.");
  }
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]);
}

export interface MasterKeyOptions {
  secretKey?: string | undefined;
  dataDir: string;
}

/** Reads the master key from the environment or the key file, creating the file if needed. */
export function loadMasterKey(options: MasterKeyOptions): Buffer {
  if (options.secretKey) return decodeKey(options.secretKey, "TENANTRY_SECRET_KEY");
  const file = path.join(options.dataDir, "secret.key");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, `${crypto.randomBytes(KEY_BYTES).toString("base64")}\n`, {
        mode: 0o600,
        flag: "wx",
      });
    } catch (error) {
      // Another process created it first; use theirs.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  return decodeKey(fs.readFileSync(file, "utf8").trim(), file);
}

function decodeKey(encoded: string, source: string): Buffer {
  const key = Buffer.from(encoded, "base64");
  if (key.length !== KEY_BYTES) {
    throw new Error(`${source} must hold ${KEY_BYTES} bytes encoded as base64.`);
  }
  return key;
}
