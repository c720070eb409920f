import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import tar from "tar-stream";
import { invalid, isAppError } from "../shared/app-error.js";

/** Where an archive comes from: a Node stream (a file, an HTTP body) or any async source of bytes. */
export type ArchiveInput = NodeJS.ReadableStream | AsyncIterable<Buffer>;

/** The archive could not be read as tar.gz at all (not gzip, truncated, not tar inside). */
export const EXPORT_UNREADABLE = "EXPORT_UNREADABLE";

export interface ArchiveEntryHeader {
  path: string;
  /** tar's entry type: `file` for every entry Tenantry writes. */
  type: string;
  size: number;
}

/**
 * Reads a tar.gz as a stream (gunzip → tar extract), calling `visit` for each entry in archive
 * order with its bytes as a stream that `visit` must consume (or leave: the rest is skipped). At
 * most one entry is in flight, so memory stays flat whatever the archive's size. Failures of the
 * archive itself become an AppError `EXPORT_UNREADABLE` whose message says what is wrong; an
 * AppError thrown by `visit` is passed through as it is.
 */
export async function forEachArchiveEntry(
  input: ArchiveInput,
  visit: (header: ArchiveEntryHeader, body: AsyncIterable<Buffer>) => Promise<void>,
): Promise<void> {
  const extract = tar.extract();
  const source = isNodeStream(input) ? input : Readable.from(input as AsyncIterable<Buffer>);
  const feeding = pipeline(source, zlib.createGunzip(), extract);
  const reading = (async () => {
    for await (const entry of extract) {
      const header = {
        path: entry.header.name,
        type: entry.header.type ?? "file",
        size: entry.header.size ?? 0,
      };
      await visit(header, entry as AsyncIterable<Buffer>);
      entry.resume();
    }
  })();
  const [fed, read] = await Promise.allSettled([feeding, reading]);
  // An AppError from `visit` explains the stop best; otherwise the archive's own failure does.
  if (read.status === "rejected" && isAppError(read.reason)) throw read.reason;
  if (fed.status === "rejected") throw unreadable(fed.reason);
  if (read.status === "rejected") throw unreadable(read.reason);
}

/** Reads an entry's body into one buffer (entries are bounded, see backup.ts PART_MAX_BYTES). */
export async function readBody(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function isNodeStream(input: ArchiveInput): input is NodeJS.ReadableStream {
  return typeof (input as NodeJS.ReadableStream).pipe === "function";
}

/**
 * EXPORT_UNREADABLE with a sentence about what is wrong with the bytes, from zlib's and
 * tar-stream's errors; any other error (e.g. the file cannot be read) is returned as it is.
 */
function unreadable(error: unknown): unknown {
  if (isAppError(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  let sentence: string;
  if (code === "Z_DATA_ERROR" && /header check/i.test(message)) {
    sentence = "The file is not a gzip archive (a Tenantry export is a .tar.gz).";
  } else if (code === "Z_BUF_ERROR" || /unexpected end/i.test(message)) {
    sentence = "The archive is truncated: it ends before its last entry is complete.";
  } else if (typeof code === "string" && code.startsWith("Z_")) {
    sentence = `The gzip data is corrupt (${message}).`;
  } else if (/tar header|Invalid header|Header exceeds/i.test(message)) {
    sentence = `The gzip data does not hold a valid tar archive (${message}).`;
  } else {
    return error;
  }
  return invalid(EXPORT_UNREADABLE, sentence);
}
