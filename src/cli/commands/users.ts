import type { Command } from "commander";
import { invalid } from "../../shared/app-error.js";
import { runBatches } from "../client/batch.js";
import { type ApiUser, listDeletedUsers } from "../client/directory.js";
import { apiClient } from "../client/session.js";
import { type DestructiveFlags, destructive, example, segment } from "../command-options.js";
import { t } from "../i18n.js";
import { finishItems } from "../item-results.js";
import { type Column, isJson, printResult, printTable, writeError, writeJson } from "../output.js";
import { startProgress } from "../progress.js";
import { confirmDestructive } from "../prompts.js";
import { registerUsersDeleteCommand } from "./users-delete.js";

export const USER_COLUMNS: readonly Column<ApiUser>[] = [
  { header: "USER PRINCIPAL NAME", value: (u) => u.userPrincipalName },
  { header: "DISPLAY NAME", value: (u) => u.displayName },
  { header: "ENABLED", value: (u) => (u.accountEnabled ? "yes" : "no") },
  { header: "SYNCED", value: (u) => (u.onPremisesSyncEnabled ? "yes" : "no") },
  { header: "ID", value: (u) => u.id },
];

/** `tenantry users list|show|add|update|delete|restore|purge` (Graph's /users, issue 8). */
export function registerUsersCommands(program: Command): void {
  const users = program.command("users").description("users of the organization (API)");

  example(
    users
      .command("list")
      .description("list users; --deleted lists the recycle bin")
      .option("--deleted", "the users in the recycle bin instead")
      .option("--filter <odata>", "an OData $filter, e.g. \"startswith(displayName,'A')\""),
    'tenantry users list --filter "accountEnabled eq false" --json',
  ).action(async (flags: { deleted?: boolean; filter?: string }, command: Command) => {
    const client = apiClient(command);
    const value = flags.deleted
      ? await listDeletedUsers(client)
      : await client.getAll<ApiUser>("/v1.0/users", { $top: 999, $filter: flags.filter });
    printResult(command, { value }, () => printTable(USER_COLUMNS, value));
  });

  example(
    users.command("show").argument("<user>", "id or user principal name").description("one user"),
    "tenantry users show adele@contoso.example",
  ).action(async (user: string, _flags: unknown, command: Command) => {
    const found = await apiClient(command).get<ApiUser>(`/v1.0/users/${segment(user)}`);
    printResult(command, found, () => printTable(USER_COLUMNS, [found]));
  });

  example(
    users
      .command("add")
      .description("create a user (POST /v1.0/users)")
      .requiredOption("--upn <upn>", "user principal name in one of the organization's domains")
      .requiredOption("--name <displayName>", "display name")
      .requiredOption("--password <password>", "initial password (changed at first sign-in)")
      .option("--mail <address>", "mail address")
      .option("--disabled", "create the account disabled"),
    "tenantry users add --upn lee@contoso.example --name 'Lee Gu' --password 'Initial-Pass-2026'",
  ).action(
    async (
      flags: { upn: string; name: string; password: string; mail?: string; disabled?: boolean },
      command: Command,
    ) => {
      const created = await apiClient(command).post<ApiUser>("/v1.0/users", {
        accountEnabled: !flags.disabled,
        displayName: flags.name,
        mailNickname: flags.upn.split("@")[0],
        userPrincipalName: flags.upn,
        passwordProfile: { password: flags.password, forceChangePasswordNextSignIn: true },
        ...(flags.mail ? { mail: flags.mail } : {}),
      });
      printResult(command, created, () => printTable(USER_COLUMNS, [created]));
    },
  );

  example(
    users
      .command("update")
      .argument("<user>", "id or user principal name")
      .description("change a user (PATCH /v1.0/users/{id})")
      .option("--name <displayName>", "new display name")
      .option("--upn <upn>", "new user principal name")
      .option("--mail <address>", "new mail address")
      .option("--enable", "allow sign-in")
      .option("--disable", "block sign-in"),
    "tenantry users update lee@contoso.example --disable",
  ).action(
    async (
      user: string,
      flags: { name?: string; upn?: string; mail?: string; enable?: boolean; disable?: boolean },
      command: Command,
    ) => {
      if (flags.enable && flags.disable) {
        throw invalid("OPTIONS_CONFLICT", "Give --enable or --disable, not both.");
      }
      const body = {
        ...(flags.name ? { displayName: flags.name } : {}),
        ...(flags.upn ? { userPrincipalName: flags.upn } : {}),
        ...(flags.mail ? { mail: flags.mail } : {}),
        ...(flags.enable ? { accountEnabled: true } : {}),
        ...(flags.disable ? { accountEnabled: false } : {}),
      };
      if (Object.keys(body).length === 0) {
        throw invalid("NOTHING_TO_CHANGE", "Name at least one change, e.g. --name or --disable.");
      }
      const client = apiClient(command);
      await client.request("PATCH", `/v1.0/users/${segment(user)}`, { body });
      const updated = await client.get<ApiUser>(`/v1.0/users/${segment(flags.upn ?? user)}`);
      printResult(command, updated, () => printTable(USER_COLUMNS, [updated]));
    },
  );

  registerUsersDeleteCommand(users);

  example(
    users
      .command("restore")
      .argument("<id>", "id of the user in the recycle bin")
      .description("restore a deleted user with its licenses and roles"),
    "tenantry users restore 6f1c…",
  ).action(async (id: string, _flags: unknown, command: Command) => {
    const restored = await apiClient(command).post<ApiUser>(
      `/v1.0/directory/deletedItems/${segment(id)}/restore`,
    );
    printResult(command, restored, () => printTable(USER_COLUMNS, [restored]));
  });

  example(
    destructive(
      users
        .command("purge")
        .argument("[id]", "id of one user in the recycle bin")
        .option("--all", "every user in the recycle bin")
        .description("delete users from the recycle bin for good (irreversible)"),
    ),
    "tenantry users purge --all --yes",
  ).action(
    async (
      id: string | undefined,
      flags: DestructiveFlags & { all?: boolean },
      command: Command,
    ) => {
      if (Boolean(id) === Boolean(flags.all)) {
        throw invalid("OPTIONS_CONFLICT", "Give one user id or --all.");
      }
      const client = apiClient(command);
      const targets = id ? [{ id }] : await listDeletedUsers(client);
      if (flags.dryRun) {
        if (isJson(command))
          writeJson({
            value: targets.map((u) => ({ id: u.id, outcome: "planned", action: "purge" })),
          });
        writeError(`${t("confirmPurgeUsers", { count: targets.length })} ${t("dryRun")}`);
        return;
      }
      await confirmDestructive(t("confirmPurgeUsers", { count: targets.length }), flags.yes);
      const progress = startProgress(t("purgingUsers"), targets.length);
      const results = await runBatches(
        client,
        targets.map((u) => ({
          id: u.id,
          method: "DELETE" as const,
          url: `/directory/deletedItems/${segment(u.id)}`,
        })),
        (done) => progress.update(done),
      );
      progress.stop();
      finishItems(command, results);
    },
  );
}
