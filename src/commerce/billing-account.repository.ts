import type { Selectable } from "kysely";
import type { Executor } from "../store/database.js";
import type { BillingAccountTable } from "./commerce.table.js";

export type BillingAccountRow = Selectable<BillingAccountTable>;

/**
 * Claims the tenant's next invoice number, creating its billing account (in `currency`) on first
 * use. Contract: `trx` is the transaction that writes the invoice. The account row stays locked
 * until it ends (PostgreSQL: `FOR UPDATE`; SQLite serializes writers), so concurrent invoices of
 * one tenant queue here and are numbered 1, 2, 3, … without gaps: a rolled-back invoice gives its
 * number back with the rest of its transaction.
 */
export async function claimInvoiceNumber(
  trx: Executor,
  tenantId: string,
  options: { currency: string; now: string; rowLocks: boolean },
): Promise<{ number: number; currency: string }> {
  await trx
    .insertInto("billing_account")
    .values({
      tenant_id: tenantId,
      next_invoice_number: 1,
      currency: options.currency,
      created_at: options.now,
      updated_at: options.now,
    })
    .onConflict((oc) => oc.column("tenant_id").doNothing())
    .execute();
  const query = trx.selectFrom("billing_account").selectAll().where("tenant_id", "=", tenantId);
  const account = await (options.rowLocks ? query.forUpdate() : query).executeTakeFirstOrThrow();
  const number = Number(account.next_invoice_number);
  await trx
    .updateTable("billing_account")
    .set({ next_invoice_number: number + 1, updated_at: options.now })
    .where("tenant_id", "=", tenantId)
    .execute();
  return { number, currency: account.currency };
}

export async function findBillingAccountRow(
  db: Executor,
  tenantId: string,
): Promise<BillingAccountRow | undefined> {
  return db
    .selectFrom("billing_account")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .executeTakeFirst();
}
