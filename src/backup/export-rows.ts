import type { ExportDriveItemRow, ExportMessageRow } from "./export-content.repository.js";
import type { ExportUserRow } from "./export-directory.repository.js";

/**
 * The archive's JSON shapes: camelCase and Graph-like (`…DateTime`), as the API shows the same
 * things. Pure; the rows come from the export repositories, which never select a secret.
 * Booleans and numbers are normalized (SQLite returns 0/1, PostgreSQL may return bigints as text).
 */

export const bool = (value: unknown): boolean => Boolean(value);
export const nullableBool = (value: unknown): boolean | null =>
  value === null || value === undefined ? null : Boolean(value);

export interface ArchivedUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  mail: string | null;
  mailNickname: string;
  accountEnabled: boolean;
  onPremisesSyncEnabled: boolean | null;
  externalId: string | null;
  perUserMfaState: string;
  createdDateTime: string;
  deletedDateTime: string | null;
}

export function toArchivedUser(row: ExportUserRow): ArchivedUser {
  return {
    id: row.id,
    userPrincipalName: row.user_principal_name,
    displayName: row.display_name,
    mail: row.mail,
    mailNickname: row.mail_nickname,
    accountEnabled: bool(row.account_enabled),
    onPremisesSyncEnabled: nullableBool(row.on_premises_sync_enabled),
    externalId: row.external_id,
    perUserMfaState: row.per_user_mfa_state,
    createdDateTime: row.created_at,
    deletedDateTime: row.deleted_at,
  };
}

export interface ArchivedRoleAssignment {
  userId: string;
  roleTemplateId: string;
  createdDateTime: string;
}

export interface ArchivedGroup {
  id: string;
  displayName: string;
  description: string | null;
  mailNickname: string;
  securityEnabled: boolean;
  externalId: string | null;
  onPremisesSyncEnabled: boolean | null;
  createdDateTime: string;
}

export function toArchivedGroup(row: {
  id: string;
  display_name: string;
  description: string | null;
  mail_nickname: string;
  security_enabled: unknown;
  external_id: string | null;
  on_premises_sync_enabled: unknown;
  created_at: string;
}): ArchivedGroup {
  return {
    id: row.id,
    displayName: row.display_name,
    description: row.description,
    mailNickname: row.mail_nickname,
    securityEnabled: bool(row.security_enabled),
    externalId: row.external_id,
    onPremisesSyncEnabled: nullableBool(row.on_premises_sync_enabled),
    createdDateTime: row.created_at,
  };
}

export interface ArchivedGroupMember {
  groupId: string;
  userId: string;
  createdDateTime: string;
}

export interface ArchivedMessage {
  id: string;
  subject: string;
  body: { contentType: string; content: string };
  from: { emailAddress: { address: string; name: string | null } } | null;
  toRecipients: { emailAddress: { address: string; name: string | null } }[];
  receivedDateTime: string;
  createdDateTime: string;
  sizeBytes: number;
}

export function toArchivedMessage(row: ExportMessageRow): ArchivedMessage {
  const recipients = JSON.parse(row.to_recipients) as { address: string; name: string | null }[];
  return {
    id: row.id,
    subject: row.subject,
    body: { contentType: row.body_content_type, content: row.body_content },
    from:
      row.from_address === null
        ? null
        : { emailAddress: { address: row.from_address, name: row.from_name } },
    toRecipients: recipients.map((r) => ({ emailAddress: { address: r.address, name: r.name } })),
    receivedDateTime: row.received_at,
    createdDateTime: row.created_at,
    sizeBytes: Number(row.size_bytes),
  };
}

export interface ArchivedDriveItem {
  id: string;
  path: string;
  name: string;
  size: number;
  sha256: string;
  contentType: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
}

export function toArchivedDriveItem(row: ExportDriveItemRow): ArchivedDriveItem {
  return {
    id: row.id,
    path: row.path,
    name: row.name,
    size: Number(row.size_bytes),
    sha256: row.sha256,
    contentType: row.content_type,
    createdDateTime: row.created_at,
    lastModifiedDateTime: row.updated_at,
  };
}
