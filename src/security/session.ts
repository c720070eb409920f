import crypto from "node:crypto";
import { forbidden } from "../shared/app-error.js";
import { MINUTE } from "../shared/clock.js";

export type SessionKind = "full" | "mfaRegistration" | "passwordChange";
export type SessionSubject = "user" | "application";

/** What an authenticated request knows about its session; never the token itself. */
export interface Session {
  id: string;
  tenantId: string;
  subjectType: SessionSubject;
  subjectId: string;
  kind: SessionKind;
  createdDateTime: Date;
  expiresDateTime: Date;
  /** When the password (or client secret) was checked. */
  authenticatedDateTime: Date;
  /** When a second factor was checked, if ever. */
  mfaDateTime: Date | null;
}

/** Access tokens live an hour, like Entra's; MFA-registration and password-change tokens 10 min. */
export const ACCESS_TOKEN_TTL_MS = 60 * MINUTE;
export const RESTRICTED_TOKEN_TTL_MS = 10 * MINUTE;
/** Destructive operations need a sign-in this recent (SPEC §2). */
export const STEP_UP_WINDOW_MS = 10 * MINUTE;

const TOKEN_PREFIX = "tnt_";

/** An opaque bearer token: 32 random bytes. Only its hash is stored. */
export function newAccessToken(): string {
  return `${TOKEN_PREFIX}${crypto.randomBytes(32).toString("base64url")}`;
}

export function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

export function looksLikeAccessToken(token: string): boolean {
  return token.startsWith(TOKEN_PREFIX) && token.length === TOKEN_PREFIX.length + 43;
}

/**
 * Why a session may not do something destructive now (purge, tenant deletion, closure), or null:
 * it needs a password check within the last 10 minutes and, when the user has an MFA method, a
 * second factor within the same window.
 */
export function stepUpBlocker(session: Session, now: Date, userHasMfaMethod: boolean) {
  const fresh = (at: Date | null) =>
    at !== null && now.getTime() - at.getTime() <= STEP_UP_WINDOW_MS;
  if (
    session.kind === "full" &&
    fresh(session.authenticatedDateTime) &&
    (!userHasMfaMethod || fresh(session.mfaDateTime))
  ) {
    return null;
  }
  return forbidden(
    "StepUpRequired",
    userHasMfaMethod
      ? "This needs a sign-in with your second factor within the last 10 minutes; sign in again."
      : "This needs a sign-in within the last 10 minutes; sign in again.",
    { windowMinutes: STEP_UP_WINDOW_MS / MINUTE },
  );
}
