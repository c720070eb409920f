import { createHash } from "node:crypto";

/** Bytes kept per entry: a 128-bit digest, collision-free for any archive in practice. */
const FINGERPRINT_BYTES = 16;

/**
 * What an archive held, entry by entry in archive order, as 16 bytes per entry (a digest of the
 * entry's path and SHA-256). The import records it while it verifies the archive and checks every
 * entry against it before applying it on the second read, so an archive that changed in between
 * is caught at the first changed entry — for 16 MB per million entries instead of the paths and
 * hashes themselves.
 */
export class EntryFingerprints {
  private data = Buffer.alloc(FINGERPRINT_BYTES * 1024);
  private count = 0;

  get length(): number {
    return this.count;
  }

  record(path: string, sha256: string): void {
    const end = (this.count + 1) * FINGERPRINT_BYTES;
    if (end > this.data.length) {
      const grown = Buffer.alloc(this.data.length * 2);
      this.data.copy(grown);
      this.data = grown;
    }
    fingerprint(path, sha256).copy(this.data, this.count * FINGERPRINT_BYTES);
    this.count += 1;
  }

  /** Whether the `index`-th entry (from 0) had this path and hash. */
  matches(index: number, path: string, sha256: string): boolean {
    if (index < 0 || index >= this.count) return false;
    const start = index * FINGERPRINT_BYTES;
    return fingerprint(path, sha256).equals(this.data.subarray(start, start + FINGERPRINT_BYTES));
  }
}

function fingerprint(path: string, sha256: string): Buffer {
  return createHash("sha256")
    .update(`${path}\n${sha256}`, "utf8")
    .digest()
    .subarray(0, FINGERPRINT_BYTES);
}
