import fs from "node:fs";
import { Command, type CommanderError } from "commander";
import { registerAuditCommands } from "./commands/audit.js";
import { registerBackupCommands } from "./commands/backup.js";
import { registerBillingNouns } from "./commands/billing-nouns.js";
import { registerCertificateCommands } from "./commands/certificate.js";
import { registerCloseCommands } from "./commands/close.js";
import { registerCompletionCommand } from "./commands/completion.js";
import { registerDemoCommand } from "./commands/demo.js";
import { registerDirectoryNouns } from "./commands/directory-nouns.js";
import { registerLoginCommands } from "./commands/login.js";
import { registerMfaCommands } from "./commands/mfa.js";
import { registerMigrateCommand } from "./commands/migrate.js";
import { registerProductsCommands } from "./commands/products.js";
import { registerServeCommands } from "./commands/serve.js";
import { registerSigningKeysCommands } from "./commands/signing-keys.js";
import { registerSubscriptionsCommands } from "./commands/subscriptions.js";
import { registerSyncCommands } from "./commands/sync.js";
import { registerTenantCommands } from "./commands/tenant.js";
import { registerUsersCommands } from "./commands/users.js";

/** A command group (one file in commands/) registers its commands on the program. */
export type RegisterCommands = (program: Command) => void;

/**
 * Every command group, in the order `tenantry --help` lists them: the operator's commands on the
 * local store first, then the admin client's nouns (they call the API). Add a group with one line.
 */
const COMMAND_GROUPS: readonly RegisterCommands[] = [
  registerServeCommands,
  registerMigrateCommand,
  registerTenantCommands,
  registerDemoCommand,
  registerProductsCommands,
  registerSigningKeysCommands,
  registerLoginCommands,
  registerUsersCommands,
  registerDirectoryNouns,
  registerMfaCommands,
  registerSyncCommands,
  registerSubscriptionsCommands,
  registerBillingNouns,
  registerAuditCommands,
  registerCloseCommands,
  registerCertificateCommands,
  registerBackupCommands,
  registerCompletionCommand,
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
    .description(
      "Tenantry: self-hosted organization admin center — operator commands on the local store, and an admin client of the API (sign in with `tenantry login`)",
    )
    .version(readVersion(), "-V, --version")
    .option(
      "--json",
      'print exactly one JSON document on stdout: the result, or {"error":{"code","message"}}',
    )
    .option(
      "--profile <name>",
      "the signed-in profile to use (default: $TENANTRY_PROFILE, else default)",
    )
    .addHelpText(
      "after",
      "\nExit codes: 0 success, 1 failure, 2 usage error, 3 blocked, 4 partial success.\nExample:\n  tenantry login --url http://127.0.0.1:8080 --user admin@contoso.example\n  tenantry close checks",
    )
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
