/**
 * The backup archive's format and its pure rules (SPEC §6 "Backup export", issue 7): one tar.gz of
 * JSON Lines parts and raw file bytes, ending with `manifest.json` that lists every other entry
 * with its size and SHA-256. No I/O here.
 */

export const EXPORT_FORMAT = "tenantry-export";
export const EXPORT_VERSION = 1;
export const MANIFEST_PATH = "manifest.json";

/**
 * A JSON Lines part holds at most this many rows and closes once it passes this many bytes, so
 * every entry is bounded and its size known before its tar header is written (memory stays flat).
 */
export const PART_MAX_ROWS = 1000;
export const PART_MAX_BYTES = 8 * 1024 * 1024;

export const BACKUP_ERROR = {
  /** `export verify` found problems (the CLI's non-zero exit). */
  EXPORT_INVALID: "EXPORT_INVALID",
  /** The archive changed between its verification and its import. */
  EXPORT_CHANGED: "EXPORT_CHANGED",
  /** The archive has no live, enabled Global Administrator to hand the new organization to. */
  IMPORT_NO_ADMIN: "IMPORT_NO_ADMIN",
  TENANT_NOT_FOUND: "TENANT_NOT_FOUND",
} as const;

export interface ManifestEntry {
  path: string;
  bytes: number;
  /** Lower-case hex SHA-256 of the entry's bytes. */
  sha256: string;
}

export interface ExportManifest {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  tenant: { id: string; displayName: string; initialDomain: string };
  createdDateTime: string;
  /** Rows (or files) per kind, e.g. `{users: 12, messages: 40, driveItems: 3, …}`. */
  counts: Record<string, number>;
  /** Every entry of the archive but the manifest itself, in archive order. */
  entries: ManifestEntry[];
}

export interface ExportSummary {
  /** SHA-256 (hex) and size of the whole archive as written (the gzip bytes). */
  sha256: string;
  bytes: number;
  /** Entries in the archive, `manifest.json` included. */
  entries: number;
  counts: Record<string, number>;
}

export interface ExportVerification {
  valid: boolean;
  /** Entries read from the archive, `manifest.json` included. */
  entries: number;
  /** One clear sentence per problem; empty exactly when `valid`. */
  problems: string[];
  manifest?: ExportManifest;
}

export interface ImportFailure {
  /** What could not be imported, e.g. `user`, `groupMember`, `message`. */
  kind: string;
  /** Its id in the archive. */
  id: string;
  code: string;
  message: string;
}

export interface ImportSummary {
  tenantId: string;
  domain: string;
  /**
   * The Global Administrator the new organization is handed to, with a one-time temporary
   * password that must be changed at the first sign-in. Every other imported user has no password
   * at all until an administrator sets one (SPEC §6: imported users must set a new password).
   */
  admin: { id: string; userPrincipalName: string; temporaryPassword: string };
  /** What was imported, per kind. */
  counts: Record<string, number>;
  /** What the archive holds but was deliberately not imported, per kind (history, secrets-free). */
  skipped: Record<string, number>;
  failures: ImportFailure[];
}

/** `users/part-00001.jsonl`: parts are numbered from 1, five digits, in write order. */
export function partPath(prefix: string, part: number): string {
  return `${prefix}/part-${String(part).padStart(5, "0")}.jsonl`;
}

const PART = /^(?<prefix>.+)\/part-\d{5}\.jsonl$/;

/** The prefix of a part's path (`users` for `users/part-00001.jsonl`), or null for other entries. */
export function partPrefix(path: string): string | null {
  return PART.exec(path)?.groups?.prefix ?? null;
}

const CONTENT = /^content\/(?<userId>[^/]+)\/(?<rest>.+)$/;

