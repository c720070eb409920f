import fs from "node:fs";
import { Command, type CommanderError } from "commander";
import { registerAuditCommands } from "./commands/audit.js";
import { registerDemoCommand } from "./commands/demo.js";
import { registerMigrateCommand } from "./commands/migrate.js";
import { registerProductsCommands } from "./commands/products.js";
import { registerServeCommands } from "./commands/serve.js";
import { registerTenantCommands } from "./commands/tenant.js";

/** A command group (one file in commands/) registers its commands on the program. */
export type RegisterCommands = (program: Command) => void;

/** Every command group, in the order `tenantry --help` lists them. Add a group with one line. */
const COMMAND_GROUPS: readonly RegisterCommands[] = [
  registerServeCommands,
  registerMigrateCommand,
  registerTenantCommands,
  registerDemoCommand,
  registerAuditCommands,
  registerProductsCommands,
];

/** A command line commander refused (or `--help`/`--version`, exit code 0), and where. */
export class UsageError extends Error {
  override readonly name = "UsageError";

  constructor(
    readonly commanderError: CommanderError,
    readonly command: Command,
  ) {
    super(commanderError.message);
  }
}

/**
 * The `tenantry` program. It never exits the process itself: refused command lines surface as
 * `UsageError`s and failed actions as their errors, both rejected from `parseAsync`, so that
 * run-cli.ts reports every failure in one format with one exit-code mapping.
 */
export function buildProgram(): Command {
  const program = new Command("tenantry")
    .description("Tenantry: self-hosted organization admin center (operator CLI)")
    .version(readVersion(), "-V, --version")
    .option("--json", 'print errors as {"error":{"code","message"}} on stdout')
    .showSuggestionAfterError()
    // Commander's own error line is replaced by ours (run-cli.ts); help still goes to stderr.
    .configureOutput({ outputError: () => undefined });
  for (const register of COMMAND_GROUPS) register(program);
  throwInsteadOfExiting(program);
  return program;
}

function throwInsteadOfExiting(command: Command): void {
  command.exitOverride((error) => {
    throw new UsageError(error, command);
  });
  for (const sub of command.commands) throwInsteadOfExiting(sub);
}

/** `tenantry serve`, for usage hints. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c !== null; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

function readVersion(): string {
  // Two levels up from both src/cli/ and dist/cli/.
  const file = new URL("../../package.json", import.meta.url);
  const { version } = JSON.parse(fs.readFileSync(file, "utf8")) as { version?: string };
  return version ?? "unknown";
}
