import type { Command } from "commander";
import { invalid } from "../../shared/app-error.js";
import type { ApiClient } from "../client/api-client.js";
import { runBatches } from "../client/batch.js";
import { apiClient } from "../client/session.js";
import { type DestructiveFlags, destructive, example, segment } from "../command-options.js";
import { t } from "../i18n.js";
import { finishItems, type ItemResult } from "../item-results.js";
import {
  type Column,
  isJson,
  printResult,
  printTable,
  writeError,
  writeJson,
  writeLine,
} from "../output.js";
import { confirmDestructive } from "../prompts.js";

const PATH = "/v1.0/billing/subscriptions";
const STEPS = "/v1.0/organization/closure/steps";

/** Graph-style subscription (src/http/graph-billing-subscription.ts), as the CLI reads it. */
export interface ApiSubscription {
  id: string;
  skuPartNumber: string;
  quantity: number;
  billingModel: string;
  term: string;
  status: string;
  autoRenew: boolean;
  currentPeriodEndDateTime: string;
  markedForDeletionDateTime: string | null;
  deprovisionDateTime: string | null;
}

const COLUMNS: readonly Column<ApiSubscription>[] = [
  { header: "PRODUCT", value: (s) => s.skuPartNumber },
  { header: "SEATS", value: (s) => s.quantity },
  {
    header: "STATUS",
    value: (s) =>
      s.markedForDeletionDateTime && s.status !== "deprovisioned"
        ? `${s.status} (deleting)`
        : s.status,
  },
  { header: "BILLING", value: (s) => `${s.billingModel}/${s.term}` },
  { header: "AUTO-RENEW", value: (s) => (s.autoRenew ? "yes" : "no") },
  { header: "PERIOD END", value: (s) => s.currentPeriodEndDateTime.slice(0, 10) },
  { header: "ID", value: (s) => s.id },
];

interface CancelFlags extends DestructiveFlags {
  all?: boolean;
  reason: string;
  feedback?: string;
  when: string;
}

/**
 * `tenantry subscriptions list|show|cancel|delete|reactivate` (Billing Administrator; issue 8).
 * `cancel --all` is the seed's step 2 and `delete --all-disabled` its step 3.
 */
