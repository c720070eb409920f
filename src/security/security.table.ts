/**
 * A sign-in session. The bearer token itself is never stored: only its SHA-256, so a copy of the
 * database cannot be replayed as tokens. `user_epoch` is the user's `security_epoch` at issue; the
 * directory bumps that epoch when the password changes, a role is removed or the account is
 * disabled, which ends every older session at once.
 */
export interface AuthSessionTable {
  tenant_id: string;
  id: string;
  token_hash: string;
  /** `user` or `application`. */
  subject_type: string;
  subject_id: string;
  /** `full`, `mfaRegistration` (may only enrol a method) or `passwordChange`. */
  kind: string;
  user_epoch: number;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  /** When the password (or client secret) was last checked for this session. */
  authenticated_at: string;
  /** When a second factor was last checked for this session, if ever. */
  mfa_at: string | null;
}

/** The second step of a sign-in with MFA: valid for a few minutes, a few attempts, used once. */
export interface MfaChallengeTable {
  tenant_id: string;
  id: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  failed_attempts: number;
  /** The user's `security_epoch` when the password was checked: a later change voids the challenge. */
  user_epoch: number;
}

/** A software OATH (TOTP) method; the secret is sealed with the master key (SPEC §2). */
export interface TotpMethodTable {
  tenant_id: string;
  id: string;
  user_id: string;
  display_name: string;
  secret_ciphertext: string;
  /** `pending` until a first code is verified, then `active`. */
  status: string;
  /** The last 30-second step whose code was accepted: codes are accepted once (replay). */
  last_used_step: number | null;
  created_at: string;
  activated_at: string | null;
}

export interface RecoveryCodeTable {
  tenant_id: string;
  id: string;
  user_id: string;
  code_hash: string;
  created_at: string;
  used_at: string | null;
}

/**
 * Failed sign-ins per account and per source address (installation-level, like the domain
 * registry: an address is not a tenant's). Growing delays, never a permanent lock.
 */
export interface SigninThrottleTable {
  throttle_key: string;
  failures: number;
  last_failure_at: string;
  blocked_until: string | null;
}

export interface SecurityTables {
  auth_session: AuthSessionTable;
  mfa_challenge: MfaChallengeTable;
  totp_method: TotpMethodTable;
  recovery_code: RecoveryCodeTable;
  signin_throttle: SigninThrottleTable;
}
