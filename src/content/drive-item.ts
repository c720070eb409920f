/** A file in a user's drive, as Graph's driveItem describes it (without its bytes). */
export interface DriveItem {
  id: string;
  userId: string;
  /** Below the root, e.g. `reports/q1.pdf`. */
  path: string;
  name: string;
  size: number;
  sha256: string;
  contentType: string;
  createdDateTime: Date;
  lastModifiedDateTime: Date;
}

export interface DriveItemContent {
  content: Buffer;
  contentType: string;
}

export const DRIVE_ITEM_ERROR = {
  NOT_FOUND: "DRIVE_ITEM_NOT_FOUND",
  TOO_LARGE: "FILE_TOO_LARGE",
} as const;

/** Stored when an upload names none. */
export const DEFAULT_CONTENT_TYPE = "application/octet-stream";

const MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+(\s*;\s*[\x20-\x7e]*)?$/i;
const MAX_CONTENT_TYPE_LENGTH = 200;

/** The media type to store and serve back: the upload's, when well-formed; else the default. Pure. */
export function normalizeContentType(value: string | undefined): string {
  const trimmed = value?.trim() ?? "";
  return trimmed.length <= MAX_CONTENT_TYPE_LENGTH && MEDIA_TYPE.test(trimmed)
    ? trimmed
    : DEFAULT_CONTENT_TYPE;
}
