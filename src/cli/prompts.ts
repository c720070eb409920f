import confirm from "@inquirer/confirm";
import password from "@inquirer/password";
import { invalid } from "../shared/app-error.js";
import { CommandExit, ExitCode } from "./exit-codes.js";
import { t } from "./i18n.js";

/** Prompts need a person: stdin and stderr (where prompts go) both on a terminal. */
export function onTerminal(): boolean {
  return process.stdin.isTTY === true && process.stderr.isTTY === true;
}

/**
 * The gate of every destructive command (issue 8): with `--yes` it passes; on a terminal it asks
 * and a "no" ends the command having changed nothing (exit 1); elsewhere it refuses as a usage
 * error (exit 2), so a script never deletes by accident and never hangs on a prompt.
 */
export async function confirmDestructive(action: string, yes: boolean | undefined): Promise<void> {
  if (yes) return;
  if (!onTerminal()) {
    throw invalid("CONFIRMATION_REQUIRED", t("needsYes", { action }), { field: "yes" });
  }
  const accepted = await confirm(
    { message: t("confirmPrompt", { action }), default: false },
    { output: process.stderr },
  );
  if (!accepted) throw new CommandExit(ExitCode.Failure, t("declined"), "DECLINED");
}

/** A secret typed without echo; refuses (exit 2) when there is no terminal to type it on. */
export async function promptSecret(message: string, what: string): Promise<string> {
  if (!onTerminal()) throw invalid("PROMPT_NEEDS_TERMINAL", t("needsTty", { what }));
  return password({ message }, { output: process.stderr });
}

/** All of stdin, as lines (for `--password-stdin`). */
export async function readStdinLines(): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .split(/\r?\n/)
    .filter((line, i, all) => line !== "" || i < all.length - 1);
}
