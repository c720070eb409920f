import { Readable } from "node:stream";
import zlib from "node:zlib";
import tar from "tar-stream";

/** One file of an export archive. */
export interface ArchiveEntry {
  path: string;
  data: Buffer;
}

/** The archive's entries, read with tar-stream and zlib directly (not through src/backup). */
export async function entriesOf(archive: Buffer): Promise<ArchiveEntry[]> {
  const extract = tar.extract();
  Readable.from([zlib.gunzipSync(archive)]).pipe(extract);
  const entries: ArchiveEntry[] = [];
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    entries.push({ path: entry.header.name, data: Buffer.concat(chunks) });
  }
  return entries;
}

/** Entries packed as tar.gz, in the given order (for archives a test builds or tampers with). */
export async function packArchive(entries: readonly ArchiveEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const entry of entries) pack.entry({ name: entry.path }, entry.data);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return zlib.gzipSync(Buffer.concat(chunks));
}
