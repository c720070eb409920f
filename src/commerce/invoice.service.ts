import { recordAudit } from "../audit/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { invalid } from "../shared/app-error.js";
import { newId } from "../shared/ids.js";
import type { Executor } from "../store/database.js";
import { supportsRowLocks } from "../store/engine.js";
import { claimInvoiceNumber } from "./billing-account.repository.js";
import {
  applyPendingCredits,
  checkInvoiceInput,
  formatInvoiceNumber,
  INVOICE_ERROR,
  type Invoice,
  type InvoiceLineInput,
  type InvoiceWithDetails,
  invoiceDueDate,
} from "./invoice.js";
import { loadInvoiceDetails, loadInvoiceRow, toInvoice } from "./invoice-lookup.js";
import {
  insertBillingCreditRow,
  insertInvoiceLineRows,
  insertInvoiceRow,
  listInvoiceRows,
  listPendingCreditRows,
  markCreditApplied,
} from "./invoice.repository.js";
import { authorizeBilling } from "./payment-access.js";
import { describeCard } from "./payment-method.js";
import { findDefaultPaymentMethod, loadPaymentMethod } from "./payment-method.service.js";
import { type ChargeResult, chargeInvoice } from "./payment.service.js";

export type { InvoiceLineInput };

export interface IssueInvoiceInput {
  periodStart: Date;
  periodEnd: Date;
  currency: string;
  lines: InvoiceLineInput[];
  /** The card to charge; null or absent: the tenant's default method. */
  paymentMethodId?: string | null;
  /** Who the audit entry names; default the system (renewals run on the scheduler). */
  actor?: Actor;
}

const SYSTEM: Actor = { type: "system" };

/**
 * Issues the tenant's next invoice inside the caller's transaction `trx` (contract for the
 * subscription service): numbers it without gaps (INV-000001, …), adds the lines given, applies
 * the tenant's pending credits oldest first as credit lines up to the charges (never a negative
 * total; what does not fit stays pending), sets the due date (issued + 30 days) and, when the total
 * is above zero, charges the given payment method or else the default one: success → `paid`; a
 * declined card → a declined payment row and the invoice stays `due`; no method → `due`. Audited.
 * The tenant bills in one currency, its billing account's (set by its first invoice).
 */
export async function issueInvoice(
  ctx: AppContext,
  trx: Executor,
  tenantId: string,
  input: IssueInvoiceInput,
): Promise<Invoice> {
  const netMinor = checkInvoiceInput(input);
  const now = ctx.clock.now();
  const issuedAt = now.toISOString();
  const account = await claimInvoiceNumber(trx, tenantId, {
    currency: input.currency,
    now: issuedAt,
    rowLocks: supportsRowLocks(ctx.engine),
  });
  if (account.currency !== input.currency) {
    throw invalid(
      INVOICE_ERROR.CURRENCY_MISMATCH,
      `This organization is billed in ${account.currency}, not ${input.currency}.`,
      { field: "currency" },
    );
  }
  const id = newId();
  const pending = await listPendingCreditRows(trx, tenantId);
  const applications = applyPendingCredits(
    netMinor,
    pending.map((c) => ({ id: c.id, amountMinor: Number(c.amount_minor) })),
  );
  const creditedMinor = applications.reduce((sum, a) => sum + a.appliedMinor, 0);
  const totalMinor = netMinor - creditedMinor;
  await insertInvoiceRow(trx, {
    tenant_id: tenantId,
    id,
    number: account.number,
    issued_at: issuedAt,
    period_start_at: input.periodStart.toISOString(),
    period_end_at: input.periodEnd.toISOString(),
    due_at: invoiceDueDate(now).toISOString(),
    currency: input.currency,
    total_minor: totalMinor,
    paid_minor: 0,
    status: totalMinor === 0 ? "paid" : "due",
    paid_at: totalMinor === 0 ? issuedAt : null,
    created_at: issuedAt,
    updated_at: issuedAt,
  });

  const lines = input.lines.map((line) => ({ ...line, description: line.description.trim() }));
  for (const application of applications) {
    const credit = pending.find((c) => c.id === application.creditId);
    if (!credit) continue;
    lines.push({
      subscriptionId: credit.subscription_id,
      kind: "credit",
      description: credit.description,
      quantity: 1,
      unitPriceMinor: -application.appliedMinor,
      amountMinor: -application.appliedMinor,
    });
    await markCreditApplied(trx, tenantId, credit.id, id, application.appliedMinor);
    if (application.remainderMinor > 0) {
      // The rest of a split credit keeps its place in line for the next invoice.
      await insertBillingCreditRow(trx, {
        tenant_id: tenantId,
        id: newId(),
        subscription_id: credit.subscription_id,
        amount_minor: application.remainderMinor,
        description: credit.description,
        created_at: credit.created_at,
        applied_invoice_id: null,
      });
    }
  }
  await insertInvoiceLineRows(
    trx,
    lines.map((line, i) => ({
      tenant_id: tenantId,
      invoice_id: id,
      line_no: i + 1,
      subscription_id: line.subscriptionId,
      kind: line.kind,
      description: line.description,
      quantity: line.quantity,
      unit_price_minor: line.unitPriceMinor,
      amount_minor: line.amountMinor,
    })),
  );

  const charge =
    totalMinor > 0 ? await chargeOnIssue(ctx, trx, tenantId, id, input, totalMinor) : null;
  await recordAudit(ctx, trx, {
    tenantId,
    actor: input.actor ?? SYSTEM,
    action: "invoice.issue",
    target: { type: "invoice", id },
    details: {
      number: formatInvoiceNumber(account.number),
      currency: input.currency,
      totalMinor,
      creditsAppliedMinor: creditedMinor,
      charge,
    },
  });
  return toInvoice(await loadInvoiceRow(trx, tenantId, id), now);
}

