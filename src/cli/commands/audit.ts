import type { Command } from "commander";
import { verifyAuditChain } from "../../audit/index.js";
import { AppError } from "../../shared/app-error.js";
import { writeError, writeJson } from "../output.js";
import { withAppContext } from "../with-app-context.js";

/** `tenantry audit verify --tenant ID`: checks a tenant's hash chain; exit 0 only when intact. */
export function registerAuditCommands(program: Command): void {
  const audit = program.command("audit").description("the audit log (operator)");
  audit
    .command("verify")
    .description(
      "verify a tenant's hash-chained audit log; exits non-zero naming the first bad entry",
    )
    .requiredOption("--tenant <tenantId>", "the tenant id that `tenant create` printed")
    .action(async (options: { tenant: string }) => {
      const result = await withAppContext((ctx) => verifyAuditChain(ctx, options.tenant));
      writeJson(result);
      if (!result.ok) {
        throw new AppError(
          "Conflict",
          "AUDIT_CHAIN_BROKEN",
          `audit chain of tenant ${options.tenant} is broken at entry ${result.firstBad.seq}${result.firstBad.id ? ` (${result.firstBad.id})` : ""}: ${result.firstBad.reason}`,
        );
      }
      writeError(`audit chain intact: ${result.entries} entries, last hash ${result.lastHash}`);
    });
}
