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
  MANIFEST_PATH,
  type ManifestEntry,
} from "./backup.js";

/** Receives the archive's bytes in order; the writer waits for each call before going on. */
export type ArchiveSink = (chunk: Buffer) => Promise<void>;

/**
 * Writes a tar.gz entry by entry with backpressure all the way: an entry's promise settles only
 * once its bytes went through tar and gzip, and gzip's output is handed to `sink` one chunk at a
 * time, each awaited. So a caller that awaits `add` before reading its next page never holds more
 * than one entry plus the streams' small buffers. Every entry is recorded for the manifest.
 */
export class ArchiveWriter {
  private readonly pack = tar.pack();
  private readonly listed: ManifestEntry[] = [];
  private readonly hash = createHash("sha256");
  private bytes = 0;
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

  /** Adds one entry (its size is known: bounded parts, one file's bytes). */
  async add(path: string, data: Buffer): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    await new Promise<void>((resolve, reject) => {
      this.pack.entry({ name: path, size: data.length, mtime: this.mtime }, data, (error) =>
        error ? reject(this.failure ?? error) : resolve(),
      );
    });
    this.listed.push({
      path,
      bytes: data.length,
      sha256: createHash("sha256").update(data).digest("hex"),
    });
    this.onEntry?.(path);
  }

  /** Writes `manifest.json` last, ends the archive and waits until `sink` has every byte. */
  async finish(
    about: Pick<ExportManifest, "tenant" | "createdDateTime" | "counts">,
  ): Promise<ExportSummary> {
    const manifest: ExportManifest = {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      ...about,
      entries: this.listed,
    };
    const entries = this.listed.length + 1;
    await this.add(MANIFEST_PATH, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
    this.pack.finalize();
    await this.done;
    return { sha256: this.hash.digest("hex"), bytes: this.bytes, entries, counts: about.counts };
  }

  /** Stops writing after a failure; the sink gets nothing more. */
  abort(error: unknown): void {
    this.pack.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}
