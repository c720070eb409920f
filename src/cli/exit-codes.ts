import type { ErrorKind } from "../shared/app-error.js";

/**
 * The one mapping of outcomes to process exit codes; scripts may rely on these (README.md lists
 * them). New error kinds must be placed here — the Record type makes forgetting one a type error.
 */
export const ExitCode = {
  /** Done. */
  Ok: 0,
  /** A failure Tenantry did not foresee (a bug, the database unreachable); the message says what. */
  Unexpected: 1,
  /** The command line or its input is wrong (unknown command or option, invalid value). */
  Usage: 2,
  /** What the command names does not exist. */
  NotFound: 3,
  /** Not signed in, or not allowed to do this. */
  Denied: 4,
  /** Refused by the current state (conflict, blocked by a rule, rate-limited): fix it or retry. */
  Refused: 5,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const EXIT_CODE_BY_KIND: Readonly<Record<ErrorKind, ExitCode>> = {
  Invalid: ExitCode.Usage,
  NotFound: ExitCode.NotFound,
  Unauthorized: ExitCode.Denied,
  Forbidden: ExitCode.Denied,
  Conflict: ExitCode.Refused,
  Blocked: ExitCode.Refused,
  TooManyRequests: ExitCode.Refused,
};

export function exitCodeForKind(kind: ErrorKind): ExitCode {
  return EXIT_CODE_BY_KIND[kind];
}
