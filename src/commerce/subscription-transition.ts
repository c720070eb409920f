import type { Updateable } from "kysely";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import type { Executor } from "../store/database.js";
import type { SubscriptionTable } from "./commerce.table.js";
import { scheduleSubscriptionLifecycle } from "./commerce-jobs.js";
import type { Product } from "./product.js";
import {
  findSubscriptionRow,
  type SubscriptionRow,
  updateSubscriptionRow,
} from "./subscription.repository.js";
import { billLifecycleEffect } from "./subscription-billing.js";
import { transition } from "./subscription-lifecycle.js";
import {
  type LifecycleEffect,
  type LifecycleEvent,
  type LifecycleState,
  type NextLifecycle,
  nextLifecycle,
} from "./subscription-lifecycle-state.js";
import { lifecycleColumns, refusalError, toLifecycleState } from "./subscription-mappers.js";

export interface AppliedEvents {
  /** The row as it is now. */
  row: SubscriptionRow;
  before: LifecycleState;
  state: LifecycleState;
  next: NextLifecycle | null;
  /** Invoices the transition issued (charges), in order. */
  invoiceIds: string[];
}

/**
 * The one way a subscription changes, for user actions and scheduled work alike, inside the
 * caller's transaction: runs the events through the state machine in order (the first refusal
 * throws and, with the caller's transaction, changes nothing), writes the new state and `columns`,
 * bills what the transitions moved, and reschedules the lifecycle job for the next due event.
 */
export async function applySubscriptionEvents(
  ctx: AppContext,
  trx: Executor,
  input: {
    row: SubscriptionRow;
    product: Product;
    events: readonly LifecycleEvent[];
    actor: Actor;
    columns?: Updateable<SubscriptionTable>;
  },
): Promise<AppliedEvents> {
  const { row, product, actor } = input;
  const before = toLifecycleState(row);
  let state = before;
  let next = nextLifecycle(state);
  const billed: { pre: LifecycleState; effect: LifecycleEffect }[] = [];
  for (const event of input.events) {
    const result = transition(state, event);
    if (!result.ok) throw refusalError(result.refusal, row.id);
    for (const effect of result.effects) billed.push({ pre: state, effect });
    state = result.state;
    next = result.next;
  }

  const now = ctx.clock.now();
  const columns = input.columns ?? {};
  await updateSubscriptionRow(trx, row.tenant_id, row.id, {
    ...lifecycleColumns(state, next),
    ...columns,
    updated_at: now.toISOString(),
  });
  const paymentMethodId =
    columns.payment_method_id !== undefined ? columns.payment_method_id : row.payment_method_id;
  const invoiceIds: string[] = [];
  for (const { pre, effect } of billed) {
    const target = {
      tenantId: row.tenant_id,
      subscriptionId: row.id,
      product,
      before: pre,
      paymentMethodId,
      actor,
    };
    const invoiceId = await billLifecycleEffect(ctx, trx, target, effect);
    if (invoiceId) invoiceIds.push(invoiceId);
  }
  await scheduleSubscriptionLifecycle(
    trx,
    { tenantId: row.tenant_id, subscriptionId: row.id },
    next,
    now,
  );
  const reloaded = await findSubscriptionRow(trx, row.tenant_id, row.id);
  if (!reloaded) throw new Error(`Subscription ${row.id} vanished inside its own transaction.`);
  return { row: reloaded, before, state, next, invoiceIds };
}
