import {
  type AddCardInput,
  addPaymentMethod,
  type Invoice,
  type InvoiceLineInput,
  issueInvoice,
  type PaymentMethod,
} from "../src/commerce/index.js";
import { newId } from "../src/shared/ids.js";
import { BUSINESS_STANDARD } from "./catalog-fixtures.js";
import { OPERATOR } from "./directory-fixtures.js";
import type { TestContext } from "./test-context.js";

/**
 * Payment methods, invoices and the subscription rows they refer to, for the tests of payment
 * methods, invoices and payments (and the route × role and cross-tenant tables).
 */

/** A card as a Billing Administrator enters it; valid until 12/2030. */
export function cardInput(overrides: Partial<AddCardInput> = {}): AddCardInput {
  return {
    type: "card",
    brand: "visa",
    last4: "4242",
    expMonth: 12,
    expYear: 2030,
    holderName: "Ada Lovelace",
    token: "tok_visa",
    ...overrides,
  };
}

/** A card whose charges the stand-in processor declines. */
export function failingCardInput(overrides: Partial<AddCardInput> = {}): AddCardInput {
  return cardInput({
    brand: "mastercard",
    last4: "0341",
    token: "tok_fail_declined",
    ...overrides,
  });
}

export async function addCard(
  t: TestContext,
  tenantId: string,
  overrides: Partial<AddCardInput> = {},
): Promise<PaymentMethod> {
  return addPaymentMethod(t, OPERATOR, tenantId, cardInput(overrides));
}

/** One charge line of `amountMinor` (quantity 1). */
export function chargeLine(
  amountMinor: number,
  subscriptionId: string | null = null,
): InvoiceLineInput {
  return {
    subscriptionId,
    kind: "charge",
    description: "Microsoft 365 Business Standard, 1 seat, monthly",
    quantity: 1,
    unitPriceMinor: amountMinor,
    amountMinor,
  };
}

/** Issues an invoice in a transaction of its own, as the subscription service would in its own. */
export async function issueTestInvoice(
  t: TestContext,
  tenantId: string,
  options: {
    lines?: InvoiceLineInput[];
    amountMinor?: number;
    paymentMethodId?: string | null;
    currency?: string;
  } = {},
): Promise<Invoice> {
  const now = t.clock.now();
  return t.db.transaction().execute((trx) =>
    issueInvoice(t, trx, tenantId, {
      periodStart: now,
      periodEnd: new Date(now.getTime() + 30 * 86_400_000),
      currency: options.currency ?? "USD",
      lines: options.lines ?? [chargeLine(options.amountMinor ?? 1250)],
      paymentMethodId: options.paymentMethodId ?? null,
    }),
  );
}

/**
 * An invoice left `due`: charged to a declining card that is not the tenant's default (a working
 * default is added first when the tenant has none), so that later charges of the tenant succeed.
 */
export async function issueUnpaidInvoice(
  t: TestContext,
  tenantId: string,
  amountMinor = 1250,
): Promise<Invoice> {
  const methods = await t.db
    .selectFrom("payment_method")
    .select("id")
    .where("tenant_id", "=", tenantId)
    .where("is_default", "=", true)
    .execute();
  if (methods.length === 0) await addCard(t, tenantId);
  const failing = await addPaymentMethod(t, OPERATOR, tenantId, failingCardInput());
  return issueTestInvoice(t, tenantId, { amountMinor, paymentMethodId: failing.id });
}

/**
 * A subscription row of the seeded Business Standard SKU, written directly: these tests are about
 * what payment methods and invoices do with subscriptions, not about buying them.
 */
export async function insertSubscriptionRow(
  t: TestContext,
  tenantId: string,
  options: { status?: string; autoRenew?: boolean; paymentMethodId?: string | null } = {},
): Promise<string> {
  const id = newId();
  const now = t.clock.now();
  const end = new Date(now.getTime() + 30 * 86_400_000).toISOString();
  await t.db
    .insertInto("subscription")
    .values({
      tenant_id: tenantId,
      id,
      sku_id: BUSINESS_STANDARD.skuId,
      quantity: 5,
      billing_model: "direct",
      term: "monthly",
      status: options.status ?? "active",
      is_trial: false,
      auto_renew: options.autoRenew ?? true,
      start_at: now.toISOString(),
      period_start_at: now.toISOString(),
      period_end_at: end,
      status_changed_at: now.toISOString(),
      next_lifecycle_at: end,
      cancelled_at: null,
      cancel_reason: null,
      cancel_feedback: null,
      marked_for_deletion_at: null,
      deprovision_at: null,
      payment_method_id: options.paymentMethodId ?? null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .execute();
  return id;
}

/** Every row of the billing tables of a tenant, to show that a refused request changed nothing. */
export async function billingRows(t: TestContext, tenantId: string): Promise<string[]> {
  const tables = [
    "billing_account",
    "payment_method",
    "invoice",
    "invoice_line",
    "payment",
    "billing_credit",
    "subscription",
  ] as const;
  const rows: string[] = [];
  for (const table of tables) {
    const found = await t.db
      .selectFrom(table)
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .execute();
    rows.push(...found.map((row) => `${table} ${JSON.stringify(row)}`).sort());
  }
  return rows;
}
