import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import type { Executor } from "../store/database.js";
import { findBillingAccountRow } from "./billing-account.repository.js";
import { DEFAULT_BILLING_CURRENCY } from "./invoice.js";
import { toInvoice } from "./invoice-lookup.js";
import { listUnpaidInvoiceRows } from "./invoice.repository.js";
import { authorizeBilling } from "./payment-access.js";

export interface UnpaidInvoice {
  id: string;
  /** INV-000001. */
  number: string;
  amountDueMinor: number;
  status: "due" | "overdue";
  dueDateTime: Date;
}

export interface BalanceDue {
  /** What the tenant owes, in minor units: the sum of its unpaid invoices' amounts due. */
  balanceMinor: number;
  currency: string;
  /** Oldest first. */
  unpaidInvoices: UnpaidInvoice[];
}

/**
 * The tenant's balance due as of `now` (SPEC §3; an unpaid balance blocks the tenant's deletion,
 * SPEC §6). No authorization: for services such as the closure checks. A tenant never invoiced
 * owes 0 in the default currency.
 */
export async function balanceDue(db: Executor, tenantId: string, now: Date): Promise<BalanceDue> {
  const account = await findBillingAccountRow(db, tenantId);
  const unpaidInvoices: UnpaidInvoice[] = [];
  for (const row of await listUnpaidInvoiceRows(db, tenantId)) {
    const invoice = toInvoice(row, now);
    if (invoice.status === "paid") continue;
    const { id, number, amountDueMinor, status, dueDateTime } = invoice;
    unpaidInvoices.push({ id, number, amountDueMinor, status, dueDateTime });
  }
  return {
    balanceMinor: unpaidInvoices.reduce((sum, invoice) => sum + invoice.amountDueMinor, 0),
    currency: account?.currency ?? DEFAULT_BILLING_CURRENCY,
    unpaidInvoices,
  };
}

/** The balance due, for a Billing Administrator or Global Administrator. */
export async function getBalanceDue(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
): Promise<BalanceDue> {
  await authorizeBilling(ctx.db, actor, tenantId);
  return balanceDue(ctx.db, tenantId, ctx.clock.now());
}
