import type { Command } from "commander";
import { invalid } from "../../shared/app-error.js";
import { assertSignedInGlobalAdministrator } from "../client/directory.js";
import { apiClient } from "../client/session.js";
import { type DestructiveFlags, destructive, example, segment } from "../command-options.js";
import { t } from "../i18n.js";
import { finishItems, type ItemResult } from "../item-results.js";
import { isJson, printResult, printTable, writeError, writeJson, writeLine } from "../output.js";
import { confirmDestructive } from "../prompts.js";

const MFA_STATES = ["disabled", "enabled", "enforced"] as const;

/** Refuses (exit 2) anything but a per-user MFA state, before any request. */
function assertMfaState(state: string, field: string): void {
  if (!(MFA_STATES as readonly string[]).includes(state)) {
    throw invalid(
      "MFA_STATE_INVALID",
      `The state must be disabled, enabled or enforced, not "${state}".`,
      { field },
    );
  }
}

/** What `mfa list` reads and prints of Graph's `userRegistrationDetails`. */
interface MfaRow {
  id: string;
  userPrincipalName: string;
  perUserMfaState: string;
  isMfaRegistered: boolean;
}

/**
 * `tenantry mfa list|disable|set` (per-user MFA, Graph's `/users/{id}/authentication/requirements`;
 * issue 8). `disable --all-except UPN` is the seed's step 4.
 */
export function registerMfaCommands(program: Command): void {
  const mfa = program.command("mfa").description("per-user multi-factor authentication (API)");

  example(
    mfa
      .command("list")
      .description("every user with their per-user MFA state")
      .option("--state <state>", "only users in this state"),
    "tenantry mfa list --state enforced",
  ).action(async (flags: { state?: string }, command: Command) => {
    const state = flags.state;
    if (state !== undefined) assertMfaState(state, "--state");
    const client = apiClient(command);
    const registrations = await client.getAll<MfaRow>(
      "/v1.0/reports/authenticationMethods/userRegistrationDetails",
      { $top: 999, ...(state ? { $filter: `perUserMfaState eq '${state}'` } : {}) },
    );
    const value: MfaRow[] = registrations.map((r) => ({
      id: r.id,
      userPrincipalName: r.userPrincipalName,
      perUserMfaState: r.perUserMfaState,
      isMfaRegistered: r.isMfaRegistered,
    }));
    printResult(command, { value }, () =>
      printTable(
        [
          { header: "USER PRINCIPAL NAME", value: (r: MfaRow) => r.userPrincipalName },
          { header: "MFA", value: (r: MfaRow) => r.perUserMfaState },
          { header: "REGISTERED", value: (r: MfaRow) => (r.isMfaRegistered ? "yes" : "no") },
          { header: "ID", value: (r: MfaRow) => r.id },
        ],
        value,
      ),
    );
  });

  example(
    destructive(
      mfa
        .command("disable")
        .requiredOption(
          "--all-except <upn>",
          "everyone except you (you must be a Global Administrator)",
        )
        .description("turn per-user MFA off for everyone except you (the seed's step 4)"),
    ),
    "tenantry mfa disable --all-except admin@contoso.example --yes",
  ).action(async (flags: DestructiveFlags & { allExcept: string }, command: Command) => {
    const client = apiClient(command);
    const me = await assertSignedInGlobalAdministrator(client, flags.allExcept);
    const action = t("confirmDisableMfa", { upn: me.userPrincipalName, count: "all" });
    if (flags.dryRun) {
      const plan = await client.get<unknown>("/v1.0/organization/closure/plan");
      if (isJson(command)) writeJson(plan);
      writeError(`${action} ${t("dryRun")}`);
      return;
    }
    await confirmDestructive(action, flags.yes);
    const result = await client.post<{ value: ItemResult[] }>(
      "/v1.0/organization/closure/steps/disableMfa",
    );
    finishItems(command, result.value);
  });

  example(
    mfa
      .command("set")
      .argument("<user>", "id or user principal name")
      .argument("<state>", "disabled, enabled or enforced")
      .description("set a user's per-user MFA state"),
    "tenantry mfa set adele@contoso.example enforced",
  ).action(async (user: string, state: string, _flags: unknown, command: Command) => {
    assertMfaState(state, "state");
    const client = apiClient(command);
    const path = `/v1.0/users/${segment(user)}/authentication/requirements`;
    await client.request("PATCH", path, { body: { perUserMfaState: state } });
    const now = await client.get<{ perUserMfaState: string }>(path);
    printResult(command, now, () => writeLine(`${user}: ${now.perUserMfaState}`));
  });
}