/** Where a per-user content entry belongs: `content/<userId>/messages/part-…`, `…/files/<itemId>`. */
export function contentEntry(
  path: string,
): { userId: string; kind: "messages" | "filesMetadata" | "file"; itemId?: string } | null {
  const match = CONTENT.exec(path)?.groups;
  if (!match?.userId || !match.rest) return null;
  if (PART.test(match.rest)) {
    if (match.rest.startsWith("messages/")) return { userId: match.userId, kind: "messages" };
    if (match.rest.startsWith("files/")) return { userId: match.userId, kind: "filesMetadata" };
    return null;
  }
  const file = /^files\/(?<itemId>[^/]+)$/.exec(match.rest)?.groups?.itemId;
  return file ? { userId: match.userId, kind: "file", itemId: file } : null;
}

/**
 * Moves an address (UPN or mail) from one of the source organization's domains to the new one;
 * other addresses are kept. Domains are never reused (SPEC §1), so an import cannot keep them.
 */
export function rewriteDomain(
  address: string,
  sourceDomains: readonly string[],
  domain: string,
): string {
  const at = address.lastIndexOf("@");
  if (at <= 0) return address;
  const from = address.slice(at + 1).toLowerCase();
  return sourceDomains.includes(from) ? `${address.slice(0, at)}@${domain}` : address;
}

/**
 * Parses `manifest.json`; a problem sentence instead when it is not this format's manifest. Checks
 * the shape only; the entries are compared with the archive by `compareWithManifest`.
 */
export function parseManifest(data: Buffer): ExportManifest | string {
  let value: unknown;
  try {
    value = JSON.parse(data.toString("utf8"));
  } catch {
    return "manifest.json is not valid JSON.";
  }
  const m = value as Partial<ExportManifest> | null;
  if (typeof m !== "object" || m === null || m.format !== EXPORT_FORMAT) {
    return `manifest.json is not a ${EXPORT_FORMAT} manifest.`;
  }
  if (m.version !== EXPORT_VERSION) {
    return `manifest.json has version ${String(m.version)}; this Tenantry reads version ${EXPORT_VERSION}.`;
  }
  const tenant = m.tenant;
  if (
    !tenant ||
    typeof tenant.id !== "string" ||
    typeof tenant.initialDomain !== "string" ||
    typeof tenant.displayName !== "string"
  ) {
    return "manifest.json lacks the organization (tenant.id, displayName, initialDomain).";
  }
  if (!Array.isArray(m.entries) || !m.entries.every(isManifestEntry)) {
    return "manifest.json lists its entries in an unexpected shape (path, bytes, sha256).";
  }
  return m as ExportManifest;
}

function isManifestEntry(value: unknown): value is ManifestEntry {
  const e = value as Partial<ManifestEntry> | null;
  return (
    typeof e === "object" &&
    e !== null &&
    typeof e.path === "string" &&
    Number.isSafeInteger(e.bytes) &&
    typeof e.sha256 === "string" &&
    /^[0-9a-f]{64}$/.test(e.sha256)
  );
}

/**
 * Every difference between the manifest and what the archive held (`seen`: path → size and hash,
 * the manifest excluded), one sentence each: missing, unexpected, wrong size, wrong hash.
 */
export function compareWithManifest(
  manifest: ExportManifest,
  seen: ReadonlyMap<string, { bytes: number; sha256: string }>,
): string[] {
  const problems: string[] = [];
  const listed = new Set<string>();
  for (const entry of manifest.entries) {
    if (listed.has(entry.path)) {
      problems.push(`${entry.path}: listed twice in the manifest.`);
      continue;
    }
    listed.add(entry.path);
    const actual = seen.get(entry.path);
    if (!actual) {
      problems.push(`${entry.path}: listed in the manifest but missing from the archive.`);
    } else if (actual.bytes !== entry.bytes) {
      problems.push(
        `${entry.path}: ${actual.bytes} bytes in the archive, the manifest says ${entry.bytes}.`,
      );
    } else if (actual.sha256 !== entry.sha256) {
      problems.push(`${entry.path}: SHA-256 differs from the manifest (the entry was changed).`);
    }
  }
  for (const path of seen.keys()) {
    if (!listed.has(path)) problems.push(`${path}: in the archive but not in the manifest.`);
  }
  return problems;
}