/** Charges a new invoice to the named or default card; null when the tenant has none. */
async function chargeOnIssue(
  ctx: AppContext,
  trx: Executor,
  tenantId: string,
  invoiceId: string,
  input: IssueInvoiceInput,
  totalMinor: number,
): Promise<(ChargeResult & { card: string }) | null> {
  const method = input.paymentMethodId
    ? await loadPaymentMethod(trx, tenantId, input.paymentMethodId)
    : await findDefaultPaymentMethod(trx, tenantId);
  if (!method) return null;
  const row = await loadInvoiceRow(trx, tenantId, invoiceId);
  const charge = await chargeInvoice(ctx, trx, row, method, totalMinor);
  return { ...charge, card: describeCard(method) };
}

/**
 * Records a credit owed to the tenant (e.g. the prorated rest of a subscription cancelled now,
 * SPEC §3), in the caller's transaction; the tenant's next invoices apply it. Audited.
 */
export async function addBillingCredit(
  ctx: AppContext,
  trx: Executor,
  tenantId: string,
  input: { subscriptionId: string; amountMinor: number; description: string; actor?: Actor },
): Promise<void> {
  const description = input.description.trim();
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0) {
    throw invalid(INVOICE_ERROR.CREDIT_INVALID, "A credit is a whole number of minor units > 0.", {
      field: "amountMinor",
    });
  }
  if (description === "" || description.length > 500) {
    throw invalid(INVOICE_ERROR.CREDIT_INVALID, "A credit's description is 1 to 500 characters.", {
      field: "description",
    });
  }
  const id = newId();
  await insertBillingCreditRow(trx, {
    tenant_id: tenantId,
    id,
    subscription_id: input.subscriptionId,
    amount_minor: input.amountMinor,
    description,
    created_at: ctx.clock.now().toISOString(),
    applied_invoice_id: null,
  });
  await recordAudit(ctx, trx, {
    tenantId,
    actor: input.actor ?? SYSTEM,
    action: "billingCredit.add",
    target: { type: "subscription", id: input.subscriptionId },
    details: { creditId: id, amountMinor: input.amountMinor, description },
  });
}

/** The tenant's invoices, newest first, a page at a time (those numbered below `beforeNumber`). */
export async function listInvoices(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  options: { beforeNumber?: number | undefined; limit: number },
): Promise<Invoice[]> {
  await authorizeBilling(ctx.db, actor, tenantId);
  const now = ctx.clock.now();
  return (await listInvoiceRows(ctx.db, tenantId, options)).map((row) => toInvoice(row, now));
}

/** One invoice with its lines and payments. */
export async function getInvoice(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  id: string,
): Promise<InvoiceWithDetails> {
  await authorizeBilling(ctx.db, actor, tenantId);
  return loadInvoiceDetails(ctx.db, tenantId, id, ctx.clock.now());
}
