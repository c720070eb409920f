import type { Command } from "commander";
import type { SigningKeyInfo } from "../../certificate/index.js";
import { writeJson } from "../output.js";
import { withAppContext } from "../with-app-context.js";

/** One line per key, in columns, for `signing-keys list` without `--json`. */
function formatTable(keys: readonly SigningKeyInfo[]): string {
  const rows = [
    ["KEY ID", "ALGORITHM", "CREATED", "RETIRED"],
    ...keys.map((k) => [k.keyId, k.algorithm, k.createdDateTime, k.retiredDateTime ?? "-"]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows
    .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))))
    .map((cells) => cells.join("  "))
    .join("\n");
}

/**
 * `tenantry signing-keys list|rotate`: the installation's keys that sign deletion certificates
 * (operator, local store). Rotating retires the current key, which then signs nothing more but
 * stays published, so every certificate it signed still verifies.
 */
export function registerSigningKeysCommands(program: Command): void {
  const keys = program
    .command("signing-keys")
    .description("the keys that sign deletion certificates (operator, local store)");

  keys
    .command("list")
    .description(
      "every key, oldest first, retired ones too; with the global --json flag, as a JSON array",
    )
    .addHelpText("after", "\nExample:\n  tenantry signing-keys list --json")
    .action(async (_options: unknown, command: Command) => {
      const { listSigningKeys } = await import("../../certificate/index.js");
      const list = await withAppContext((ctx) => listSigningKeys(ctx.db));
      if (command.optsWithGlobals().json) writeJson(list);
      else process.stdout.write(`${formatTable(list)}\n`);
    });

  keys
    .command("rotate")
    .description(
      "retire the current key and make a new one current; prints {current, retiredKeyIds}",
    )
    .addHelpText("after", "\nExample:\n  tenantry signing-keys rotate")
    .action(async () => {
      const { rotateSigningKey } = await import("../../certificate/index.js");
      const rotated = await withAppContext(async (ctx) => {
        const result = await rotateSigningKey(ctx, ctx.db);
        ctx.log.info(
          { keyId: result.current.keyId, retired: result.retiredKeyIds },
          "signing key rotated",
        );
        return result;
      });
      writeJson(rotated);
    });
}
