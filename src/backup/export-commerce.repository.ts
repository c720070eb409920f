import type { Executor } from "../store/database.js";

/**
 * SQL of the export, commerce part: keyset pages of one tenant's billing rows. A payment method's
 * processor `token` is never selected: it is what charges the card, a secret (SPEC §3).
 */

export async function listSubscriptionsPage(
  db: Executor,
  tenantId: string,
  afterId: string | undefined,
  limit: number,
) {
  let query = db
    .selectFrom("subscription")
    .leftJoin("product", "product.sku_id", "subscription.sku_id")
    .select([
      "subscription.id",
      "subscription.sku_id",
      "product.sku_part_number",
      "subscription.quantity",
      "subscription.billing_model",
      "subscription.term",
      "subscription.status",
      "subscription.is_trial",
      "subscription.auto_renew",
      "subscription.start_at",
      "subscription.period_start_at",
      "subscription.period_end_at",
      "subscription.status_changed_at",
      "subscription.cancelled_at",
      "subscription.cancel_reason",
      "subscription.cancel_feedback",
      "subscription.marked_for_deletion_at",
      "subscription.deprovision_at",
      "subscription.payment_method_id",
      "subscription.created_at",
    ])
    .where("subscription.tenant_id", "=", tenantId);
  if (afterId !== undefined) query = query.where("subscription.id", ">", afterId);
  return query.orderBy("subscription.id").limit(limit).execute();
}

export async function listLicenseAssignmentsPage(
  db: Executor,
  tenantId: string,
  after: { userId: string; skuId: string } | undefined,
  limit: number,
) {
  let query = db
    .selectFrom("license_assignment")
    .select(["user_id", "sku_id", "disabled_plans", "assigned_at"])
    .where("tenant_id", "=", tenantId);
  if (after !== undefined) {
    query = query.where((eb) =>
      eb(eb.refTuple("user_id", "sku_id"), ">", eb.tuple(after.userId, after.skuId)),
    );
  }
  return query.orderBy("user_id").orderBy("sku_id").limit(limit).execute();
}

export async function listPaymentMethodsPage(
  db: Executor,
  tenantId: string,
  afterId: string | undefined,
  limit: number,
) {
  let query = db
    .selectFrom("payment_method")
    .select([
      "id",
      "type",
      "brand",
      "last4",
      "exp_month",
      "exp_year",
      "holder_name",
      "is_default",
      "created_at",
    ])
    .where("tenant_id", "=", tenantId);
  if (afterId !== undefined) query = query.where("id", ">", afterId);
  return query.orderBy("id").limit(limit).execute();
}

export async function listInvoicesPage(
  db: Executor,
  tenantId: string,
  afterId: string | undefined,
  limit: number,
) {
  let query = db
    .selectFrom("invoice")
    .select([
      "id",
      "number",
      "issued_at",
      "period_start_at",
      "period_end_at",
      "due_at",
      "currency",
      "total_minor",
      "paid_minor",
      "status",
      "paid_at",
      "created_at",
    ])
    .where("tenant_id", "=", tenantId);
  if (afterId !== undefined) query = query.where("id", ">", afterId);
  return query.orderBy("id").limit(limit).execute();
}

export async function listInvoiceLines(
  db: Executor,
  tenantId: string,
  invoiceIds: readonly string[],
) {
  if (invoiceIds.length === 0) return [];
  return db
    .selectFrom("invoice_line")
    .select([
      "invoice_id",
      "line_no",
      "subscription_id",
      "kind",
      "description",
      "quantity",
      "unit_price_minor",
      "amount_minor",
    ])
    .where("tenant_id", "=", tenantId)
    .where("invoice_id", "in", invoiceIds)
    .orderBy("invoice_id")
    .orderBy("line_no")
    .execute();
}

export async function listPaymentsPage(
  db: Executor,
  tenantId: string,
  afterId: string | undefined,
  limit: number,
) {
  let query = db
    .selectFrom("payment")
    .select([
      "id",
      "invoice_id",
      "payment_method_id",
      "amount_minor",
      "outcome",
      "reference",
      "created_at",
    ])
    .where("tenant_id", "=", tenantId);
  if (afterId !== undefined) query = query.where("id", ">", afterId);
  return query.orderBy("id").limit(limit).execute();
}

export async function listCreditsPage(
  db: Executor,
  tenantId: string,
  afterId: string | undefined,
  limit: number,
) {
  let query = db
    .selectFrom("billing_credit")
    .select([
      "id",
      "subscription_id",
      "amount_minor",
      "description",
      "created_at",
      "applied_invoice_id",
    ])
    .where("tenant_id", "=", tenantId);
  if (afterId !== undefined) query = query.where("id", ">", afterId);
  return query.orderBy("id").limit(limit).execute();
}
