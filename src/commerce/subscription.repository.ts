import type { Insertable, Selectable, Updateable } from "kysely";
import type { Executor } from "../store/database.js";
import type { SubscriptionTable } from "./commerce.table.js";

/** A subscription row with its product's part number. */
export type SubscriptionRow = Selectable<SubscriptionTable> & { sku_part_number: string };

export async function insertSubscriptionRow(
  db: Executor,
  row: Insertable<SubscriptionTable>,
): Promise<void> {
  await db.insertInto("subscription").values(row).execute();
}

function selectSubscriptions(db: Executor, tenantId: string) {
  return db
    .selectFrom("subscription as s")
    .innerJoin("product as p", "p.sku_id", "s.sku_id")
    .selectAll("s")
    .select("p.sku_part_number")
    .where("s.tenant_id", "=", tenantId);
}

export async function findSubscriptionRow(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<SubscriptionRow | undefined> {
  return selectSubscriptions(db, tenantId).where("s.id", "=", id).executeTakeFirst();
}

/** A page of the tenant's subscriptions in id (= purchase) order, after `afterId`. */
export async function listSubscriptionRows(
  db: Executor,
  tenantId: string,
  options: { afterId?: string | undefined; limit: number },
): Promise<SubscriptionRow[]> {
  let q = selectSubscriptions(db, tenantId);
  if (options.afterId) q = q.where("s.id", ">", options.afterId);
  return q.orderBy("s.id").limit(options.limit).execute();
}

export async function updateSubscriptionRow(
  db: Executor,
  tenantId: string,
  id: string,
  patch: Updateable<SubscriptionTable>,
): Promise<void> {
  await db
    .updateTable("subscription")
    .set(patch)
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .execute();
}

/** Seats of the tenant's `active` subscriptions of the SKU other than `exceptId`. */
export async function sumOtherActiveSeats(
  db: Executor,
  tenantId: string,
  skuId: string,
  exceptId: string,
): Promise<number> {
  const row = await db
    .selectFrom("subscription")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("quantity"), eb.lit(0)).as("seats"))
    .where("tenant_id", "=", tenantId)
    .where("sku_id", "=", skuId)
    .where("status", "=", "active")
    .where("id", "!=", exceptId)
    .executeTakeFirstOrThrow();
  return Number(row.seats);
}

/** The oldest invoice with a line of this subscription that is not fully paid. */
export async function findOldestUnpaidInvoiceOf(
  db: Executor,
  tenantId: string,
  subscriptionId: string,
): Promise<{ id: string; number: number } | undefined> {
  return db
    .selectFrom("invoice as i")
    .select(["i.id", "i.number"])
    .where("i.tenant_id", "=", tenantId)
    .whereRef("i.paid_minor", "<", "i.total_minor")
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("invoice_line as l")
          .select("l.line_no")
          .whereRef("l.tenant_id", "=", "i.tenant_id")
          .whereRef("l.invoice_id", "=", "i.id")
          .where("l.subscription_id", "=", subscriptionId),
      ),
    )
    .orderBy("i.number")
    .limit(1)
    .executeTakeFirst();
}

/**
 * What the subscription was charged for the period that started at `periodStartIso`: its charge
 * lines on invoices for that period or a part of it (the period's own invoice, prorated seat
 * increases), less the credits it earned since (prorated seat decreases), never below zero.
 */
export async function sumChargedSince(
  db: Executor,
  tenantId: string,
  subscriptionId: string,
  periodStartIso: string,
): Promise<number> {
  const charged = await db
    .selectFrom("invoice_line as l")
    .innerJoin("invoice as i", (join) =>
      join.onRef("i.tenant_id", "=", "l.tenant_id").onRef("i.id", "=", "l.invoice_id"),
    )
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("l.amount_minor"), eb.lit(0)).as("amount"))
    .where("l.tenant_id", "=", tenantId)
    .where("l.subscription_id", "=", subscriptionId)
    .where("l.kind", "=", "charge")
    .where("i.period_start_at", ">=", periodStartIso)
    .executeTakeFirstOrThrow();
  const credited = await db
    .selectFrom("billing_credit")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("amount_minor"), eb.lit(0)).as("amount"))
    .where("tenant_id", "=", tenantId)
    .where("subscription_id", "=", subscriptionId)
    .where("created_at", ">=", periodStartIso)
    .executeTakeFirstOrThrow();
  return Math.max(0, Number(charged.amount) - Number(credited.amount));
}