export function registerSubscriptionsCommands(program: Command): void {
  const subscriptions = program
    .command("subscriptions")
    .description("the organization's subscriptions (API)");

  example(
    subscriptions.command("list").description("list subscriptions"),
    "tenantry subscriptions list --json",
  ).action(async (_flags: unknown, command: Command) => {
    const value = await apiClient(command).getAll<ApiSubscription>(PATH);
    printResult(command, { value }, () => printTable(COLUMNS, value));
  });

  example(
    subscriptions.command("show").argument("<id>").description("one subscription"),
    "tenantry subscriptions show 3c9…",
  ).action(async (id: string, _flags: unknown, command: Command) => {
    const found = await apiClient(command).get<ApiSubscription>(`${PATH}/${segment(id)}`);
    printResult(command, found, () => printTable(COLUMNS, [found]));
  });

  example(
    destructive(
      subscriptions
        .command("cancel")
        .argument("[id]", "the subscription")
        .option("--all", "every active subscription (the seed's step 2)")
        .requiredOption(
          "--reason <reason>",
          "too_expensive, missing_features, switched_service, unused, customer_service, too_complex, low_quality or other",
        )
        .option("--feedback <text>", "free text")
        .option(
          "--when <when>",
          "now (disabled at once, prorated credit) or renewal (auto-renew off)",
          "now",
        )
        .description("cancel subscriptions"),
    ),
    "tenantry subscriptions cancel --all --reason unused --feedback 'Closing the account' --yes",
  ).action(async (id: string | undefined, flags: CancelFlags, command: Command) => {
    if (Boolean(id) === Boolean(flags.all))
      throw invalid("OPTIONS_CONFLICT", "Give one subscription id or --all.");
    if (flags.when !== "now" && flags.when !== "renewal") {
      throw invalid("WHEN_INVALID", `--when must be now or renewal, not "${flags.when}".`, {
        field: "when",
      });
    }
    const client = apiClient(command);
    const body = { reason: flags.reason, ...(flags.feedback ? { feedback: flags.feedback } : {}) };
    const targets = id ? [{ id }] : (await list(client)).filter((s) => s.status === "active");
    const action = t("confirmCancelSubscriptions", { count: targets.length });
    if (flags.dryRun) return planned(command, targets, "cancel", action);
    await confirmDestructive(action, flags.yes);
    if (id) {
      const cancelled = await client.post<ApiSubscription>(`${PATH}/${segment(id)}/cancel`, {
        ...body,
        when: flags.when,
      });
      return printResult(command, cancelled, () => printTable(COLUMNS, [cancelled]));
    }
    if (flags.when === "now") {
      const result = await client.post<{ value: ItemResult[] }>(
        `${STEPS}/cancelSubscriptions`,
        body,
      );
      return finishItems(command, result.value);
    }
    const results = await runBatches(
      client,
      targets.map((s) => ({
        id: s.id,
        method: "POST" as const,
        url: `/billing/subscriptions/${segment(s.id)}/cancel`,
        body: { ...body, when: "renewal" },
      })),
    );
    finishItems(command, results);
  });

  example(
    destructive(
      subscriptions
        .command("delete")
        .argument("[id]", "a disabled subscription")
        .option("--all-disabled", "every disabled subscription (the seed's step 3)")
        .description(
          "delete disabled subscriptions: each is marked for deletion and deprovisioned later",
        ),
    ),
    "tenantry subscriptions delete --all-disabled --yes",
  ).action(
    async (
      id: string | undefined,
      flags: DestructiveFlags & { allDisabled?: boolean },
      command: Command,
    ) => {
      if (Boolean(id) === Boolean(flags.allDisabled)) {
        throw invalid("OPTIONS_CONFLICT", "Give one subscription id or --all-disabled.");
      }
      const client = apiClient(command);
      const targets = id
        ? [{ id }]
        : (await list(client)).filter(
            (s) => s.status === "disabled" && !s.markedForDeletionDateTime,
          );
      const action = t("confirmDeleteSubscriptions", { count: targets.length });
      if (flags.dryRun) return planned(command, targets, "delete", action);
      await confirmDestructive(action, flags.yes);
      if (id) {
        const deleted = await client.request<ApiSubscription>("DELETE", `${PATH}/${segment(id)}`, {
          body: { confirm: true },
        });
        return printResult(command, deleted, () => printTable(COLUMNS, [deleted]));
      }
      const result = await client.post<{ value: ItemResult[] }>(
        `${STEPS}/deleteDisabledSubscriptions`,
      );
      finishItems(command, result.value);
    },
  );

  example(
    subscriptions
      .command("reactivate")
      .argument("<id>", "an expired or disabled subscription (also one marked for deletion)")
      .option("--payment-method <id>", "the card to charge (default: the subscription's)")
      .description("reactivate a subscription"),
    "tenantry subscriptions reactivate 3c9…",
  ).action(async (id: string, flags: { paymentMethod?: string }, command: Command) => {
    const body = flags.paymentMethod ? { paymentMethodId: flags.paymentMethod } : {};
    const reactivated = await apiClient(command).post<ApiSubscription>(
      `${PATH}/${segment(id)}/reactivate`,
      body,
    );
    printResult(command, reactivated, () => printTable(COLUMNS, [reactivated]));
  });
}

function list(client: ApiClient): Promise<ApiSubscription[]> {
  return client.getAll<ApiSubscription>(PATH);
}

function planned(
  command: Command,
  targets: readonly { id: string }[],
  verb: string,
  action: string,
): void {
  if (isJson(command))
    writeJson({ value: targets.map((s) => ({ id: s.id, outcome: "planned", action: verb })) });
  else for (const s of targets) writeLine(t("wouldDo", { verb, what: s.id }));
  writeError(`${action} ${t("dryRun")}`);
}
