import type { Insertable, Selectable } from "kysely";
import type { Executor } from "../store/database.js";
import type { PaymentTable } from "./commerce.table.js";

export type PaymentRow = Selectable<PaymentTable>;

export async function insertPaymentRow(db: Executor, row: Insertable<PaymentTable>): Promise<void> {
  await db.insertInto("payment").values(row).execute();
}

/** An invoice's payments and declined charges, oldest first (ids are time-ordered). */
export async function listPaymentRows(
  db: Executor,
  tenantId: string,
  invoiceId: string,
): Promise<PaymentRow[]> {
  return db
    .selectFrom("payment")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("invoice_id", "=", invoiceId)
    .orderBy("id")
    .execute();
}
