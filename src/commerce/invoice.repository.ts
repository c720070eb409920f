import type { Insertable, Selectable } from "kysely";
import type { Executor } from "../store/database.js";
import type { BillingCreditTable, InvoiceLineTable, InvoiceTable } from "./commerce.table.js";

export type InvoiceRow = Selectable<InvoiceTable>;
export type InvoiceLineRow = Selectable<InvoiceLineTable>;
export type BillingCreditRow = Selectable<BillingCreditTable>;

export async function insertInvoiceRow(db: Executor, row: Insertable<InvoiceTable>): Promise<void> {
  await db.insertInto("invoice").values(row).execute();
}

export async function insertInvoiceLineRows(
  db: Executor,
  rows: readonly Insertable<InvoiceLineTable>[],
): Promise<void> {
  if (rows.length > 0)
    await db
      .insertInto("invoice_line")
      .values([...rows])
      .execute();
}

/** One invoice; `rowLocks` holds it until the transaction ends (PostgreSQL). */
export async function findInvoiceRow(
  db: Executor,
  tenantId: string,
  id: string,
  options: { rowLocks?: boolean } = {},
): Promise<InvoiceRow | undefined> {
  const query = db
    .selectFrom("invoice")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id);
  return (options.rowLocks ? query.forUpdate() : query).executeTakeFirst();
}

/** Newest first (highest number first), a page at a time: those numbered below `beforeNumber`. */
export async function listInvoiceRows(
  db: Executor,
  tenantId: string,
  options: { beforeNumber?: number | undefined; limit: number },
): Promise<InvoiceRow[]> {
  let query = db.selectFrom("invoice").selectAll().where("tenant_id", "=", tenantId);
  if (options.beforeNumber !== undefined) query = query.where("number", "<", options.beforeNumber);
  return query.orderBy("number", "desc").limit(options.limit).execute();
}

/** Invoices with something left to pay, oldest first. */
export async function listUnpaidInvoiceRows(db: Executor, tenantId: string): Promise<InvoiceRow[]> {
  return db
    .selectFrom("invoice")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("status", "!=", "paid")
    .orderBy("number")
    .execute();
}

export async function listInvoiceLineRows(
  db: Executor,
  tenantId: string,
  invoiceId: string,
): Promise<InvoiceLineRow[]> {
  return db
    .selectFrom("invoice_line")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("invoice_id", "=", invoiceId)
    .orderBy("line_no")
    .execute();
}

export async function updateInvoicePaymentState(
  db: Executor,
  tenantId: string,
  id: string,
  changes: { paid_minor: number; status: string; paid_at: string | null; updated_at: string },
): Promise<void> {
  await db
    .updateTable("invoice")
    .set(changes)
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .execute();
}

export async function insertBillingCreditRow(
  db: Executor,
  row: Insertable<BillingCreditTable>,
): Promise<void> {
  await db.insertInto("billing_credit").values(row).execute();
}

/** Credits no invoice has applied yet, oldest first. */
export async function listPendingCreditRows(
  db: Executor,
  tenantId: string,
): Promise<BillingCreditRow[]> {
  return db
    .selectFrom("billing_credit")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("applied_invoice_id", "is", null)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

/** Marks a credit as applied by an invoice, for `amountMinor` (less than before when split). */
export async function markCreditApplied(
  db: Executor,
  tenantId: string,
  creditId: string,
  invoiceId: string,
  amountMinor: number,
): Promise<void> {
  await db
    .updateTable("billing_credit")
    .set({ applied_invoice_id: invoiceId, amount_minor: amountMinor })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", creditId)
    .execute();
}
