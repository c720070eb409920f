/**
 * A class of audit events, as the store filters the log by it: an entry belongs when its action
 * starts with one of the prefixes, is one of the actions, or targets one of the types.
 */
export interface AuditEventClass {
  actionPrefixes: readonly string[];
  actions: readonly string[];
  targetTypes: readonly string[];
}

/**
 * Billing events, which a Billing Administrator may read (SPEC §1): what happened to
 * subscriptions, invoices, payments, credits and payment methods, including the closure steps
 * that cancel and delete subscriptions.
 */
export const BILLING_EVENTS: AuditEventClass = {
  actionPrefixes: [
    "subscription.",
    "subscriptions.",
    "invoice.",
    "paymentMethod.",
    "billingCredit.",
    "payment.",
  ],
  actions: [
    "addPaymentMethod",
    "closure.cancelSubscriptions",
    "closure.deleteDisabledSubscriptions",
  ],
  targetTypes: ["subscription", "invoice", "paymentMethod", "payment", "billingCredit"],
};
