import type { AppContext } from "../shared/app-context.js";
import { AppError } from "../shared/app-error.js";
import { newId } from "../shared/ids.js";
import type { Executor } from "../store/database.js";
import {
  ACCESS_TOKEN_TTL_MS,
  hashToken,
  looksLikeAccessToken,
  newAccessToken,
  RESTRICTED_TOKEN_TTL_MS,
  type Session,
  type SessionKind,
  type SessionSubject,
} from "./session.js";
import {
  findSessionWithSubjectState,
  insertSession,
  revokeSessionRow,
  type SessionRow,
} from "./session.repository.js";

export interface IssueSessionInput {
  tenantId: string;
  subjectType: SessionSubject;
  subjectId: string;
  kind: SessionKind;
  /** The user's `security_epoch` now (0 for applications). */
  userEpoch: number;
  authenticatedAt: Date;
  mfaAt?: Date | null;
}

/** A session as a request presents it, with its user's roles read in the same round trip. */
export interface AuthenticatedSession extends Session {
  /** The user's directory role template ids when the session was checked; none for applications. */
  subjectRoleTemplateIds: readonly string[];
}

export interface IssuedToken {
  accessToken: string;
  /** Seconds until the token expires. */
  expiresIn: number;
  session: Session;
}

/** Creates a session and returns its bearer token; call inside the sign-in's transaction. */
export async function issueSession(
  ctx: Pick<AppContext, "clock">,
  trx: Executor,
  input: IssueSessionInput,
): Promise<IssuedToken> {
  const now = ctx.clock.now();
  const ttl = input.kind === "full" ? ACCESS_TOKEN_TTL_MS : RESTRICTED_TOKEN_TTL_MS;
  const accessToken = newAccessToken();
  const row = {
    tenant_id: input.tenantId,
    id: newId(),
    token_hash: hashToken(accessToken),
    subject_type: input.subjectType,
    subject_id: input.subjectId,
    kind: input.kind,
    user_epoch: input.userEpoch,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + ttl).toISOString(),
    revoked_at: null,
    authenticated_at: input.authenticatedAt.toISOString(),
    mfa_at: input.mfaAt ? input.mfaAt.toISOString() : null,
  };
  await insertSession(trx, row);
  return { accessToken, expiresIn: Math.floor(ttl / 1000), session: toSession(row) };
}

function invalidToken(message = "The access token is missing, expired or revoked; sign in again.") {
  return new AppError("Unauthorized", "InvalidAuthenticationToken", message);
}

/**
 * The session behind a bearer token, or Unauthorized. A token stops working at once when it
 * expires or is revoked, when its user is deleted or disabled, when the user's security epoch
 * moved on (password changed, a role removed), or when its tenant is gone.
 */
export async function authenticateAccessToken(
  ctx: Pick<AppContext, "db" | "clock">,
  token: string,
): Promise<AuthenticatedSession> {
  if (!looksLikeAccessToken(token)) throw invalidToken();
  const row = await findSessionWithSubjectState(ctx.db, hashToken(token));
  const now = ctx.clock.now().toISOString();
  if (!row || row.revoked_at !== null || row.expires_at <= now) throw invalidToken();
  if (row.tenant_state === "deleted") throw invalidToken();
  if (row.subject_type === "user") {
    const live =
      row.user_id !== null && row.user_deleted_at === null && Boolean(row.user_account_enabled);
    if (!live || Number(row.user_security_epoch) !== Number(row.user_epoch)) throw invalidToken();
  } else if (row.application_id === null) {
    throw invalidToken();
  }
  return { ...toSession(row), subjectRoleTemplateIds: row.user_role_template_ids };
}

/** Ends one session (sign-out). */
export async function revokeSession(
  ctx: Pick<AppContext, "db" | "clock">,
  session: Pick<Session, "tenantId" | "id">,
): Promise<void> {
  await revokeSessionRow(ctx.db, session.tenantId, session.id, ctx.clock.now().toISOString());
}

function toSession(row: SessionRow): Session {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    subjectType: row.subject_type as SessionSubject,
    subjectId: row.subject_id,
    kind: row.kind as SessionKind,
    createdDateTime: new Date(row.created_at),
    expiresDateTime: new Date(row.expires_at),
    authenticatedDateTime: new Date(row.authenticated_at),
    mfaDateTime: row.mfa_at === null ? null : new Date(row.mfa_at),
  };
}
