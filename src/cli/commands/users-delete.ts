import type { Command } from "commander";
import { invalid } from "../../shared/app-error.js";
import type { ApiClient } from "../client/api-client.js";
import { runBatches } from "../client/batch.js";
import {
  type ApiUser,
  assertSignedInGlobalAdministrator,
  listAllUsers,
  listDeletedUsers,
} from "../client/directory.js";
import { apiClient } from "../client/session.js";
import { type DestructiveFlags, destructive, example, segment } from "../command-options.js";
import { t } from "../i18n.js";
import { finishItems, type ItemResult } from "../item-results.js";
import { isJson, writeError, writeJson, writeLine } from "../output.js";
import { startProgress } from "../progress.js";
import { confirmDestructive } from "../prompts.js";
import { csvInvalid, readBulkDeleteCsv } from "./users-csv.js";

interface DeleteFlags extends DestructiveFlags {
  allExcept?: string;
  permanent?: boolean;
  csv?: string;
}

/**
 * `tenantry users delete ID | --all-except UPN [--permanent] | --csv FILE`: the seed's step 1
 * (delete every user but the signed-in Global Administrator, `POST …/closure/steps/deleteUsers`)
 * and the portal's bulk delete from its CSV template (through `$batch`, 20 per request).
 */
export function registerUsersDeleteCommand(users: Command): void {
  example(
    destructive(
      users
        .command("delete")
        .argument("[user]", "id or user principal name of one user")
        .option("--all-except <upn>", "every user except you (you must be a Global Administrator)")
        .option(
          "--permanent",
          "with --all-except: also purge them and the recycle bin (irreversible)",
        )
        .option("--csv <file>", "the users listed in the portal's bulk-delete CSV template")
        .description("delete users to the recycle bin (restorable for 30 days)"),
    ),
    "tenantry users delete --all-except admin@contoso.example --yes",
    "tenantry users delete --csv users-to-delete.csv --dry-run",
  ).action(async (user: string | undefined, flags: DeleteFlags, command: Command) => {
    const modes = [user, flags.allExcept, flags.csv].filter(Boolean).length;
    if (modes !== 1) {
      throw invalid("OPTIONS_CONFLICT", "Give one of: a user, --all-except UPN, --csv FILE.");
    }
    if (flags.permanent && !flags.allExcept) {
      throw invalid("OPTIONS_CONFLICT", "--permanent goes with --all-except.");
    }
    const client = apiClient(command);
    if (flags.allExcept) return deleteAllExcept(client, command, flags.allExcept, flags);
    if (flags.csv) return deleteFromCsv(client, command, flags.csv, flags);
    const target = await client.get<ApiUser>(`/v1.0/users/${segment(user ?? "")}`);
    const action = t("confirmGeneric", { what: `${target.userPrincipalName} (delete)` });
    if (flags.dryRun) return planned(command, [target], action);
    await confirmDestructive(action, flags.yes);
    await client.request("DELETE", `/v1.0/users/${segment(target.id)}`);
    finishItems(command, [{ id: target.id, outcome: "ok", action: "delete" }]);
  });
}

async function deleteAllExcept(
  client: ApiClient,
  command: Command,
  upn: string,
  flags: DeleteFlags,
) {
  const me = await assertSignedInGlobalAdministrator(client, upn);
  const others = (await listAllUsers(client)).filter((u) => u.id !== me.id);
  const binned = flags.permanent ? await listDeletedUsers(client) : [];
  const action = flags.permanent
    ? `${t("confirmDeleteUsers", { count: others.length, upn })} ${t("confirmPurgeUsers", { count: others.length + binned.length })}`
    : t("confirmDeleteUsers", { count: others.length, upn });
  if (flags.dryRun) return planned(command, others, action);
  await confirmDestructive(action, flags.yes);
  const count = others.length;
  writeError(t(flags.permanent ? "deletingAllExceptAndPurging" : "deletingAllExcept", { count }));
  const result = await client.post<{ value: ItemResult[] }>(
    "/v1.0/organization/closure/steps/deleteUsers",
    flags.permanent ? { purge: true } : {},
  );
  finishItems(command, result.value);
}

/**
 * Validates the whole file before the first delete (issue 8): its format, that every UPN is a
 * user of the organization, and that the caller is not among them. Any problem refuses the file
 * (exit 2) with every offending row named, and nothing is deleted.
 */
async function deleteFromCsv(
  client: ApiClient,
  command: Command,
  file: string,
  flags: DeleteFlags,
) {
  const upns = readBulkDeleteCsv(file);
  const me = await client.get<ApiUser>("/v1.0/me");
  const byUpn = new Map(
    (await listAllUsers(client)).map((u) => [u.userPrincipalName.toLowerCase(), u]),
  );
  const problems: string[] = [];
  const targets: ApiUser[] = [];
  for (const upn of upns) {
    const found = byUpn.get(upn.toLowerCase());
    if (!found) problems.push(`${upn} is not a user of this organization`);
    else if (found.id === me.id) problems.push(`${upn} is you; you cannot delete yourself`);
    else targets.push(found);
  }
  if (problems.length > 0) throw csvInvalid(file, problems);
  const action = t("confirmDeleteCsv", { count: targets.length, file });
  if (flags.dryRun) return planned(command, targets, action);
  await confirmDestructive(action, flags.yes);
  const progress = startProgress(t("deletingUsers"), targets.length);
  const results = await runBatches(
    client,
    targets.map((u) => ({
      id: u.userPrincipalName,
      method: "DELETE" as const,
      url: `/users/${segment(u.id)}`,
    })),
    (done) => progress.update(done),
  );
  progress.stop();
  finishItems(command, results);
}

/** `--dry-run`: what would be deleted, as `{"value":[…]}` with `--json`; nothing changes. */
function planned(command: Command, users: readonly ApiUser[], action: string): void {
  if (isJson(command)) {
    writeJson({
      value: users.map((u) => ({
        id: u.id,
        userPrincipalName: u.userPrincipalName,
        outcome: "planned",
        action: "delete",
      })),
    });
  } else {
    for (const u of users)
      writeLine(t("wouldDo", { verb: "delete", what: `${u.userPrincipalName} (${u.id})` }));
  }
  writeError(`${action} ${t("dryRun")}`);
}
