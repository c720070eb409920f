import type { ExportManifest } from "./backup.js";
import { compareWithManifest, parseManifest, parseManifestPart } from "./manifest.js";

interface Seen {
  bytes: number;
  sha256: string;
}

/**
 * Follows an archive, entry by entry in archive order, against its two-level manifest (backup.ts,
 * layout): the entries since the last manifest part (one segment, at most MANIFEST_PART_ENTRIES
 * when the archive is as written) are held until the part that lists them arrives and are then
 * compared and dropped; the parts themselves are compared with `manifest.json` at the end. So
 * memory grows with one segment plus one record per manifest part, not with the archive.
 *
 * A path repeated within a segment is reported; one repeated in two segments is not (that would
 * need every path held), but each copy must then match its own manifest part.
 */
export class ManifestChecker {
  readonly problems: string[] = [];
  manifest: ExportManifest | undefined;
  private segment = new Map<string, Seen>();
  private readonly parts = new Map<string, Seen>();

  /** An entry the manifest parts list (any entry but a manifest part and `manifest.json`). */
  entry(path: string, seen: Seen): void {
    if (this.segment.has(path)) this.problems.push(`${path}: appears twice in the archive.`);
    this.segment.set(path, seen);
  }

  /** A manifest part (`data` null: too large to read): closes and checks the segment before it. */
  part(path: string, data: Buffer | null, seen: Seen): void {
    if (this.parts.has(path)) this.problems.push(`${path}: appears twice in the archive.`);
    this.parts.set(path, seen);
    const listed =
      data === null
        ? `${path} has ${seen.bytes} bytes, more than a manifest part may have.`
        : parseManifestPart(path, data);
    if (typeof listed === "string") this.problems.push(listed);
    else this.problems.push(...compareWithManifest(listed, this.segment));
    this.segment = new Map();
  }

  /** `manifest.json`'s bytes. */
  manifestFile(data: Buffer): void {
    const parsed = parseManifest(data);
    if (typeof parsed === "string") this.problems.push(parsed);
    else if (this.manifest) this.problems.push("manifest.json appears twice.");
    else this.manifest = parsed;
  }

  /** After the last entry: what no manifest part listed, and the parts against `manifest.json`. */
  end(): void {
    for (const path of this.segment.keys()) {
      this.problems.push(`${path}: in the archive but not in the manifest.`);
    }
    this.segment = new Map();
    if (!this.manifest) {
      this.problems.push("The archive has no manifest.json, so its entries cannot be checked.");
      return;
    }
    this.problems.push(...compareWithManifest(this.manifest.parts, this.parts));
  }
}
