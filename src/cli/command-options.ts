import type { Command } from "commander";

/** Options of destructive commands (issue 8): `--yes` skips the question, refused without it off a terminal. */
export function destructive(command: Command, dryRun = true): Command {
  command.option("-y, --yes", "do not ask for confirmation (required when not on a terminal)");
  if (dryRun) command.option("--dry-run", "show what would change, change nothing");
  return command;
}

/** `--help` shows an example on every command. */
export function example(command: Command, ...lines: string[]): Command {
  return command.addHelpText("after", `\nExample:\n${lines.map((l) => `  ${l}`).join("\n")}`);
}

export interface DestructiveFlags {
  yes?: boolean;
  dryRun?: boolean;
}

/** Path segments from user input (ids, UPNs) are encoded, so that they address one resource. */
export function segment(value: string): string {
  return encodeURIComponent(value);
}
