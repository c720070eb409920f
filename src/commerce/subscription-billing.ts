import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import type { Executor } from "../store/database.js";
import { addBillingCredit, issueInvoice } from "./invoice.service.js";
import type { Product } from "./product.js";
import { proratedAmount } from "./proration.js";
import type { Term } from "./subscription.js";
import { sumChargedSince } from "./subscription.repository.js";
import type { LifecycleEffect, LifecycleState } from "./subscription-lifecycle-state.js";

/**
 * Turns the money a lifecycle transition moves into invoices and credits (part C's
 * `issueInvoice` / `addBillingCredit`), in the caller's transaction. Charges are invoiced at
 * once, so a card on file is charged at once; credits wait for the tenant's next invoice
 * (SPEC §3). Amounts are seats × the term's per-seat price, prorated in whole seconds
 * (proration.ts); an amount that prorates to nothing is not invoiced or credited.
 */

export function termPriceMinor(product: Product, term: Term): number {
  return term === "monthly" ? product.monthlyPriceMinor : product.annualPriceMinor;
}

export interface BillingTarget {
  tenantId: string;
  subscriptionId: string;
  product: Product;
  /** The subscription before the transition (its current period). */
  before: LifecycleState;
  /** The method renewals charge; null: the tenant's default. */
  paymentMethodId: string | null;
  actor: Actor;
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Bills one effect; returns the id of the invoice it issued, if it issued one. */
export async function billLifecycleEffect(
  ctx: AppContext,
  trx: Executor,
  target: BillingTarget,
  effect: LifecycleEffect,
): Promise<string | null> {
  const { product, before } = target;
  const name = product.displayName["en-US"];
  const unitPriceMinor = termPriceMinor(product, before.term);
  const period = { start: before.periodStartAt, end: before.periodEndAt };
  switch (effect.type) {
    case "chargePeriod": {
      const seats = effect.seats;
      return invoice(ctx, trx, target, {
        periodStart: effect.periodStartAt,
        periodEnd: effect.periodEndAt,
        description: `${name}: ${seats} seats, ${before.term}, ${day(effect.periodStartAt)} to ${day(effect.periodEndAt)}`,
        quantity: seats,
        unitPriceMinor,
        amountMinor: seats * unitPriceMinor,
      });
    }
    case "chargeProrated": {
      const amountMinor = proratedAmount(effect.seats * unitPriceMinor, period, effect.from);
      if (amountMinor === 0) return null;
      return invoice(ctx, trx, target, {
        periodStart: effect.from,
        periodEnd: before.periodEndAt,
        description: `${name}: ${effect.seats} more seats, ${day(effect.from)} to ${day(before.periodEndAt)} (prorated)`,
        quantity: effect.seats,
        unitPriceMinor,
        amountMinor,
      });
    }
    case "creditProrated": {
      const amountMinor = proratedAmount(effect.seats * unitPriceMinor, period, effect.from);
      await credit(ctx, trx, target, {
        amountMinor,
        description: `${name}: ${effect.seats} seats unused from ${day(effect.from)} to ${day(before.periodEndAt)} (prorated credit)`,
      });
      return null;
    }
    case "refundPeriod": {
      const periodStartIso = before.periodStartAt.toISOString();
      const amountMinor = await sumChargedSince(
        trx,
        target.tenantId,
        target.subscriptionId,
        periodStartIso,
      );
      await credit(ctx, trx, target, {
        amountMinor,
        description: `${name}: refund of the period from ${day(before.periodStartAt)}, cancelled within 7 days`,
      });
      return null;
    }
  }
}

async function invoice(
  ctx: AppContext,
  trx: Executor,
  target: BillingTarget,
  line: {
    periodStart: Date;
    periodEnd: Date;
    description: string;
    quantity: number;
    unitPriceMinor: number;
    amountMinor: number;
  },
): Promise<string> {
  const issued = await issueInvoice(ctx, trx, target.tenantId, {
    periodStart: line.periodStart,
    periodEnd: line.periodEnd,
    currency: target.product.currency,
    paymentMethodId: target.paymentMethodId,
    actor: target.actor,
    lines: [
      {
        subscriptionId: target.subscriptionId,
        kind: "charge",
        description: line.description,
        quantity: line.quantity,
        unitPriceMinor: line.unitPriceMinor,
        amountMinor: line.amountMinor,
      },
    ],
  });
  return issued.id;
}

async function credit(
  ctx: AppContext,
  trx: Executor,
  target: BillingTarget,
  input: { amountMinor: number; description: string },
): Promise<void> {
  if (input.amountMinor <= 0) return;
  await addBillingCredit(ctx, trx, target.tenantId, {
    subscriptionId: target.subscriptionId,
    amountMinor: input.amountMinor,
    description: input.description,
    actor: target.actor,
  });
}
