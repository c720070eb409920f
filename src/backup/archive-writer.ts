import { createHash } from "node:crypto";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import tar from "tar-stream";
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  type ExportManifest,
  type ExportSummary,
  MANIFEST_PART_ENTRIES,
  MANIFEST_PART_PREFIX,
  MANIFEST_PATH,
  type ManifestPart,
  partPath,
} from "./backup.js";
import { formatManifestLine } from "./manifest.js";

/** Receives the archive's bytes in order; the writer waits for each call before going on. */
export type ArchiveSink = (chunk: Buffer) => Promise<void>;

/**
 * Writes a tar.gz entry by entry with backpressure all the way: an entry's promise settles only
 * once its bytes went through tar and gzip, and gzip's output is handed to `sink` one chunk at a
 * time, each awaited. So a caller that awaits `add` before reading its next page never holds more
 * than one entry plus the streams' small buffers.
 *
 * The manifest is written as the archive goes (backup.ts, layout): every MANIFEST_PART_ENTRIES
 * entries become a manifest part, and only the parts' sizes and hashes are kept for
 * `manifest.json` (one per 1,000 entries), so memory does not grow with the tenant.
 */
export class ArchiveWriter {
  private readonly pack = tar.pack();
  private readonly hash = createHash("sha256");
  private bytes = 0;
  private written = 0;
  /** The open manifest part: one line per entry written since the last part. */
  private segment: string[] = [];
  private readonly parts: ManifestPart[] = [];
  private listed = { entries: 0, bytes: 0 };
  private readonly done: Promise<void>;
  private failure: unknown;

  constructor(
    sink: ArchiveSink,
    private readonly mtime: Date,
    private readonly onEntry?: (path: string) => void,
  ) {
    const out = new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        this.hash.update(chunk);
        this.bytes += chunk.length;
        sink(chunk).then(() => callback(), callback);
      },
    });
    this.done = pipeline(this.pack, zlib.createGzip(), out);
    // Observed here so a failing sink never goes unhandled; `add` and `finish` rethrow it.
    this.done.catch((error: unknown) => {
      this.failure = error;
    });
  }

  /** Adds one entry (its size is known: bounded parts, one file's bytes), listed in the manifest. */
  async add(path: string, data: Buffer): Promise<void> {
    const sha256 = await this.write(path, data);
    this.segment.push(formatManifestLine({ path, bytes: data.length, sha256 }));
    this.listed.entries += 1;
    this.listed.bytes += data.length;
    if (this.segment.length >= MANIFEST_PART_ENTRIES) await this.writeManifestPart();
  }

  /**
   * Writes the last manifest part and `manifest.json`, ends the archive and waits until `sink`
   * has every byte.
   */
  async finish(
    about: Pick<ExportManifest, "tenant" | "createdDateTime" | "counts">,
  ): Promise<ExportSummary> {
    await this.writeManifestPart();
    const manifest: ExportManifest = {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      ...about,
      entries: this.listed.entries,
      bytes: this.listed.bytes,
      parts: this.parts,
    };
    await this.write(MANIFEST_PATH, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
    this.pack.finalize();
    await this.done;
    return {
      sha256: this.hash.digest("hex"),
      bytes: this.bytes,
      entries: this.written,
      counts: about.counts,
    };
  }

  /** Stops writing after a failure; the sink gets nothing more. */
  abort(error: unknown): void {
    this.pack.destroy(error instanceof Error ? error : new Error(String(error)));
  }

  /** The open manifest part, listing the entries since the previous one (none: nothing). */
  private async writeManifestPart(): Promise<void> {
    if (this.segment.length === 0) return;
    const data = Buffer.from(this.segment.join(""), "utf8");
    const entries = this.segment.length;
    this.segment = [];
    const path = partPath(MANIFEST_PART_PREFIX, this.parts.length + 1);
    const sha256 = await this.write(path, data);
    this.parts.push({ path, bytes: data.length, sha256, entries });
  }

  /** One tar entry, through gzip to the sink; returns the entry's SHA-256 (hex). */
  private async write(path: string, data: Buffer): Promise<string> {
    if (this.failure !== undefined) throw this.failure;
    await new Promise<void>((resolve, reject) => {
      const entry = this.pack.entry(
        { name: path, size: data.length, mtime: this.mtime },
        data,
        (error) => (error ? reject(this.failure ?? error) : resolve()),
      );
      // The failure arrives through the callback; unheard, a destroyed pack's entry would also
      // raise it as an 'error' event and end the process.
      entry.on("error", () => undefined);
    });
    this.written += 1;
    this.onEntry?.(path);
    return createHash("sha256").update(data).digest("hex");
  }
}
