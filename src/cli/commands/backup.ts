import fs from "node:fs";
import type { Command } from "commander";
import {
  BACKUP_ERROR,
  type ExportVerification,
  type ImportSummary,
  importTenantExport,
  verifyExportArchive,
} from "../../backup/index.js";
import { blocked, invalid } from "../../shared/app-error.js";
import { CommandExit, ExitCode } from "../exit-codes.js";
import { example } from "../command-options.js";
import { writeJson } from "../output.js";
import { withAppContext } from "../with-app-context.js";

/** The archive file must be a readable file; else invalid input (exit 2), named. */
function assertReadableFile(file: string): void {
  let isFile: boolean;
  try {
    isFile = fs.statSync(file).isFile();
    fs.accessSync(file, fs.constants.R_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw invalid("EXPORT_FILE_UNREADABLE", `Cannot read ${file} (${reason}).`, { field: "file" });
  }
  if (!isFile) {
    throw invalid("EXPORT_FILE_UNREADABLE", `${file} is not a file.`, { field: "file" });
  }
}

function printVerification(file: string, result: ExportVerification): void {
  const tenant = result.manifest?.tenant;
  const lines = [
    `${file}: a valid Tenantry export of ${tenant?.displayName} (${tenant?.initialDomain}), created ${result.manifest?.createdDateTime}`,
    `  ${result.entries} entries; every size and SHA-256 matches manifest.json`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

function printImport(summary: ImportSummary): void {
  const counts = Object.entries(summary.counts).map(([kind, n]) => `${kind} ${n}`);
  const skipped = Object.entries(summary.skipped).map(([kind, n]) => `${kind} ${n}`);
  const lines = [
    `imported into organization ${summary.tenantId} (${summary.domain}): ${counts.join(", ")}`,
    `not imported (history or recycle bin): ${skipped.join(", ") || "nothing"}`,
    ...summary.failures.map((f) => `  failed ${f.kind} ${f.id}: ${f.code}: ${f.message}`),
    `sign in as ${summary.admin.userPrincipalName} with the temporary password ${summary.admin.temporaryPassword} (must be changed at once);`,
    "every other user has no password until an administrator sets one.",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

/**
 * `tenantry export verify FILE` (offline: no store needed) and `tenantry import FILE --domain D`
 * (the local store, as the operator): the backup archive of SPEC §6.
 */
export function registerBackupCommands(program: Command): void {
  const exportCommand = program
    .command("export")
    .description("backup export archives (tar.gz) of an organization");
  example(exportCommand.command("verify"), "tenantry export verify contoso-export.tar.gz --json")
    .argument("<file>", "the archive, e.g. contoso-export.tar.gz")
    .description(
      "check an export offline against its manifest (size and SHA-256 of every entry); exits non-zero naming each problem",
    )
    .action(async (file: string, _options: unknown, command: Command) => {
      assertReadableFile(file);
      const result = await verifyExportArchive(fs.createReadStream(file));
      if (!result.valid) {
        // With --json, run-cli prints the error with this verification as `info`: one document.
        throw blocked(
          BACKUP_ERROR.EXPORT_INVALID,
          `${file} is not a valid Tenantry export (${result.problems.length} problem${result.problems.length === 1 ? "" : "s"}): ${result.problems.join(" ")}`,
          { info: result },
        );
      }
      if (command.optsWithGlobals().json) writeJson(result);
      else printVerification(file, result);
    });

  example(
    program.command("import"),
    "tenantry import contoso-export.tar.gz --domain contoso-restored.example",
  )
    .argument("<file>", "an export archive (tar.gz), verified before anything changes")
    .description(
      "restore an export into a NEW organization on the local store (operator); users get no password and must set a new one",
    )
    .requiredOption("--domain <domain>", "the new organization's initial domain (never reused)")
    .option("--display-name <name>", "its display name (default: the archived one)")
    .action(
      async (file: string, options: { domain: string; displayName?: string }, command: Command) => {
        assertReadableFile(file);
        const summary = await withAppContext((ctx) =>
          importTenantExport(ctx, () => fs.createReadStream(file), {
            domain: options.domain,
            displayName: options.displayName,
          }),
        );
        if (command.optsWithGlobals().json) writeJson(summary);
        else printImport(summary);
        if (summary.failures.length > 0) {
          // Partial: the organization exists with everything else; the failures list the rest.
          throw new CommandExit(
            ExitCode.Partial,
            `${summary.failures.length} item(s) could not be imported; the result lists them.`,
          );
        }
      },
    );
}
