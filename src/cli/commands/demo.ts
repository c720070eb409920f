import type { Command } from "commander";
import { writeError, writeJson } from "../output.js";
import { withAppContext } from "../with-app-context.js";

/** `tenantry demo`: the demo organization Contoso, and how to sign in to it. */
export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description(
      "create the demo organization Contoso (a few hundred users, groups, roles, synced users, MFA states, and months of billing: subscriptions in every state, licenses, cards, invoices)",
    )
    .addHelpText("after", "\nExample:\n  tenantry demo --users 50 && tenantry serve")
    .option(
      "--domain <domain>",
      "initial domain of the demo organization (default: contoso.example)",
    )
    .option(
      "--password <password>",
      "password of every demo user (default: printed after creation)",
    )
    .option(
      "--users <count>",
      "regular users besides the named admins",
      (v) => Number.parseInt(v, 10),
      300,
    )
    .action(async (options: { domain?: string; password?: string; users: number }) => {
      const { seedDemo } = await import("../../demo/seed-demo.js");
      const demo = await withAppContext((ctx) =>
        seedDemo(ctx, { domain: options.domain, password: options.password, users: options.users }),
      );
      writeJson(demo);
      writeError(
        `Demo organization Contoso created (${demo.users} users). Sign in as ${demo.signIn.userPrincipalName} with password ${demo.signIn.password}; start the server with: tenantry serve`,
      );
    });
}
