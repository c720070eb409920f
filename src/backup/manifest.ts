import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  type ExportManifest,
  MANIFEST_PART_PREFIX,
  type ManifestEntry,
  type ManifestPart,
  partPrefix,
} from "./backup.js";

/**
 * The two-level manifest's pure rules (backup.ts describes the layout): parsing `manifest.json`
 * and its parts, and comparing what they list with what the archive held. No I/O here.
 */

/** Whether an entry is a manifest part (`manifest/part-00001.jsonl`). */
export function isManifestPart(path: string): boolean {
  return partPrefix(path) === MANIFEST_PART_PREFIX;
}

/** A manifest part's bytes: one JSON line per entry. */
export function formatManifestLine(entry: ManifestEntry): string {
  return `${JSON.stringify({ path: entry.path, bytes: entry.bytes, sha256: entry.sha256 })}\n`;
}

/**
 * Parses `manifest.json`; a problem sentence instead when it is not this format's manifest. Checks
 * the shape only; the parts are compared with the archive by `compareWithManifest`.
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
  if (
    !Number.isSafeInteger(m.entries) ||
    !Number.isSafeInteger(m.bytes) ||
    !Array.isArray(m.parts) ||
    !m.parts.every(
      (part) =>
        isManifestEntry(part) &&
        isManifestPart(part.path) &&
        Number.isSafeInteger((part as Partial<ManifestPart>).entries),
    )
  ) {
    return "manifest.json lists its parts in an unexpected shape (entries, bytes, parts with path, bytes, sha256, entries).";
  }
  return m as ExportManifest;
}

/** Parses a manifest part; a problem sentence instead when a line is not `{path, bytes, sha256}`. */
export function parseManifestPart(path: string, data: Buffer): ManifestEntry[] | string {
  const entries: ManifestEntry[] = [];
  for (const line of data.toString("utf8").split("\n")) {
    if (line.length === 0) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return `${path}: a line is not valid JSON, so the entries before it cannot be checked.`;
    }
    if (!isManifestEntry(value)) {
      return `${path}: a line is not {path, bytes, sha256}, so the entries before it cannot be checked.`;
    }
    entries.push(value);
  }
  return entries;
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
 * Every difference between what a manifest lists (`listed`: a manifest part's lines, or
 * `manifest.json`'s parts) and what the archive held in that place (`seen`: path → size and
 * hash), one sentence each: listed twice, missing, wrong size, wrong hash, unexpected.
 */
export function compareWithManifest(
  listed: readonly ManifestEntry[],
  seen: ReadonlyMap<string, { bytes: number; sha256: string }>,
): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  for (const entry of listed) {
    if (names.has(entry.path)) {
      problems.push(`${entry.path}: listed twice in the manifest.`);
      continue;
    }
    names.add(entry.path);
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
    if (!names.has(path)) problems.push(`${path}: in the archive but not in the manifest.`);
  }
  return problems;
}
