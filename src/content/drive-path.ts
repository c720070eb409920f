import { invalid } from "../shared/app-error.js";

/** Longest path below the drive's root Tenantry accepts, in characters (after normalization). */
export const MAX_DRIVE_PATH_LENGTH = 400;

export const DRIVE_PATH_INVALID = "DRIVE_PATH_INVALID";

/** Characters OneDrive refuses in names, plus control characters. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses.
const FORBIDDEN_CHARACTERS = /["*:<>?\\|\u0000-\u001f\u007f]/;

export interface DrivePath {
  /** Segments joined by `/`, Unicode NFC, no leading or trailing `/`. */
  path: string;
  /** The lower-cased path: one item per key and user. */
  key: string;
  /** The last segment. */
  name: string;
}

function refuse(message: string) {
  return invalid(DRIVE_PATH_INVALID, message, { field: "path" });
}

/**
 * The path of `PUT …/drive/root:/{path}:/content`, normalized; throws DRIVE_PATH_INVALID (400) for
 * an empty path, an empty, `.` or `..` segment, a character OneDrive forbids in names, or more than
 * MAX_DRIVE_PATH_LENGTH characters. Pure.
 */
export function parseDrivePath(raw: string): DrivePath {
  const path = raw.normalize("NFC").replace(/^\/+/, "");
  if (path === "") throw refuse("The path is empty: name the file, e.g. root:/notes.txt:.");
  if (path.length > MAX_DRIVE_PATH_LENGTH) {
    throw refuse(`The path is longer than ${MAX_DRIVE_PATH_LENGTH} characters.`);
  }
  const segments = path.split("/");
  for (const segment of segments) {
    if (segment === "") throw refuse("The path has an empty segment ('//' or a trailing '/').");
    if (segment === "." || segment === "..") {
      throw refuse("The path may not contain '.' or '..' segments.");
    }
    if (FORBIDDEN_CHARACTERS.test(segment)) {
      throw refuse(`The path may not contain control characters or any of " * : < > ? \\ |.`);
    }
    if (segment.trim() !== segment) {
      throw refuse("A path segment may not begin or end with a space.");
    }
  }
  return { path, key: path.toLowerCase(), name: segments.at(-1) ?? path };
}
