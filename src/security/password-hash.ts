import crypto from "node:crypto";
import { promisify } from "node:util";

const scrypt = promisify(crypto.scrypt) as (
  password: crypto.BinaryLike,
  salt: crypto.BinaryLike,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

export type HashCost = "default" | "low";

/**
 * scrypt parameters. `default` follows OWASP's password storage guidance (N=2^17, r=8, p=1: 128 MiB
 * and roughly 0.3 s per hash); `low` (N=2^10) is for tests, demos and benchmarks only (SPEC §2).
 */
const PARAMETERS: Record<HashCost, { N: number; r: number; p: number }> = {
  default: { N: 2 ** 17, r: 8, p: 1 },
  low: { N: 2 ** 10, r: 8, p: 1 },
};
const KEY_LENGTH = 32;

/** `scrypt$N$r$p$salt$hash`, salt and hash base64; the parameters travel with the hash. */
export async function hashPassword(password: string, cost: HashCost): Promise<string> {
  const { N, r, p } = PARAMETERS[cost];
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(password.normalize("NFKC"), salt, KEY_LENGTH, {
    N,
    r,
    p,
    maxmem: maxMemory(N, r),
  });
  return ["scrypt", N, r, p, salt.toString("base64"), hash.toString("base64")].join("$");
}

/** Constant-time check; false (never an exception) for a malformed stored hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const N = Number(n);
  const actual = await scrypt(
    password.normalize("NFKC"),
    Buffer.from(salt, "base64"),
    expected.length,
    {
      N,
      r: Number(r),
      p: Number(p),
      maxmem: maxMemory(N, Number(r)),
    },
  );
  return actual.length === expected.length && crypto.timingSafeEqual(actual, expected);
}

function maxMemory(N: number, r: number): number {
  return 128 * N * r * 2;
}
