import { createHash } from "node:crypto";
import { isAppError } from "../shared/app-error.js";
import { type ArchiveInput, forEachArchiveEntry } from "./archive-reader.js";
import { type ExportVerification, MANIFEST_PATH, PART_MAX_BYTES } from "./backup.js";
import { isManifestPart } from "./manifest.js";
import { ManifestChecker } from "./manifest-checker.js";

/** A `manifest.json` larger than this is refused rather than held (one line per 1,000 entries). */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

export interface InspectOptions {
  /** Entries whose bytes `onPeek` should see (buffered; entries are bounded). */
  peek?: (path: string) => boolean;
  onPeek?: (path: string, data: Buffer) => void;
  /** Every file entry's SHA-256 (hex), in archive order, manifest entries included. */
  onHashed?: (path: string, sha256: string) => void;
}

/**
 * Checks an export archive offline (SPEC §6: "can be verified offline"), as a stream: every entry
 * is hashed as it passes and compared with the manifest part that lists it, and the manifest
 * parts with `manifest.json` (ManifestChecker). Never throws for a bad archive: not gzip, not tar,
 * truncated, no manifest, an entry missing, extra, resized or changed, a manifest part changed
 * each give `valid: false` with one clear sentence per problem. Memory: one segment of the
 * manifest (1,000 entries) and one record per manifest part, whatever the archive's size.
 */
export async function verifyExportArchive(input: ArchiveInput): Promise<ExportVerification> {
  return inspectArchive(input);
}

/** `verifyExportArchive`, letting the caller look at chosen entries on the way (the import plan). */
export async function inspectArchive(
  input: ArchiveInput,
  options: InspectOptions = {},
): Promise<ExportVerification> {
  const checker = new ManifestChecker();
  const { problems } = checker;
  let entries = 0;
  try {
    await forEachArchiveEntry(input, async (header, body) => {
      entries += 1;
      if (header.type !== "file") {
        problems.push(`${header.path}: a ${header.type} entry; an export holds files only.`);
        return;
      }
      const isManifest = header.path === MANIFEST_PATH;
      const isPart = isManifestPart(header.path);
      const tooLarge =
        (isManifest && header.size > MAX_MANIFEST_BYTES) ||
        (isPart && header.size > PART_MAX_BYTES);
      if (isManifest && tooLarge) {
        problems.push(`manifest.json has ${header.size} bytes, more than this reader accepts.`);
        return;
      }
      const keep = ((isManifest || isPart) && !tooLarge) || options.peek?.(header.path) === true;
      const hash = createHash("sha256");
      const chunks: Buffer[] = [];
      let bytes = 0;
      for await (const chunk of body) {
        hash.update(chunk);
        bytes += chunk.length;
        if (keep) chunks.push(chunk);
      }
      const seen = { bytes, sha256: hash.digest("hex") };
      options.onHashed?.(header.path, seen.sha256);
      if (isManifest) checker.manifestFile(Buffer.concat(chunks));
      else if (isPart) checker.part(header.path, tooLarge ? null : Buffer.concat(chunks), seen);
      else checker.entry(header.path, seen);
      if (keep && !isManifest && !isPart) options.onPeek?.(header.path, Buffer.concat(chunks));
    });
  } catch (error) {
    if (!isAppError(error)) throw error;
    problems.push(error.message);
    return { valid: false, entries, problems };
  }
  checker.end();
  const { manifest } = checker;
  return {
    valid: problems.length === 0,
    entries,
    problems,
    ...(manifest ? { manifest } : {}),
  };
}
