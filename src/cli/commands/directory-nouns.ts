import type { Command } from "commander";
import { apiClient } from "../client/session.js";
import { type DestructiveFlags, destructive, example, segment } from "../command-options.js";
import { t } from "../i18n.js";
import { finishItems } from "../item-results.js";
import { printResult, printTable } from "../output.js";
import { confirmDestructive } from "../prompts.js";
import { addListAndShow } from "./resource-commands.js";

interface Group {
  id: string;
  displayName: string;
  description: string | null;
}
interface Role {
  id: string;
  displayName: string;
  description: string;
}
interface DirectoryObject {
  id: string;
  "@odata.type"?: string;
  displayName?: string;
  userPrincipalName?: string;
}
interface Application {
  id: string;
  appId: string;
  displayName: string;
  createdDateTime: string;
}

/** `tenantry groups`, `roles` and `apps`: the directory's other nouns (issue 8). */
export function registerDirectoryNouns(program: Command): void {
  const groups = program.command("groups").description("security groups (API)");
  addListAndShow<Group>(groups, {
    path: "/v1.0/groups",
    item: "group",
    columns: [
      { header: "NAME", value: (g) => g.displayName },
      { header: "DESCRIPTION", value: (g) => g.description },
      { header: "ID", value: (g) => g.id },
    ],
    listExample: "tenantry groups list",
  });
  example(
    groups.command("members").argument("<id>").description("a group's members"),
    "tenantry groups members ID",
  ).action(async (id: string, _flags: unknown, command: Command) => {
    const value = await apiClient(command).getAll<DirectoryObject>(
      `/v1.0/groups/${segment(id)}/members`,
    );
    printResult(command, { value }, () => printMembers(value));
  });

  const roles = program.command("roles").description("directory roles and who holds them (API)");
  addListAndShow<Role>(roles, {
    path: "/v1.0/directoryRoles",
    item: "role",
    columns: [
      { header: "ROLE", value: (r) => r.displayName },
      { header: "ID", value: (r) => r.id },
    ],
    listExample: "tenantry roles list",
  });
  example(
    roles
      .command("members")
      .argument("<id>", "the role's id (its role template id)")
      .description("who holds a role"),
    "tenantry roles members 62e90394-69f5-4237-9190-012177145e10",
  ).action(async (id: string, _flags: unknown, command: Command) => {
    const value = await apiClient(command).getAll<DirectoryObject>(
      `/v1.0/directoryRoles/${segment(id)}/members`,
    );
    printResult(command, { value }, () => printMembers(value));
  });

  const apps = program.command("apps").description("application registrations (API)");
  addListAndShow<Application>(apps, {
    path: "/v1.0/applications",
    item: "application",
    columns: [
      { header: "NAME", value: (a) => a.displayName },
      { header: "APP ID", value: (a) => a.appId },
      { header: "ID", value: (a) => a.id },
    ],
    listExample: "tenantry apps list",
  });
  example(
    destructive(
      apps
        .command("delete")
        .argument("<id>")
        .description("remove an application registration (applications block closure)"),
      false,
    ),
    "tenantry apps delete ID --yes",
  ).action(async (id: string, flags: DestructiveFlags, command: Command) => {
    await confirmDestructive(
      t("confirmGeneric", { what: `application ${id} (delete)` }),
      flags.yes,
    );
    await apiClient(command).request("DELETE", `/v1.0/applications/${segment(id)}`);
    finishItems(command, [{ id, outcome: "ok", action: "delete" }]);
  });
}

function printMembers(members: readonly DirectoryObject[]): void {
  printTable(
    [
      {
        header: "TYPE",
        value: (m: DirectoryObject) => (m["@odata.type"] ?? "").replace("#microsoft.graph.", ""),
      },
      { header: "NAME", value: (m) => m.userPrincipalName ?? m.displayName },
      { header: "ID", value: (m) => m.id },
    ],
    members,
  );
}
