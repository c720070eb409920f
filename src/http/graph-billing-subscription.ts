import { Type } from "@fastify/type-provider-typebox";
import {
  BILLING_MODELS,
  SUBSCRIPTION_STATUSES,
  type Subscription,
  TERMS,
} from "../commerce/index.js";

/**
 * Tenantry's subscription resource (`/v1.0/billing/subscriptions`), in the conventions of the
 * billing resources (billing-payments.routes.ts): camelCase, `…DateTime` ISO strings, null when
 * absent.
 */
export function toGraphSubscription(subscription: Subscription) {
  const iso = (date: Date | null) => (date === null ? null : date.toISOString());
  return {
    id: subscription.id,
    skuId: subscription.skuId,
    skuPartNumber: subscription.skuPartNumber,
    quantity: subscription.quantity,
    billingModel: subscription.billingModel,
    term: subscription.term,
    status: subscription.status,
    isTrial: subscription.isTrial,
    autoRenew: subscription.autoRenew,
    startDateTime: subscription.startAt.toISOString(),
    currentPeriodStartDateTime: subscription.periodStartAt.toISOString(),
    currentPeriodEndDateTime: subscription.periodEndAt.toISOString(),
    nextLifecycleDateTime: iso(subscription.nextLifecycleAt),
    cancelledDateTime: iso(subscription.cancelledAt),
    cancellationReason: subscription.cancelReason,
    cancellationFeedback: subscription.cancelFeedback,
    markedForDeletionDateTime: iso(subscription.markedForDeletionAt),
    deprovisionDateTime: iso(subscription.deprovisionAt),
    paymentMethodId: subscription.paymentMethodId,
    createdDateTime: subscription.createdAt.toISOString(),
  };
}

export type GraphSubscription = ReturnType<typeof toGraphSubscription>;

/** What `$select` may name: every property of the resource, in its order. */
export const SUBSCRIPTION_PROPERTIES = [
  "id",
  "skuId",
  "skuPartNumber",
  "quantity",
  "billingModel",
  "term",
  "status",
  "isTrial",
  "autoRenew",
  "startDateTime",
  "currentPeriodStartDateTime",
  "currentPeriodEndDateTime",
  "nextLifecycleDateTime",
  "cancelledDateTime",
  "cancellationReason",
  "cancellationFeedback",
  "markedForDeletionDateTime",
  "deprovisionDateTime",
  "paymentMethodId",
  "createdDateTime",
] as const satisfies readonly (keyof GraphSubscription)[];

const NullableString = Type.Union([Type.String(), Type.Null()]);
const DateTime = (description: string) => Type.String({ format: "date-time", description });
const NullableDateTime = (description: string) =>
  Type.Union([Type.String({ format: "date-time" }), Type.Null()], { description });

const SUBSCRIPTION_FIELDS = {
  id: Type.String(),
  skuId: Type.String({ description: "The product's Graph skuId." }),
  skuPartNumber: Type.String({ description: "E.g. O365_BUSINESS_PREMIUM." }),
  quantity: Type.Integer({ description: "Seats." }),
  billingModel: Type.Union(BILLING_MODELS.map((m) => Type.Literal(m))),
  term: Type.Union(TERMS.map((t) => Type.Literal(t))),
  status: Type.Union(SUBSCRIPTION_STATUSES.map((s) => Type.Literal(s))),
  isTrial: Type.Boolean(),
  autoRenew: Type.Boolean({ description: "Whether it renews at the end of the current period." }),
  startDateTime: DateTime("When it was bought."),
  currentPeriodStartDateTime: DateTime("The start of the paid (or trial) period in progress."),
  currentPeriodEndDateTime: DateTime("Its end: the renewal, or the expiry without auto-renew."),
  nextLifecycleDateTime: NullableDateTime(
    "When the next time-driven transition happens (renewal, expiry, disabling, deprovisioning).",
  ),
  cancelledDateTime: NullableDateTime("When it was cancelled (now or at renewal)."),
  cancellationReason: NullableString,
  cancellationFeedback: NullableString,
  markedForDeletionDateTime: NullableDateTime("When it was deleted (marked for deletion)."),
  deprovisionDateTime: NullableDateTime(
    "When a subscription marked for deletion is deprovisioned.",
  ),
  paymentMethodId: Type.Union([Type.String(), Type.Null()], {
    description: "The card its renewals charge; null: the organization's default payment method.",
  }),
  createdDateTime: DateTime("When the record was created."),
};

/** One subscription (every property optional, so `$select`ed subsets serialize too). */
export const GraphSubscriptionSchema = Type.Partial(
  Type.Object({ "@odata.context": Type.String(), ...SUBSCRIPTION_FIELDS }),
  { additionalProperties: false },
);

/** A subscription with the invoice the request issued (purchase, more seats, reactivation). */
export const GraphSubscriptionChangeSchema = Type.Object(
  {
    "@odata.context": Type.String(),
    ...SUBSCRIPTION_FIELDS,
    invoiceId: Type.Union([Type.String(), Type.Null()], {
      description: "The invoice this request issued (and charged), or null.",
    }),
  },
  { additionalProperties: false },
);

export const GraphSubscriptionCollectionSchema = Type.Object(
  {
    "@odata.context": Type.String(),
    "@odata.nextLink": Type.Optional(Type.String()),
    value: Type.Array(GraphSubscriptionSchema),
  },
  { additionalProperties: false },
);
