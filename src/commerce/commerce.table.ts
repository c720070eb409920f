import type { SqlBool } from "kysely";

/**
 * Commerce rows (SPEC §3). Money is always an integer count of minor units (cents) in the
 * product's currency; times are ISO-8601 UTC strings, as everywhere in the store.
 */

/**
 * The catalog: global, not tenant-owned (a reference table in a sharded deployment). Seeded by
 * migration data at start-up and extensible by operators.
 */
export interface ProductTable {
  /** Graph's skuId (a GUID), e.g. f245ecc8-75af-4f8e-b61f-27d8114de5f3. */
  sku_id: string;
  /** Graph's skuPartNumber, e.g. O365_BUSINESS_PREMIUM; unique. */
  sku_part_number: string;
  display_name_en: string;
  display_name_zh: string;
  /** JSON array of `{servicePlanId, servicePlanName, displayName}`. */
  service_plans: string;
  /** Price per seat for one month on a monthly term, in minor units. */
  monthly_price_minor: number;
  /** Price per seat for one year on an annual term, in minor units. */
  annual_price_minor: number;
  /** ISO 4217, e.g. USD. */
  currency: string;
  /** Days of a free trial (30), or null when the product has none. */
  trial_days: number | null;
  created_at: string;
  updated_at: string;
}

/** Per-tenant billing account: the invoice numbering and the currency it bills in. */
export interface BillingAccountTable {
  tenant_id: string;
  /** The number the next invoice gets (1, 2, …); shown as INV-000001. */
  next_invoice_number: number;
  currency: string;
  created_at: string;
  updated_at: string;
}

export interface SubscriptionTable {
  tenant_id: string;
  id: string;
  sku_id: string;
  /** Seats. */
  quantity: number;
  /** `direct` | `agreement`. */
  billing_model: string;
  /** `monthly` | `annual`. */
  term: string;
  /** `active` | `expired` | `disabled` | `deprovisioned`. */
  status: string;
  is_trial: SqlBool;
  auto_renew: SqlBool;
  /** When the subscription was bought. */
  start_at: string;
  /** The paid period in progress (or the last one, once it lapsed). */
  period_start_at: string;
  period_end_at: string;
  status_changed_at: string;
  /** When the next time-driven transition falls due (renewal, expiry, …), if any. */
  next_lifecycle_at: string | null;
  cancelled_at: string | null;
  cancel_reason: string | null;
  cancel_feedback: string | null;
  /** Set by delete: deprovisioned at `deprovision_at` unless reactivated before. */
  marked_for_deletion_at: string | null;
  deprovision_at: string | null;
  /** The payment method renewals charge; null while on trial or with none chosen. */
  payment_method_id: string | null;
  created_at: string;
  updated_at: string;
}

/** A SKU assigned to a user. Counted as consumed only while the user is not deleted. */
export interface LicenseAssignmentTable {
  tenant_id: string;
  user_id: string;
  sku_id: string;
  /** JSON array of service plan ids turned off for this user (Graph's `disabledPlans`). */
  disabled_plans: string;
  assigned_at: string;
}

/** A card on file. Never a card number: brand, last four, expiry and the processor's token. */
export interface PaymentMethodTable {
  tenant_id: string;
  id: string;
  /** `card`. */
  type: string;
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  holder_name: string;
  /** The payment processor's reference; `tok_fail…` tokens are declined. */
  token: string;
  is_default: SqlBool;
  created_at: string;
}

export interface InvoiceTable {
  tenant_id: string;
  id: string;
  /** 1, 2, … within the tenant; shown as INV-000001. */
  number: number;
  issued_at: string;
  period_start_at: string;
  period_end_at: string;
  /** Unpaid after this: `overdue`. */
  due_at: string;
  currency: string;
  /** Sum of the lines (charges minus credits), never below zero. */
  total_minor: number;
  paid_minor: number;
  /** `paid` | `due` | `overdue`. */
  status: string;
  paid_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface InvoiceLineTable {
  tenant_id: string;
  invoice_id: string;
  line_no: number;
  subscription_id: string | null;
  /** `charge` | `credit`. */
  kind: string;
  description: string;
  quantity: number;
  unit_price_minor: number;
  /** Negative for credits. */
  amount_minor: number;
}

export interface PaymentTable {
  tenant_id: string;
  id: string;
  invoice_id: string;
  /** Null for a payment recorded by hand (bank transfer). */
  payment_method_id: string | null;
  amount_minor: number;
  /** `succeeded` | `declined`. */
  outcome: string;
  /** The bank transfer's reference of a payment recorded by hand; null for card payments. */
  reference: string | null;
  created_at: string;
}

/** A prorated credit waiting for the next invoice (SPEC §3: cancel now, direct billing). */
export interface BillingCreditTable {
  tenant_id: string;
  id: string;
  subscription_id: string;
  amount_minor: number;
  description: string;
  created_at: string;
  /** The invoice that applied it; null while pending. */
  applied_invoice_id: string | null;
}

export interface CommerceTables {
  product: ProductTable;
  billing_account: BillingAccountTable;
  subscription: SubscriptionTable;
  license_assignment: LicenseAssignmentTable;
  payment_method: PaymentMethodTable;
  invoice: InvoiceTable;
  invoice_line: InvoiceLineTable;
  payment: PaymentTable;
  billing_credit: BillingCreditTable;
}
