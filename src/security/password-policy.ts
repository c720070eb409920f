import { invalid } from "../shared/app-error.js";

/** A short list of passwords that attackers try first; rejected whatever their length. */
const COMMON_PASSWORDS = new Set([
  "password1234",
  "password12345",
  "password123456",
  "passw0rd1234",
  "123456789012",
  "1234567890123",
  "12345678901234",
  "qwertyuiop12",
  "qwerty123456",
  "qwertyuiopasdf",
  "iloveyou1234",
  "administrator",
  "administrator1",
  "welcome12345",
  "welcome123456",
  "letmein12345",
  "changeme1234",
  "changeme12345",
  "aaaaaaaaaaaa",
  "abcdefghijkl",
  "abc123456789",
  "monkey123456",
  "football1234",
  "baseball1234",
  "sunshine1234",
  "princess1234",
  "trustno11234",
  "p@ssw0rd1234",
  "p@ssword1234",
  "summer2024!!",
  "winter2024!!",
  "spring2025!!",
  "autumn2025!!",
  "1q2w3e4r5t6y",
  "zaq12wsxcde3",
]);

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/**
 * SPEC §2: at least 12 characters, not the user's UPN (nor its local part), not a common password.
 * Throws an Invalid AppError naming the rule broken.
 */
export function assertPasswordAllowed(password: string, userPrincipalName: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw invalid(
      "PASSWORD_TOO_SHORT",
      `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`,
    );
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw invalid(
      "PASSWORD_TOO_LONG",
      `The password must have at most ${MAX_PASSWORD_LENGTH} characters.`,
    );
  }
  const lowered = password.toLowerCase();
  const upn = userPrincipalName.toLowerCase();
  const localPart = upn.split("@")[0] ?? upn;
  if (lowered === upn || lowered === localPart) {
    throw invalid("PASSWORD_IS_USERNAME", "The password must not be the user name.");
  }
  if (COMMON_PASSWORDS.has(lowered)) {
    throw invalid("PASSWORD_TOO_COMMON", "The password is too common; choose another.");
  }
}
