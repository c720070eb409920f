import { recordAudit } from "../audit/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { blocked, conflict } from "../shared/app-error.js";
import { newId } from "../shared/ids.js";
import type { Executor } from "../store/database.js";
import { supportsRowLocks } from "../store/engine.js";
import type { InvoiceWithDetails } from "./invoice.js";
import { loadInvoiceDetails, loadInvoiceRow, toInvoice } from "./invoice-lookup.js";
import type { InvoiceRow } from "./invoice.repository.js";
import { updateInvoicePaymentState } from "./invoice.repository.js";
import {
  type ChargeOutcome,
  chargeCard,
  PAYMENT_ERROR,
  type PayInvoiceInput,
  type PaymentPlan,
  planPayment,
} from "./payment.js";
import { authorizeBilling } from "./payment-access.js";
import { describeCard, type PaymentMethod } from "./payment-method.js";
import { findDefaultPaymentMethod, loadPaymentMethod } from "./payment-method.service.js";
import { insertPaymentRow } from "./payment.repository.js";

export type ChargeResult = ChargeOutcome & { paymentId: string; paymentMethodId: string };

/**
 * Charges `amountMinor` of an invoice to a card and records the attempt as a payment row, declined
 * or not, in `trx`. Settles the invoice when the charge succeeds.
 */
export async function chargeInvoice(
  ctx: Pick<AppContext, "clock">,
  trx: Executor,
  invoice: InvoiceRow,
  method: PaymentMethod,
  amountMinor: number,
): Promise<ChargeResult> {
  const now = ctx.clock.now();
  const outcome = chargeCard(method, now);
  const paymentId = newId();
  await insertPaymentRow(trx, {
    tenant_id: invoice.tenant_id,
    id: paymentId,
    invoice_id: invoice.id,
    payment_method_id: method.id,
    amount_minor: amountMinor,
    outcome: outcome.outcome,
    reference: null,
    created_at: now.toISOString(),
  });
  if (outcome.outcome === "succeeded") await settleInvoice(trx, invoice, amountMinor, now);
  return { ...outcome, paymentId, paymentMethodId: method.id };
}

/** Adds a successful payment to the invoice; `paid` once nothing is left. */
async function settleInvoice(
  trx: Executor,
  invoice: InvoiceRow,
  amountMinor: number,
  now: Date,
): Promise<void> {
  const paidMinor = Number(invoice.paid_minor) + amountMinor;
  const paid = paidMinor >= Number(invoice.total_minor);
  await updateInvoicePaymentState(trx, invoice.tenant_id, invoice.id, {
    paid_minor: paidMinor,
    status: paid ? "paid" : "due",
    paid_at: paid ? now.toISOString() : null,
    updated_at: now.toISOString(),
  });
}

/** The card a card payment uses: the one named, else the default; NO_PAYMENT_METHOD without any. */
async function cardFor(
  trx: Executor,
  tenantId: string,
  plan: Extract<PaymentPlan, { method: "card" }>,
): Promise<PaymentMethod> {
  if (plan.paymentMethodId !== null) {
    return loadPaymentMethod(trx, tenantId, plan.paymentMethodId);
  }
  const method = await findDefaultPaymentMethod(trx, tenantId);
  if (!method) {
    throw blocked(
      PAYMENT_ERROR.NO_PAYMENT_METHOD,
      'There is no payment method on file. Add one (POST /v1.0/billing/paymentMethods), or record a bank transfer with {"method": "manual", "amountMinor": …, "reference": …}.',
    );
  }
  return method;
}

type PayOutcome = { paid: InvoiceWithDetails } | { declined: Declined };

interface Declined {
  number: string;
  paymentId: string;
  card: string;
  reason: string;
  paymentMethodId: string;
}

/**
 * Pays an invoice, in full by default or in part (`amountMinor`): charged to a card (the one named
 * or the default), or recorded by hand as a bank transfer (`method: "manual"` with its reference).
 * A declined charge is kept as a declined payment and audited, then refused with PAYMENT_DECLINED
 * (409); the invoice is otherwise unchanged. A paid invoice is INVOICE_PAID (409).
 */
export async function payInvoice(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  invoiceId: string,
  input: PayInvoiceInput,
): Promise<InvoiceWithDetails> {
  const outcome = await ctx.db.transaction().execute(async (trx): Promise<PayOutcome> => {
    await authorizeBilling(trx, actor, tenantId);
    const row = await loadInvoiceRow(trx, tenantId, invoiceId, {
      rowLocks: supportsRowLocks(ctx.engine),
    });
    const now = ctx.clock.now();
    const invoice = toInvoice(row, now);
    const plan = planPayment(invoice, input);
    const audit = {
      tenantId,
      actor,
      action: "invoice.pay",
      target: { type: "invoice", id: invoiceId },
    };
    if (plan.method === "manual") {
      const paymentId = newId();
      await insertPaymentRow(trx, {
        tenant_id: tenantId,
        id: paymentId,
        invoice_id: invoiceId,
        payment_method_id: null,
        amount_minor: plan.amountMinor,
        outcome: "succeeded",
        reference: plan.reference,
        created_at: now.toISOString(),
      });
      await settleInvoice(trx, row, plan.amountMinor, now);
      await recordAudit(ctx, trx, {
        ...audit,
        details: { number: invoice.number, paymentId, ...plan, currency: invoice.currency },
      });
      return { paid: await loadInvoiceDetails(trx, tenantId, invoiceId, now) };
    }
    const method = await cardFor(trx, tenantId, plan);
    const charge = await chargeInvoice(ctx, trx, row, method, plan.amountMinor);
    await recordAudit(ctx, trx, {
      ...audit,
      outcome: charge.outcome === "succeeded" ? "success" : "failure",
      details: {
        number: invoice.number,
        paymentId: charge.paymentId,
        method: "card",
        paymentMethodId: method.id,
        card: describeCard(method),
        amountMinor: plan.amountMinor,
        currency: invoice.currency,
        ...(charge.outcome === "declined" ? { declined: charge.reason } : {}),
      },
    });
    if (charge.outcome === "succeeded") {
      return { paid: await loadInvoiceDetails(trx, tenantId, invoiceId, now) };
    }
    const declined: Declined = {
      number: invoice.number,
      card: describeCard(method),
      reason: charge.reason,
      paymentId: charge.paymentId,
      paymentMethodId: method.id,
    };
    return { declined };
  });
  if ("paid" in outcome) return outcome.paid;
  // Refused only now, after the declined attempt and its audit entry were committed.
  const { declined } = outcome;
  throw conflict(
    PAYMENT_ERROR.DECLINED,
    `The charge to ${declined.card} for invoice ${declined.number} was declined: ${declined.reason} Pay with another payment method (paymentMethodId), or record a bank transfer with {"method": "manual"}.`,
    { paymentId: declined.paymentId, paymentMethodId: declined.paymentMethodId },
  );
}
