export {
  type ClientCredentialsInput,
  type ClientCredentialsToken,
  issueClientCredentialsToken,
  OAUTH_ERROR,
} from "./client-credentials.service.js";
export { type HousekeepingResult, runSecurityHousekeeping } from "./housekeeping.service.js";
export { getPerUserMfaState, resetMfaMethods } from "./mfa-admin.service.js";
export type { TotpMethod, TotpMethodStatus } from "./mfa-method.js";
export {
  activateTotpMethod,
  deleteTotpMethod,
  generateRecoveryCodes,
  listTotpMethods,
  MAX_TOTP_METHODS,
  startTotpEnrolment,
  type TotpEnrolment,
} from "./mfa-method.service.js";
export { type CompleteMfaSignInInput, completeMfaSignIn } from "./mfa-signin.service.js";
export { type ChangePasswordInput, changePasswordWithToken } from "./password-change.service.js";
export { hashPassword, verifyPassword } from "./password-hash.js";
export { assertPasswordAllowed } from "./password-policy.js";
export { RECOVERY_CODE_COUNT } from "./recovery-code.js";
export { createSecretBox, loadMasterKey, type SecretBox } from "./secret-box.js";
export {
  ACCESS_TOKEN_TTL_MS,
  RESTRICTED_TOKEN_TTL_MS,
  type Session,
  type SessionKind,
  type SessionSubject,
  STEP_UP_WINDOW_MS,
  stepUpBlocker,
} from "./session.js";
export {
  type AuthenticatedSession,
  authenticateAccessToken,
  type IssuedToken,
  type IssueSessionInput,
  issueSession,
  revokeSession,
} from "./session.service.js";
export {
  MFA_CHALLENGE_MAX_ATTEMPTS,
  MFA_CHALLENGE_TTL_MS,
  nextSignInStep,
  type SignInResult,
  type SignInStep,
} from "./signin.js";
export { type SignInInput, signIn, signOut } from "./signin.service.js";
export {
  ACCOUNT_FREE_FAILURES,
  ADDRESS_FREE_FAILURES,
  THROTTLE_BASE_DELAY_MS,
  THROTTLE_FORGET_AFTER_MS,
  THROTTLE_MAX_DELAY_MS,
  throttleDelayMs,
} from "./signin-throttle.js";
export { assertStepUp } from "./step-up.service.js";
export {
  generateTotpSecret,
  matchTotpCode,
  TOTP_DIGITS,
  TOTP_ISSUER,
  TOTP_PERIOD_SECONDS,
  TOTP_SECRET_BYTES,
  totpStep,
  totpUri,
} from "./totp.js";
export { hashToken } from "./session.js";
export {
  type RegistrationFilter,
  toRegistrationFilter,
  type UserRegistration,
} from "./registration-details.js";
export {
  getUserRegistration,
  listUserRegistrations,
  MAX_REGISTRATION_PAGE,
  type UserRegistrationPage,
} from "./registration-details.service.js";
