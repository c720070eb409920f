/**
 * Users' content rows (SPEC §4). Times are ISO-8601 UTC strings, as everywhere in the store. Both
 * tables reference `app_user (tenant_id, id)` with ON DELETE CASCADE: purging a user erases them.
 */

/** A message in a user's mailbox, in the parts of Graph's message shape Tenantry keeps. */
export interface MailMessageTable {
  tenant_id: string;
  id: string;
  /** The mailbox's owner. */
  user_id: string;
  subject: string;
  /** `text` | `html`. */
  body_content_type: string;
  body_content: string;
  from_address: string | null;
  from_name: string | null;
  /** JSON array of `{address, name}`. */
  to_recipients: string;
  received_at: string;
  created_at: string;
  /** UTF-8 bytes of subject, body, sender and recipients: what the message weighs in totals. */
  size_bytes: number;
}

/** A file in a user's drive, its bytes stored in the row (`blob` / `bytea`). */
export interface DriveItemTable {
  tenant_id: string;
  id: string;
  user_id: string;
  /** Normalized path below the drive's root, segments joined by `/` (e.g. `reports/q1.pdf`). */
  path: string;
  /** Lower-cased `path`: unique per user, so `A.txt` and `a.txt` are one file, as in OneDrive. */
  path_key: string;
  /** The path's last segment. */
  name: string;
  content: Buffer;
  size_bytes: number;
  /** Lower-case hex SHA-256 of `content`. */
  sha256: string;
  content_type: string;
  created_at: string;
  updated_at: string;
}

export interface ContentTables {
  mail_message: MailMessageTable;
  drive_item: DriveItemTable;
}
