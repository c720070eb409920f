// The commerce area (SPEC §3): catalog, subscriptions, licenses, payment methods, invoices.
// Transport (src/http, src/cli) imports from here only.
export type { CommerceTables } from "./commerce.table.js";

// — catalog —
export {
  MAX_PRICE_MINOR,
  PRODUCT_ERROR,
  PRODUCT_LANGUAGES,
  type Product,
  type ProductLanguage,
  parseProduct,
  type ServicePlan,
} from "./product.js";
export {
  type AddProductOptions,
  type AddProductResult,
  addProduct,
  findProductByPartNumber,
  findProductBySkuId,
  getCatalogProduct,
  listCatalog,
  listProducts,
} from "./product.service.js";

// — subscriptions —
export { commerceJobHandlers } from "./commerce-job-handlers.js";
export { JOB_SUBSCRIPTION_LIFECYCLE } from "./commerce-jobs.js";
export { countConsumedUnits } from "./license-count.repository.js";
export { proratedAmount } from "./proration.js";
export {
  BILLING_MODELS,
  type BillingModel,
  CANCEL_WHEN,
  CANCELLATION_REASONS,
  type CancellationReason,
  type CancelWhen,
  MAX_FEEDBACK_LENGTH,
  MAX_QUANTITY,
  MAX_TRIAL_QUANTITY,
  MIN_QUANTITY,
  SUBSCRIPTION_STATUSES,
  type Subscription,
  type SubscriptionStatus,
  TERMS,
  type Term,
} from "./subscription.js";
export {
  type BoughtSubscription,
  buySubscription,
  getSubscription,
  listSubscriptions,
} from "./subscription.service.js";
export {
  type ChangedSubscription,
  cancelSubscription,
  cancelSubscriptionIn,
  changeSubscriptionQuantity,
  deleteSubscription,
  deleteSubscriptionIn,
  reactivateSubscription,
} from "./subscription-actions.service.js";
export type {
  BuySubscriptionInput,
  CancelSubscriptionInput,
  ChangeSubscriptionInput,
  DeleteSubscriptionInput,
  ReactivateSubscriptionInput,
} from "./subscription-input.js";
export { checkCancelInput } from "./subscription-input.js";
export {
  type CancelPreview,
  type DeletePreview,
  previewSubscriptionClosure,
  type SubscriptionClosurePreview,
} from "./subscription-closure-preview.service.js";
export { transition } from "./subscription-lifecycle.js";
export {
  AGREEMENT_CHANGE_WINDOW_MS,
  DISABLED_PHASE_MS,
  EXPIRED_PHASE_MS,
  type LifecycleEvent,
  type LifecycleState,
  type NextLifecycle,
  nextLifecycle,
} from "./subscription-lifecycle-state.js";
export {
  LIFECYCLE_ERROR,
  type Refusal,
  type Remedy,
  type RemedyAction,
} from "./subscription-refusal.js";

// — payment methods and invoices —
export {
  type BalanceDue,
  balanceDue,
  getBalanceDue,
  type UnpaidInvoice,
} from "./balance.service.js";
export {
  CARD_NUMBER_REDACTION,
  containsCardNumber,
  findCardNumberPath,
  isLuhnValid,
  redactCardNumbers,
} from "./card-number.js";
export {
  DEFAULT_BILLING_CURRENCY,
  formatInvoiceNumber,
  INVOICE_ERROR,
  INVOICE_PAYMENT_TERMS_DAYS,
  type Invoice,
  type InvoiceLine,
  type InvoiceLineInput,
  type InvoiceLineKind,
  type InvoiceStatus,
  type InvoiceWithDetails,
  type Payment,
  parseInvoiceNumber,
} from "./invoice.js";
export {
  addBillingCredit,
  getInvoice,
  type IssueInvoiceInput,
  issueInvoice,
  listInvoices,
} from "./invoice.service.js";
export { PAYMENT_ERROR, type PayInvoiceInput } from "./payment.js";
export { payInvoice } from "./payment.service.js";
export {
  type AddCardInput,
  CARD_BRANDS,
  type CardBrand,
  PAYMENT_METHOD_ERROR,
  type PaymentMethod,
} from "./payment-method.js";
export {
  addPaymentMethod,
  findDefaultPaymentMethod,
  findPaymentMethod,
  getPaymentMethod,
  listPaymentMethods,
  removePaymentMethod,
  type UpdatePaymentMethodInput,
  updatePaymentMethod,
} from "./payment-method.service.js";

// — licenses —
export type { CompanySubscription } from "./company-subscription.js";
export {
  getCompanySubscription,
  listCompanySubscriptions,
} from "./company-subscription.service.js";
export type {
  AssignedLicense,
  AssignLicenseInput,
  LicenseDetail,
  LicenseOverAssignment,
  SeatCounts,
} from "./license.js";
export {
  type AssignLicenseResult,
  assignLicense,
  licenseOverAssignments,
  listLicenseDetails,
  reportRestoredLicenseOverAssignments,
} from "./license.service.js";
export {
  type CapabilityStatus,
  capabilityStatusOf,
  capabilityStatusOfSubscription,
  type ProvisioningStatus,
  provisioningStatusOf,
  type SubscribedSku,
  subscribedSkuId,
} from "./subscribed-sku.js";
export { getSubscribedSku, subscribedSkus } from "./subscribed-sku.service.js";
