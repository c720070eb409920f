/**
 * Errors are data: every failure a caller can act on is an AppError with a kind (what sort of
 * failure, mapped to HTTP/Graph/SCIM statuses and CLI exit codes in one place per transport) and a
 * stable UPPER_SNAKE code that clients may rely on. Areas never know about HTTP.
 */
export type ErrorKind =
  | "Invalid"
  | "NotFound"
  | "Forbidden"
  | "Conflict"
  | "Blocked"
  | "Unauthorized"
  | "TooManyRequests";

export class AppError extends Error {
  override readonly name = "AppError";

  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    /** Extra machine-readable facts (e.g. which field, when a wait ends). */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

export const invalid = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError("Invalid", code, message, details);
export const notFound = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError("NotFound", code, message, details);
export const forbidden = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError("Forbidden", code, message, details);
export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError("Conflict", code, message, details);
export const blocked = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError("Blocked", code, message, details);
