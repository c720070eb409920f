import type { Command } from "commander";
import { AppError } from "../../shared/app-error.js";
import { apiClient } from "../client/session.js";
import { example } from "../command-options.js";
import { CommandExit, ExitCode } from "../exit-codes.js";
import { t } from "../i18n.js";
import { printResult, printTable, writeError, writeJson } from "../output.js";
import { withAppContext } from "../with-app-context.js";

interface DirectoryAudit {
  id: string;
  activityDateTime: string;
  activityDisplayName: string;
  result: string;
  initiatedBy?: {
    user?: { userPrincipalName?: string | null; id?: string } | null;
    app?: { displayName?: string | null } | null;
  };
  targetResources?: {
    id?: string;
    displayName?: string | null;
    userPrincipalName?: string | null;
  }[];
}

/**
 * `tenantry audit list|verify`: the signed-in organization's audit log through the API; and the
 * operator's `audit verify --tenant ID`, which reads the local store directly.
 */
export function registerAuditCommands(program: Command): void {
  const audit = program.command("audit").description("the audit log");

  example(
    audit
      .command("list")
      .option(
        "--top <n>",
        "at most this many entries, oldest first (the chain's order)",
        (v) => Number.parseInt(v, 10),
        100,
      )
      .description("the organization's audit log (Graph's directoryAudits)"),
    "tenantry audit list --top 20",
  ).action(async (flags: { top: number }, command: Command) => {
    const client = apiClient(command);
    const value: DirectoryAudit[] = [];
    let page = await client.get<{ value: DirectoryAudit[]; "@odata.nextLink"?: string }>(
      "/v1.0/auditLogs/directoryAudits",
      {
        $top: Math.min(flags.top, 999),
      },
    );
    for (;;) {
      value.push(...page.value);
      const next = page["@odata.nextLink"];
      if (!next || value.length >= flags.top) break;
      page = await client.get(next);
    }
    const entries = value.slice(0, flags.top);
    printResult(command, { value: entries }, () =>
      printTable(
        [
          { header: "WHEN", value: (e: DirectoryAudit) => e.activityDateTime },
          { header: "ACTIVITY", value: (e) => e.activityDisplayName },
          { header: "RESULT", value: (e) => e.result },
          {
            header: "BY",
            value: (e) =>
              e.initiatedBy?.user?.userPrincipalName ??
              e.initiatedBy?.user?.id ??
              e.initiatedBy?.app?.displayName,
          },
          {
            header: "TARGET",
            value: (e) =>
              e.targetResources
                ?.map((r) => r.userPrincipalName ?? r.displayName ?? r.id)
                .join(", "),
          },
        ],
        entries,
      ),
    );
  });

  example(
    audit
      .command("verify")
      .option(
        "--tenant <tenantId>",
        "operator: verify a tenant's chain on the local store instead of through the API",
      )
      .description("verify the hash-chained audit log; exits non-zero naming the first bad entry"),
    "tenantry audit verify",
    "tenantry audit verify --tenant 0190f3c1-… (operator, local store)",
  ).action(async (options: { tenant?: string }, command: Command) => {
    if (options.tenant) return verifyLocally(options.tenant);
    const result = await apiClient(command).get<{
      valid: boolean;
      entries: number;
      problems: { seq: number; reason: string }[];
    }>("/v1.0/auditLogs/verify");
    printResult(command, result, () => undefined);
    if (!result.valid) {
      const first = result.problems[0];
      throw new CommandExit(
        ExitCode.Failure,
        `audit chain broken at entry ${first?.seq ?? "?"}: ${first?.reason ?? ""}`,
      );
    }
    writeError(t("auditIntact", { entries: result.entries }));
  });
}

async function verifyLocally(tenantId: string): Promise<void> {
  const { verifyAuditChain } = await import("../../audit/index.js");
  const result = await withAppContext((ctx) => verifyAuditChain(ctx, tenantId));
  writeJson(result);
  if (!result.ok) {
    throw new AppError(
      "Conflict",
      "AUDIT_CHAIN_BROKEN",
      `audit chain of tenant ${tenantId} is broken at entry ${result.firstBad.seq}${result.firstBad.id ? ` (${result.firstBad.id})` : ""}: ${result.firstBad.reason}`,
    );
  }
  writeError(`audit chain intact: ${result.entries} entries, last hash ${result.lastHash}`);
}
