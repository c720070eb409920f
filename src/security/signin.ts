import { AppError } from "../shared/app-error.js";
import { MINUTE } from "../shared/clock.js";

/** The second sign-in step must come within 5 minutes and within 5 tries, once. */
export const MFA_CHALLENGE_TTL_MS = 5 * MINUTE;
export const MFA_CHALLENGE_MAX_ATTEMPTS = 5;

/** What a sign-in answers once the password was right. */
export type SignInResult =
  | { kind: "signedIn"; accessToken: string; expiresIn: number }
  | { kind: "mfaRequired"; challengeId: string; expiresIn: number }
  | { kind: "mfaRegistrationRequired"; accessToken: string; expiresIn: number }
  | { kind: "passwordChangeRequired"; changeToken: string; expiresIn: number };

export type SignInStep = "passwordChange" | "mfaChallenge" | "mfaRegistration" | "full";

/**
 * What follows a correct password (SPEC §2, issue 3): a required password change first; then,
 * when per-user MFA is `enabled`/`enforced`, the second factor if the user has an active method,
 * otherwise a session that may only register one; otherwise a full session.
 */
export function nextSignInStep(user: {
  forceChangePassword: boolean;
  perUserMfaState: string;
  hasActiveMethod: boolean;
}): SignInStep {
  if (user.forceChangePassword) return "passwordChange";
  if (user.perUserMfaState === "disabled") return "full";
  return user.hasActiveMethod ? "mfaChallenge" : "mfaRegistration";
}

/**
 * The one answer to every failed password sign-in, whether the UPN exists, the password is wrong,
 * the account is disabled or deleted, or the organization is unknown or deleted: it tells an
 * attacker nothing about which accounts exist.
 */
export function invalidCredentials(): AppError {
  return new AppError(
    "Unauthorized",
    "InvalidCredentials",
    "The user name or password is incorrect.",
  );
}

export function invalidMfaChallenge(): AppError {
  return new AppError(
    "Unauthorized",
    "InvalidMfaChallenge",
    "This sign-in challenge is invalid, used or expired; sign in again.",
  );
}

export function invalidMfaCode(attemptsLeft: number): AppError {
  return new AppError(
    "Unauthorized",
    "InvalidMfaCode",
    "The verification code is not valid; check your authenticator app and try again.",
    { attemptsLeft },
  );
}

export function signInThrottled(retryAfterSeconds: number): AppError {
  return new AppError(
    "TooManyRequests",
    "TooManyRequests",
    `Too many failed sign-ins; try again in ${retryAfterSeconds} seconds.`,
    { retryAfterSeconds },
  );
}
