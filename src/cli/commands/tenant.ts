import type { Command } from "commander";
import { writeJson } from "../output.js";
import { withAppContext } from "../with-app-context.js";

/** `tenantry tenant create`: a new organization with its first Global Administrator. */
export function registerTenantCommands(program: Command): void {
  const tenant = program
    .command("tenant")
    .description("manage organizations on the local store (operator)");
  tenant
    .command("create")
    .description(
      "create an organization and its first Global Administrator; prints {tenantId, domain, adminUserId}",
    )
    .addHelpText(
      "after",
      "\nExample:\n  tenantry tenant create --name Fabrikam --domain fabrikam.example --admin-upn admin@fabrikam.example --password 'Fabrikam-Admin-2026'",
    )
    .requiredOption("--name <name>", "display name, e.g. Contoso")
    .requiredOption(
      "--domain <domain>",
      "initial domain in full, e.g. contoso.example (never reused)",
    )
    .requiredOption(
      "--admin-upn <upn>",
      "the first Global Administrator, e.g. admin@contoso.example",
    )
    .requiredOption("--password <password>", "the admin's password (≥ 12 characters)")
    .option("--admin-name <name>", "the admin's display name")
    .action(
      async (options: {
        name: string;
        domain: string;
        adminUpn: string;
        password: string;
        adminName?: string;
      }) => {
        const { createTenant } = await import("../../directory/index.js");
        const result = await withAppContext((ctx) =>
          createTenant(
            ctx,
            { type: "operator" },
            {
              displayName: options.name,
              domain: options.domain,
              admin: {
                userPrincipalName: options.adminUpn,
                password: options.password,
                displayName: options.adminName,
              },
            },
          ),
        );
        writeJson({
          tenantId: result.tenant.id,
          domain: result.tenant.initialDomain,
          adminUserId: result.admin.id,
        });
      },
    );
}
