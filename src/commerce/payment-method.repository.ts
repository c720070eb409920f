import type { Insertable, Selectable } from "kysely";
import type { Executor } from "../store/database.js";
import type { PaymentMethodTable } from "./commerce.table.js";

export type PaymentMethodRow = Selectable<PaymentMethodTable>;

export async function insertPaymentMethodRow(
  db: Executor,
  row: Insertable<PaymentMethodTable>,
): Promise<void> {
  await db.insertInto("payment_method").values(row).execute();
}

export async function findPaymentMethodRow(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<PaymentMethodRow | undefined> {
  return db
    .selectFrom("payment_method")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export async function findDefaultPaymentMethodRow(
  db: Executor,
  tenantId: string,
): Promise<PaymentMethodRow | undefined> {
  return db
    .selectFrom("payment_method")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("is_default", "=", true)
    .orderBy("id")
    .executeTakeFirst();
}

/** The tenant's methods in the order they were added (ids are time-ordered), a page at a time. */
export async function listPaymentMethodRows(
  db: Executor,
  tenantId: string,
  options: { afterId?: string | undefined; limit: number },
): Promise<PaymentMethodRow[]> {
  let query = db.selectFrom("payment_method").selectAll().where("tenant_id", "=", tenantId);
  if (options.afterId) query = query.where("id", ">", options.afterId);
  return query.orderBy("id").limit(options.limit).execute();
}

/** Makes `id` the tenant's one default method. */
export async function setDefaultPaymentMethodRow(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<void> {
  await db
    .updateTable("payment_method")
    .set({ is_default: false })
    .where("tenant_id", "=", tenantId)
    .where("id", "!=", id)
    .where("is_default", "=", true)
    .execute();
  await db
    .updateTable("payment_method")
    .set({ is_default: true })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .execute();
}

export async function deletePaymentMethodRow(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<void> {
  await db
    .deleteFrom("payment_method")
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .execute();
}

/** A subscription that will charge a payment method when it renews. */
export interface RenewingSubscriptionRow {
  id: string;
  sku_part_number: string;
  period_end_at: string;
}

/**
 * Active subscriptions with auto-renew that renew with this method: those naming it, and — when it
 * is the default — those naming none (null means "the default method").
 */
export async function findSubscriptionsRenewingWith(
  db: Executor,
  tenantId: string,
  method: { id: string; isDefault: boolean },
): Promise<RenewingSubscriptionRow[]> {
  return db
    .selectFrom("subscription as s")
    .innerJoin("product as p", "p.sku_id", "s.sku_id")
    .select(["s.id", "p.sku_part_number", "s.period_end_at"])
    .where("s.tenant_id", "=", tenantId)
    .where("s.status", "=", "active")
    .where("s.auto_renew", "=", true)
    .where((eb) =>
      method.isDefault
        ? eb.or([eb("s.payment_method_id", "=", method.id), eb("s.payment_method_id", "is", null)])
        : eb("s.payment_method_id", "=", method.id),
    )
    .orderBy("s.id")
    .execute();
}

/** Subscriptions that named a removed method fall back to the default method (null). */
export async function clearSubscriptionPaymentMethod(
  db: Executor,
  tenantId: string,
  paymentMethodId: string,
  updatedAt: string,
): Promise<void> {
  await db
    .updateTable("subscription")
    .set({ payment_method_id: null, updated_at: updatedAt })
    .where("tenant_id", "=", tenantId)
    .where("payment_method_id", "=", paymentMethodId)
    .execute();
}
