import { createHash } from "node:crypto";
import { isAppError } from "../shared/app-error.js";
import { type ArchiveInput, forEachArchiveEntry } from "./archive-reader.js";
import {
  compareWithManifest,
  type ExportManifest,
  type ExportVerification,
  MANIFEST_PATH,
  parseManifest,
} from "./backup.js";

/** A manifest larger than this is refused rather than held in memory. */
const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

export interface InspectOptions {
  /** Entries whose bytes `onPeek` should see (buffered; entries are bounded). */
  peek?: (path: string) => boolean;
  onPeek?: (path: string, data: Buffer) => void;
}

/**
 * Checks an export archive offline (SPEC §6: "can be verified offline"), as a stream: every entry
 * is hashed as it passes, then the archive is compared with its manifest. Never throws for a bad
 * archive: not gzip, not tar, truncated, no manifest, an entry missing, extra, resized or changed
 * each give `valid: false` with one clear sentence per problem.
 */
export async function verifyExportArchive(input: ArchiveInput): Promise<ExportVerification> {
  return inspectArchive(input);
}

/** `verifyExportArchive`, letting the caller look at chosen entries on the way (the import plan). */
export async function inspectArchive(
  input: ArchiveInput,
  options: InspectOptions = {},
): Promise<ExportVerification> {
  const seen = new Map<string, { bytes: number; sha256: string }>();
  const problems: string[] = [];
  let manifest: ExportManifest | undefined;
  let entries = 0;
  try {
    await forEachArchiveEntry(input, async (header, body) => {
      entries += 1;
      if (header.type !== "file") {
        problems.push(`${header.path}: a ${header.type} entry; an export holds files only.`);
        return;
      }
      const isManifest = header.path === MANIFEST_PATH;
      const keep = isManifest || options.peek?.(header.path) === true;
      if (isManifest && header.size > MAX_MANIFEST_BYTES) {
        problems.push(`manifest.json has ${header.size} bytes, more than this reader accepts.`);
        return;
      }
      const hash = createHash("sha256");
      const chunks: Buffer[] = [];
      let bytes = 0;
      for await (const chunk of body) {
        hash.update(chunk);
        bytes += chunk.length;
        if (keep) chunks.push(chunk);
      }
      if (isManifest) {
        const parsed = parseManifest(Buffer.concat(chunks));
        if (typeof parsed === "string") problems.push(parsed);
        else if (manifest) problems.push("manifest.json appears twice.");
        else manifest = parsed;
        return;
      }
      if (seen.has(header.path)) problems.push(`${header.path}: appears twice in the archive.`);
      seen.set(header.path, { bytes, sha256: hash.digest("hex") });
      if (keep) options.onPeek?.(header.path, Buffer.concat(chunks));
    });
  } catch (error) {
    if (!isAppError(error)) throw error;
    problems.push(error.message);
    return { valid: false, entries, problems };
  }
  if (!manifest) {
    problems.push("The archive has no manifest.json, so its entries cannot be checked.");
    return { valid: false, entries, problems };
  }
  problems.push(...compareWithManifest(manifest, seen));
  return { valid: problems.length === 0, entries, problems, manifest };
}
