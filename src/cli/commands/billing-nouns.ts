import type { Command } from "commander";
import { apiClient } from "../client/session.js";
import { type DestructiveFlags, destructive, example, segment } from "../command-options.js";
import { t } from "../i18n.js";
import { type Column, printResult, printTable, writeLine } from "../output.js";
import { confirmDestructive } from "../prompts.js";
import { addListAndShow } from "./resource-commands.js";

interface SubscribedSku {
  skuId: string;
  skuPartNumber: string;
  consumedUnits: number;
  prepaidUnits: { enabled: number; suspended: number; warning: number };
}
interface PaymentMethod {
  id: string;
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  isDefault: boolean;
}
interface Invoice {
  id: string;
  number: string;
  status: string;
  currency: string;
  totalMinor: number;
  amountDueMinor: number;
  dueDateTime: string;
}

const INVOICE_COLUMNS: readonly Column<Invoice>[] = [
  { header: "NUMBER", value: (i) => i.number },
  { header: "STATUS", value: (i) => i.status },
  { header: "TOTAL", value: (i) => money(i.totalMinor, i.currency) },
  { header: "DUE", value: (i) => money(i.amountDueMinor, i.currency) },
  { header: "DUE DATE", value: (i) => i.dueDateTime.slice(0, 10) },
  { header: "ID", value: (i) => i.id },
];

/** Money for people: whole units and cents from integer minor units, never through a float. */
function money(minor: number, currency: string): string {
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, "0")} ${currency}`;
}

/** `tenantry licenses`, `payment-methods` and `invoices` (issue 8). */
export function registerBillingNouns(program: Command): void {
  const licenses = program
    .command("licenses")
    .description("licenses: the organization's SKUs and their seats (API)");
  addListAndShow<SubscribedSku>(licenses, {
    path: "/v1.0/subscribedSkus",
    item: "subscribed SKU",
    columns: [
      { header: "PRODUCT", value: (s) => s.skuPartNumber },
      { header: "ASSIGNED", value: (s) => s.consumedUnits },
      { header: "ENABLED", value: (s) => s.prepaidUnits.enabled },
      { header: "SKU ID", value: (s) => s.skuId },
    ],
    listExample: "tenantry licenses list",
  });
  example(
    licenses
      .command("assign")
      .argument("<user>", "id or user principal name")
      .option("--add <skuId...>", "SKUs to assign")
      .option("--remove <skuId...>", "SKUs to remove")
      .description("assign and remove a user's licenses"),
    "tenantry licenses assign adele@contoso.example --add 05e9a617-0261-4cee-bb44-138d3ef5d965",
  ).action(async (user: string, flags: { add?: string[]; remove?: string[] }, command: Command) => {
    const result = await apiClient(command).post<unknown>(
      `/v1.0/users/${segment(user)}/assignLicense`,
      {
        addLicenses: (flags.add ?? []).map((skuId) => ({ skuId })),
        removeLicenses: flags.remove ?? [],
      },
    );
    printResult(command, result, () => writeLine(`${user}: licenses updated`));
  });

  const methods = program
    .command("payment-methods")
    .description("cards on file (API; Billing Administrator)");
  addListAndShow<PaymentMethod>(methods, {
    path: "/v1.0/billing/paymentMethods",
    item: "payment method",
    columns: [
      { header: "CARD", value: (m) => `${m.brand} •••• ${m.last4}` },
      { header: "EXPIRES", value: (m) => `${String(m.expMonth).padStart(2, "0")}/${m.expYear}` },
      { header: "DEFAULT", value: (m) => (m.isDefault ? "yes" : "") },
      { header: "ID", value: (m) => m.id },
    ],
    listExample: "tenantry payment-methods list",
  });
  example(
    destructive(methods.command("delete").argument("<id>").description("remove a card"), false),
    "tenantry payment-methods delete ID --yes",
  ).action(async (id: string, flags: DestructiveFlags, command: Command) => {
    await confirmDestructive(
      t("confirmGeneric", { what: `payment method ${id} (delete)` }),
      flags.yes,
    );
    await apiClient(command).request("DELETE", `/v1.0/billing/paymentMethods/${segment(id)}`);
    printResult(command, { id, deleted: true }, () => undefined);
  });

  const invoices = program.command("invoices").description("invoices (API; Billing Administrator)");
  addListAndShow<Invoice>(invoices, {
    path: "/v1.0/billing/invoices",
    item: "invoice",
    columns: INVOICE_COLUMNS,
    listExample: "tenantry invoices list --json",
  });
  example(
    invoices
      .command("pay")
      .argument("<id>")
      .option("--payment-method <id>", "the card to charge (default: the default card)")
      .description("pay an invoice's amount due by card"),
    "tenantry invoices pay ID",
  ).action(async (id: string, flags: { paymentMethod?: string }, command: Command) => {
    const body = {
      method: "card",
      ...(flags.paymentMethod ? { paymentMethodId: flags.paymentMethod } : {}),
    };
    const paid = await apiClient(command).post<Invoice>(
      `/v1.0/billing/invoices/${segment(id)}/pay`,
      body,
    );
    printResult(command, paid, () => printTable(INVOICE_COLUMNS, [paid]));
  });
}
