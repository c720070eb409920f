import type { ErrorKind } from "../shared/app-error.js";

/**
 * The one mapping of outcomes to process exit codes. It is a public contract (issue 8; README.md
 * and docs/cli.md list it): scripts may rely on these five numbers and nothing else. New error
 * kinds must be placed here — the Record type makes forgetting one a type error.
 */
export const ExitCode = {
  /** Done. */
  Ok: 0,
  /** Failed: not found, not signed in, not allowed, rate-limited, the server unreachable, a bug. */
  Failure: 1,
  /** The command line or its input is wrong (unknown command or option, invalid value or file). */
  Usage: 2,
  /** Refused by the current state (failed checks, a conflict): fix what it names, then retry. */
  Blocked: 3,
  /** Bulk work where some items succeeded and some failed; the per-item results say which. */
  Partial: 4,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const EXIT_CODE_BY_KIND: Readonly<Record<ErrorKind, ExitCode>> = {
  Invalid: ExitCode.Usage,
  NotFound: ExitCode.Failure,
  Unauthorized: ExitCode.Failure,
  Forbidden: ExitCode.Failure,
  Conflict: ExitCode.Blocked,
  Blocked: ExitCode.Blocked,
  TooManyRequests: ExitCode.Failure,
};

export function exitCodeForKind(kind: ErrorKind): ExitCode {
  return EXIT_CODE_BY_KIND[kind];
}

/**
 * Ends a command with a given exit code. Without `code`, the command has already printed its
 * result (e.g. per-item results of bulk work): run-cli.ts prints `message` on stderr only, so
 * stdout keeps exactly one document. With `code`, it is a failure reported like any other.
 */
export class CommandExit extends Error {
  override readonly name = "CommandExit";

  constructor(
    readonly exitCode: ExitCode,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}
