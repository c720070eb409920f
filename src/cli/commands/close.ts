import fs from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Command } from "commander";
import { apiClient } from "../client/session.js";
import { type DestructiveFlags, destructive, example } from "../command-options.js";
import { CommandExit, ExitCode } from "../exit-codes.js";
import { t } from "../i18n.js";
import { finishItems, type ItemResult } from "../item-results.js";
import { out, printResult, printTable, writeError, writeLine } from "../output.js";
import { confirmDestructive } from "../prompts.js";
import { registerCloseGuidedCommands } from "./close-guided.js";

export const CLOSURE = "/v1.0/organization/closure";

interface Check {
  id: string;
  status: "passed" | "failed";
  count: number;
  title: string;
  detail: string;
  fixUrl: string;
}

interface Plan {
  blockers: { step: string; code: string; message: string; fixUrl: string }[];
  steps: Record<string, unknown>;
}

/**
 * `tenantry close checks|plan|delete-tenant` (the deletion checks, the dry-run plan and the seed's
 * step 5 alone) and the guided closure `close start|status|cancel|export` (close-guided.ts).
 */
export function registerCloseCommands(program: Command): void {
  const close = program
    .command("close")
    .description("close the organization's account (API; Global Administrator)");

  example(
    close.command("checks").description("the deletion checks; exits 3 when any fails"),
    "tenantry close checks --json | jq '.value[] | select(.status==\"failed\")'",
  ).action(async (_flags: unknown, command: Command) => {
    const { value } = await apiClient(command).get<{ value: Check[] }>(`${CLOSURE}/checks`);
    printResult(command, { value }, () => printChecks(value));
    const failed = value.filter((c) => c.status === "failed").length;
    if (failed > 0) throw new CommandExit(ExitCode.Blocked, t("checksFailed", { count: failed }));
    writeError(t("checksPassed"));
  });

  example(
    close
      .command("plan")
      .description("what each step would do now, and every blocker with its fix (changes nothing)"),
    "tenantry close plan",
  ).action(async (_flags: unknown, command: Command) => {
    const plan = await apiClient(command).get<Plan>(`${CLOSURE}/plan`);
    printResult(command, plan, () => {
      writeLine(JSON.stringify(plan.steps, null, 2));
      if (plan.blockers.length > 0) {
        writeLine(out().bold("Blockers:"));
        printTable(
          [
            { header: "STEP", value: (b: Plan["blockers"][number]) => b.step },
            { header: "CODE", value: (b) => b.code },
            { header: "FIX", value: (b) => b.fixUrl },
            { header: "MESSAGE", value: (b) => b.message },
          ],
          plan.blockers,
        );
      }
    });
  });

  example(
    destructive(
      close
        .command("delete-tenant")
        .requiredOption("--confirm <domain>", "the organization's initial domain, typed to confirm")
        .description(
          "the seed's step 5: delete the organization and erase its data once every check passes",
        ),
    ),
    "tenantry close delete-tenant --confirm contoso.example --yes",
  ).action(async (flags: DestructiveFlags & { confirm: string }, command: Command) => {
    const client = apiClient(command);
    const action = t("confirmDeleteTenant", { domain: flags.confirm });
    if (flags.dryRun) {
      const { value } = await client.get<{ value: Check[] }>(`${CLOSURE}/checks`);
      printResult(command, { value }, () => printChecks(value));
      writeError(`${action} ${t("dryRun")}`);
      const failed = value.filter((c) => c.status === "failed").length;
      if (failed > 0) throw new CommandExit(ExitCode.Blocked, t("checksFailed", { count: failed }));
      return;
    }
    await confirmDestructive(action, flags.yes);
    const result = await client.post<{ value: ItemResult[] }>(`${CLOSURE}/steps/deleteTenant`, {
      confirmDomain: flags.confirm,
    });
    finishItems(command, result.value);
  });

  registerCloseGuidedCommands(close);
}

export function printChecks(checks: readonly Check[]): void {
  const c = out();
  printTable(
    [
      { header: "CHECK", value: (x: Check) => x.title },
      {
        header: "STATUS",
        value: (x) => (x.status === "passed" ? c.green("passed") : c.red("failed")),
      },
      { header: "COUNT", value: (x) => x.count },
      { header: "FIX", value: (x) => (x.status === "passed" ? "" : x.fixUrl) },
    ],
    checks,
  );
  for (const check of checks.filter((x) => x.status === "failed"))
    writeError(`- ${check.title}: ${check.detail}`);
}

/** Streams a download to a file; used by `close export --out`. */
export async function saveResponse(response: Response, file: string): Promise<number> {
  if (!response.body) return 0;
  await pipeline(
    Readable.fromWeb(response.body as import("node:stream/web").ReadableStream),
    fs.createWriteStream(file, { mode: 0o600 }),
  );
  return fs.statSync(file).size;
}
