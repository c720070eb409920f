import { isAppError } from "../shared/app-error.js";
import { CommandExit, ExitCode, exitCodeForKind } from "./exit-codes.js";
import { writeError, writeJson } from "./output.js";
import { buildProgram, commandPath, UsageError } from "./program.js";

interface Failure {
  exitCode: ExitCode;
  /** Absent when the command printed its result already and only the exit code is left. */
  code?: string;
  message: string;
  /** The server's machine-readable facts (e.g. the failed checks); JSON only. */
  info?: unknown;
  /** Extra lines for a human (usage); never in JSON. */
  hints: string[];
}

/**
 * Runs one command line (`process.argv` form) and returns the exit code (exit-codes.ts). Every
 * failure is reported here, once: `tenantry: <CODE>: <message>` on stderr, or with `--json`
 * anywhere on the line, `{"error":{"code","message","info"?}}` on stdout — never a stack trace.
 */
export async function runCli(argv: readonly string[]): Promise<ExitCode> {
  const json = argv.slice(2).includes("--json");
  try {
    await buildProgram().parseAsync([...argv]);
    return ExitCode.Ok;
  } catch (error) {
    const failure = describeFailure(error);
    if (failure.exitCode === ExitCode.Ok) return ExitCode.Ok;
    if (failure.code === undefined) {
      writeError(failure.message);
    } else if (json) {
      const info = failure.info === undefined ? {} : { info: failure.info };
      writeJson({ error: { code: failure.code, message: failure.message, ...info } });
    } else {
      writeError(`tenantry: ${failure.code}: ${failure.message}`);
      for (const hint of failure.hints) writeError(hint);
    }
    return failure.exitCode;
  }
}

function describeFailure(error: unknown): Failure {
  if (error instanceof UsageError) {
    const { exitCode, code } = error.commanderError;
    // --help and --version end parsing through the same path, successfully.
    if (exitCode === 0) return { exitCode: ExitCode.Ok, code: "OK", message: "", hints: [] };
    const path = commandPath(error.command);
    // Without a command, commander has already printed the whole help on stderr.
    if (code === "commander.help") {
      return {
        exitCode: ExitCode.Usage,
        code: "INVALID_USAGE",
        message: `${path} needs a command.`,
        hints: [],
      };
    }
    return {
      exitCode: ExitCode.Usage,
      code: "INVALID_USAGE",
      message: oneLine(error.message.replace(/^error: /, "")),
      hints: [`Usage: ${path} ${error.command.usage()}`, `Run "${path} --help" for details.`],
    };
  }
  if (isAppError(error)) {
    return {
      exitCode: exitCodeForKind(error.kind),
      code: error.code,
      message: oneLine(error.message),
      info: error.details.info,
      hints: [],
    };
  }
  if (error instanceof CommandExit) {
    return { exitCode: error.exitCode, code: error.code, message: error.message, hints: [] };
  }
  return { exitCode: ExitCode.Failure, code: "UNEXPECTED", message: describe(error), hints: [] };
}

/** A readable message even for errors without one (e.g. an AggregateError of refused sockets). */
function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const text = error.message || (typeof code === "string" ? code : error.name);
    return oneLine(text);
  }
  return oneLine(String(error));
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
