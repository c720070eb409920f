import { queryError } from "./query-options.js";

/**
 * An opaque `$skiptoken`: a listing's position followed by the options it was read with (its
 * `$filter`, say), as base64url JSON, so that an `@odata.nextLink` needs nothing else. Absent
 * options are null.
 */
export function encodeSkipToken(position: string, options: readonly (string | undefined)[]) {
  return Buffer.from(JSON.stringify([position, ...options.map((o) => o ?? null)])).toString(
    "base64url",
  );
}

/**
 * The position and the `count` options of a token `encodeSkipToken` wrote; a 400
 * (`ODATA_QUERY_INVALID`) for anything else.
 */
export function decodeSkipToken(
  text: string,
  count: number,
): { position: string; options: (string | undefined)[] } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (Array.isArray(parsed) && parsed.length === count + 1) {
      const [position, ...options] = parsed as unknown[];
      if (
        typeof position === "string" &&
        options.every((o) => o === null || typeof o === "string")
      ) {
        return { position, options: options.map((o) => (o as string | null) ?? undefined) };
      }
    }
  } catch {
    // fall through to the error below
  }
  throw queryError("skiptoken", "The $skiptoken is malformed; use the @odata.nextLink as given.");
}
