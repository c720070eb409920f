import {
  type BoughtSubscription,
  type BuySubscriptionInput,
  buySubscription,
  commerceJobHandlers,
} from "../src/commerce/index.js";
import { Scheduler } from "../src/scheduler/index.js";
import type { Actor } from "../src/shared/actor.js";
import { BUSINESS_STANDARD } from "./catalog-fixtures.js";
import { OPERATOR } from "./directory-fixtures.js";
import type { TestContext } from "./test-context.js";

/**
 * Subscriptions for tests: buying through the real service, the scheduler that runs their
 * lifecycle, and row snapshots that show a refused request changed nothing. Payment methods come
 * from billing-payment-fixtures.ts (`addCard`, `failingCardInput`).
 */

/** Microsoft 365 Business Standard's seeded per-seat prices, in cents. */
export const BUSINESS_STANDARD_MONTHLY_MINOR = 1250;

/** A purchase: 5 seats of Business Standard, monthly, direct billing, unless overridden. */
export function buyInput(overrides: Partial<BuySubscriptionInput> = {}): BuySubscriptionInput {
  return {
    skuPartNumber: BUSINESS_STANDARD.skuPartNumber,
    quantity: 5,
    term: "monthly",
    billingModel: "direct",
    ...overrides,
  };
}

/** Buys as the operator (or `actor`); the tenant needs a card on file unless it is a trial. */
export async function buy(
  t: TestContext,
  tenantId: string,
  overrides: Partial<BuySubscriptionInput> = {},
  actor: Actor = OPERATOR,
): Promise<BoughtSubscription> {
  return buySubscription(t, actor, tenantId, buyInput(overrides));
}

/** A free trial of Business Standard: no card needed. */
export async function buyTrial(
  t: TestContext,
  tenantId: string,
  overrides: Partial<BuySubscriptionInput> = {},
): Promise<BoughtSubscription> {
  return buy(t, tenantId, { trial: true, ...overrides });
}

/** The scheduler with commerce's job handlers, on the test's store and clock. */
export function commerceScheduler(t: TestContext): Scheduler {
  return new Scheduler(t, commerceJobHandlers(t));
}

/** Tables a subscription change writes (the audit log aside). */
const COMMERCE_TABLES = [
  "subscription",
  "invoice",
  "invoice_line",
  "payment",
  "billing_credit",
  "billing_account",
  "scheduled_job",
] as const;

/** Every row of a tenant in those tables, in a stable order: equal snapshots mean nothing changed. */
export async function snapshotCommerce(
  t: TestContext,
  tenantId: string,
): Promise<Record<string, string[]>> {
  const snapshot: Record<string, string[]> = {};
  for (const table of COMMERCE_TABLES) {
    const rows = await t.db
      .selectFrom(table)
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .execute();
    snapshot[table] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return snapshot;
}

/** The tenant's invoices with their lines, oldest first. */
export async function invoicesOf(t: TestContext, tenantId: string) {
  const invoices = await t.db
    .selectFrom("invoice")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .orderBy("number")
    .execute();
  const lines = await t.db
    .selectFrom("invoice_line")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .orderBy("line_no")
    .execute();
  return invoices.map((invoice) => ({
    ...invoice,
    total_minor: Number(invoice.total_minor),
    paid_minor: Number(invoice.paid_minor),
    lines: lines
      .filter((line) => line.invoice_id === invoice.id)
      .map((line) => ({ ...line, amount_minor: Number(line.amount_minor) })),
  }));
}

/** The tenant's billing credits, oldest first. */
export async function creditsOf(t: TestContext, tenantId: string) {
  const rows = await t.db
    .selectFrom("billing_credit")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.map((row) => ({ ...row, amount_minor: Number(row.amount_minor) }));
}
