import type { Command } from "commander";
import type { ApiClient } from "../client/api-client.js";
import { apiClient } from "../client/session.js";
import { type DestructiveFlags, destructive, example } from "../command-options.js";
import { t } from "../i18n.js";
import { printResult, writeError, writeLine } from "../output.js";
import { confirmDestructive } from "../prompts.js";

/** Graph's organization with Tenantry's sync properties (src/http/graph-organization.ts). */
interface ApiOrganization {
  id: string;
  displayName: string;
  onPremisesSyncEnabled: boolean | null;
  onPremisesSyncStatus: "neverSynced" | "on" | "turningOff" | "off";
  onPremisesSyncTurnOffCompletesDateTime: string | null;
  onPremisesSyncTurnOnAvailableDateTime: string | null;
  verifiedDomains: { name: string; isInitial: boolean }[];
}

export async function readOrganization(client: ApiClient): Promise<ApiOrganization> {
  const { value } = await client.get<{ value: ApiOrganization[] }>("/v1.0/organization");
  return value[0] as ApiOrganization;
}

function syncView(org: ApiOrganization) {
  return {
    onPremisesSyncEnabled: org.onPremisesSyncEnabled,
    onPremisesSyncStatus: org.onPremisesSyncStatus,
    onPremisesSyncTurnOffCompletesDateTime: org.onPremisesSyncTurnOffCompletesDateTime,
    onPremisesSyncTurnOnAvailableDateTime: org.onPremisesSyncTurnOnAvailableDateTime,
  };
}

/** How often `--wait` asks whether sync has finished turning off. */
const POLL_MS = 1000;

/** `tenantry sync status|disable`: directory synchronization (Graph's organization; issue 8). */
export function registerSyncCommands(program: Command): void {
  const sync = program
    .command("sync")
    .description("directory synchronization from on-premises (API)");

  example(
    sync.command("status").description("whether directory sync is on, turning off or off"),
    "tenantry sync status --json",
  ).action(async (_flags: unknown, command: Command) => {
    const view = syncView(await readOrganization(apiClient(command)));
    printResult(command, view, () => writeLine(describe(view)));
  });

  example(
    destructive(
      sync
        .command("disable")
        .option("--wait", "wait until sync is off (it takes TENANTRY_SYNC_OFF_DELAY on the server)")
        .description(
          "turn directory sync off; it cannot be cancelled, and cannot be turned on for 72 h",
        ),
      false,
    ),
    "tenantry sync disable --wait --yes",
  ).action(async (flags: DestructiveFlags & { wait?: boolean }, command: Command) => {
    const client = apiClient(command);
    let org = await readOrganization(client);
    if (org.onPremisesSyncStatus === "on") {
      await confirmDestructive(
        t("confirmGeneric", { what: "directory sync (off, cannot be cancelled)" }),
        flags.yes,
      );
      await client.request("PATCH", `/v1.0/organization/${org.id}`, {
        body: { onPremisesSyncEnabled: false },
      });
      org = await readOrganization(client);
    }
    while (flags.wait && org.onPremisesSyncStatus === "turningOff") {
      writeError(t("syncTurningOff", { when: org.onPremisesSyncTurnOffCompletesDateTime ?? "?" }));
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      org = await readOrganization(client);
    }
    const view = syncView(org);
    printResult(command, view, () => writeLine(describe(view)));
  });
}

function describe(view: ReturnType<typeof syncView>): string {
  switch (view.onPremisesSyncStatus) {
    case "turningOff":
      return t("syncTurningOff", { when: view.onPremisesSyncTurnOffCompletesDateTime ?? "?" });
    case "off":
      return t("syncOff");
    default:
      return `Directory sync: ${view.onPremisesSyncStatus}`;
  }
}
