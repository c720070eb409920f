export { hashPassword, verifyPassword } from "./password-hash.js";
export { assertPasswordAllowed } from "./password-policy.js";
export { createSecretBox, loadMasterKey, type SecretBox } from "./secret-box.js";
export {
  ACCESS_TOKEN_TTL_MS,
  RESTRICTED_TOKEN_TTL_MS,
  STEP_UP_WINDOW_MS,
  type Session,
  type SessionKind,
  type SessionSubject,
  stepUpBlocker,
} from "./session.js";
export {
  authenticateAccessToken,
  type IssuedToken,
  type IssueSessionInput,
  issueSession,
  revokeSession,
} from "./session.service.js";
