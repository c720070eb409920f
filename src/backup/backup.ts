/**
 * The backup archive's format and its pure rules (SPEC §6 "Backup export", issue 7). No I/O here.
 *
 * Layout, version 2: one tar.gz whose entries are, in order,
 * - `organization.json`, then JSON Lines parts of role assignments, users, groups, group members,
 *   applications, subscriptions, license assignments, payment methods, invoices, payments,
 *   credits and the audit log (`users/part-00001.jsonl`, …);
 * - every user's content: `content/<userId>/messages/part-NNNNN.jsonl`, then
 *   `content/<userId>/files/part-NNNNN.jsonl` (metadata), each followed by the bytes of the files it
 *   lists as plain files, `content/<userId>/files/<itemId>`, so a file can be restored by hand
 *   with any tar tool (the metadata part gives its path, name and type);
 * - the manifest in two levels, written as the archive goes so that memory stays flat however
 *   large the tenant: after every MANIFEST_PART_ENTRIES entries (and once before the end) a part
 *   `manifest/part-NNNNN.jsonl` lists `{path, bytes, sha256}` of the entries written since the
 *   previous manifest part, in archive order; last, `manifest.json` lists every manifest part with
 *   its own size and SHA-256 and the totals. Every entry's hash is thus covered by `manifest.json`,
 *   through the part that lists it; `sha256sum` of an extracted entry can be compared by hand.
 *
 * A reader checks the archive one segment at a time (the entries since the last manifest part),
 * so verification holds one segment, never the whole list.
 */

export const EXPORT_FORMAT = "tenantry-export";
export const EXPORT_VERSION = 2;
export const MANIFEST_PATH = "manifest.json";
/** Manifest parts: `manifest/part-00001.jsonl`, … */
export const MANIFEST_PART_PREFIX = "manifest";

/**
 * A JSON Lines part holds at most this many rows and closes once it passes this many bytes, so
 * every entry is bounded and its size known before its tar header is written (memory stays flat).
 */
export const PART_MAX_ROWS = 1000;
export const PART_MAX_BYTES = 8 * 1024 * 1024;
/** Entries listed per manifest part (a line is ~170 bytes, so a part stays well under 1 MB). */
export const MANIFEST_PART_ENTRIES = PART_MAX_ROWS;

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

/** A manifest part as `manifest.json` lists it: the part's own size and hash, and its lines. */
export interface ManifestPart extends ManifestEntry {
  /** Entries the part lists. */
  entries: number;
}

export interface ExportManifest {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  tenant: { id: string; displayName: string; initialDomain: string };
  createdDateTime: string;
  /** Rows (or files) per kind, e.g. `{users: 12, messages: 40, driveItems: 3, …}`. */
  counts: Record<string, number>;
  /** Entries the manifest parts list (every entry but the manifest parts and manifest.json). */
  entries: number;
  /** Their total size in bytes (uncompressed). */
  bytes: number;
  /** Every manifest part, in archive order; together they list every other entry. */
  parts: ManifestPart[];
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
