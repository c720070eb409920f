import type { Executor } from "../store/database.js";
import {
  listCreditsPage,
  listInvoiceLines,
  listInvoicesPage,
  listLicenseAssignmentsPage,
  listPaymentMethodsPage,
  listPaymentsPage,
  listSubscriptionsPage,
} from "./export-commerce.repository.js";
import { bool } from "./export-rows.js";
import { type AddEntry, JsonLinesParts } from "./json-lines-parts.js";
import { forEachPage } from "./paging.js";

/**
 * Commerce's entries (SPEC §3): subscriptions, license assignments, payment methods (brand, last
 * 4, expiry, holder; never the processor token), invoices with their lines, payments and credits.
 * Money stays in integer minor units, as everywhere in Tenantry.
 */
export async function writeCommerceEntries(
  db: Executor,
  tenantId: string,
  add: AddEntry,
  counts: Record<string, number>,
): Promise<void> {
  counts.subscriptions = await writeAll(
    new JsonLinesParts("subscriptions", add),
    (after: string | undefined, limit) => listSubscriptionsPage(db, tenantId, after, limit),
    (row) => row.id,
    (row) => ({
      id: row.id,
      skuId: row.sku_id,
      skuPartNumber: row.sku_part_number,
      quantity: Number(row.quantity),
      billingModel: row.billing_model,
      term: row.term,
      status: row.status,
      isTrial: bool(row.is_trial),
      autoRenew: bool(row.auto_renew),
      startDateTime: row.start_at,
      periodStartDateTime: row.period_start_at,
      periodEndDateTime: row.period_end_at,
      statusChangedDateTime: row.status_changed_at,
      cancelledDateTime: row.cancelled_at,
      cancelReason: row.cancel_reason,
      cancelFeedback: row.cancel_feedback,
      markedForDeletionDateTime: row.marked_for_deletion_at,
      deprovisionDateTime: row.deprovision_at,
      paymentMethodId: row.payment_method_id,
      createdDateTime: row.created_at,
    }),
  );
  counts.licenseAssignments = await writeAll(
    new JsonLinesParts("licenseAssignments", add),
    (after: { userId: string; skuId: string } | undefined, limit) =>
      listLicenseAssignmentsPage(db, tenantId, after, limit),
    (row) => ({ userId: row.user_id, skuId: row.sku_id }),
    (row) => ({
      userId: row.user_id,
      skuId: row.sku_id,
      disabledPlans: JSON.parse(row.disabled_plans) as unknown,
      assignedDateTime: row.assigned_at,
    }),
  );
  counts.paymentMethods = await writeAll(
    new JsonLinesParts("paymentMethods", add),
    (after: string | undefined, limit) => listPaymentMethodsPage(db, tenantId, after, limit),
    (row) => row.id,
    (row) => ({
      id: row.id,
      type: row.type,
      brand: row.brand,
      last4: row.last4,
      expMonth: Number(row.exp_month),
      expYear: Number(row.exp_year),
      holderName: row.holder_name,
      isDefault: bool(row.is_default),
      createdDateTime: row.created_at,
    }),
  );
  counts.invoices = await writeInvoices(db, tenantId, add);
  counts.payments = await writeAll(
    new JsonLinesParts("payments", add),
    (after: string | undefined, limit) => listPaymentsPage(db, tenantId, after, limit),
    (row) => row.id,
    (row) => ({
      id: row.id,
      invoiceId: row.invoice_id,
      paymentMethodId: row.payment_method_id,
      amountMinor: Number(row.amount_minor),
      outcome: row.outcome,
      reference: row.reference,
      createdDateTime: row.created_at,
    }),
  );
  counts.credits = await writeAll(
    new JsonLinesParts("credits", add),
    (after: string | undefined, limit) => listCreditsPage(db, tenantId, after, limit),
    (row) => row.id,
    (row) => ({
      id: row.id,
      subscriptionId: row.subscription_id,
      amountMinor: Number(row.amount_minor),
      description: row.description,
      createdDateTime: row.created_at,
      appliedInvoiceId: row.applied_invoice_id,
    }),
  );
}

/** Invoices with their lines embedded (read for each page of invoices at once). */
async function writeInvoices(db: Executor, tenantId: string, add: AddEntry): Promise<number> {
  const parts = new JsonLinesParts("invoices", add);
  await forEachPage(
    (after: string | undefined, limit) => listInvoicesPage(db, tenantId, after, limit),
    (row) => row.id,
    async (rows) => {
      const lines = await listInvoiceLines(
        db,
        tenantId,
        rows.map((row) => row.id),
      );
      for (const row of rows) {
        await parts.add({
          id: row.id,
          number: Number(row.number),
          issuedDateTime: row.issued_at,
          periodStartDateTime: row.period_start_at,
          periodEndDateTime: row.period_end_at,
          dueDateTime: row.due_at,
          currency: row.currency,
          totalMinor: Number(row.total_minor),
          paidMinor: Number(row.paid_minor),
          status: row.status,
          paidDateTime: row.paid_at,
          createdDateTime: row.created_at,
          lines: lines
            .filter((line) => line.invoice_id === row.id)
            .map((line) => ({
              lineNo: Number(line.line_no),
              subscriptionId: line.subscription_id,
              kind: line.kind,
              description: line.description,
              quantity: Number(line.quantity),
              unitPriceMinor: Number(line.unit_price_minor),
              amountMinor: Number(line.amount_minor),
            })),
        });
      }
    },
  );
  await parts.flush();
  return parts.count;
}

async function writeAll<R, K>(
  parts: JsonLinesParts,
  fetch: (after: K | undefined, limit: number) => Promise<R[]>,
  keyOf: (row: R) => K,
  toArchived: (row: R) => unknown,
): Promise<number> {
  await forEachPage(fetch, keyOf, async (rows) => {
    for (const row of rows) await parts.add(toArchived(row));
  });
  await parts.flush();
  return parts.count;
}
