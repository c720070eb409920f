import type { AuditEntry } from "./audit.js";

/**
 * Billing events, which a Billing Administrator may read (SPEC §1): what happened to
 * subscriptions, invoices, payments, credits and payment methods, including the closure steps
 * that cancel and delete subscriptions.
 */
const BILLING_TARGETS = new Set([
  "subscription",
  "invoice",
  "paymentMethod",
  "payment",
  "billingCredit",
]);
const BILLING_ACTIONS =
  /^(subscriptions?|invoice|paymentMethod|billingCredit|payment)\.|^addPaymentMethod$|^closure\.(cancelSubscriptions|deleteDisabledSubscriptions)$/;

export function isBillingAuditEvent(entry: Pick<AuditEntry, "action" | "target">): boolean {
  return BILLING_ACTIONS.test(entry.action) || BILLING_TARGETS.has(entry.target?.type ?? "");
}
