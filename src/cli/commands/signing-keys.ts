import type { Command } from "commander";
import type { SigningKeyInfo } from "../../certificate/index.js";
import { printTable, writeJson } from "../output.js";
import { withAppContext } from "../with-app-context.js";

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
      else
        printTable<SigningKeyInfo>(
          [
            { header: "KEY ID", value: (k) => k.keyId },
            { header: "ALGORITHM", value: (k) => k.algorithm },
            { header: "CREATED", value: (k) => k.createdDateTime },
            { header: "RETIRED", value: (k) => k.retiredDateTime },
          ],
          list,
        );
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
