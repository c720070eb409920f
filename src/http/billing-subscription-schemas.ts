import { Type } from "@fastify/type-provider-typebox";
import {
  BILLING_MODELS,
  CANCEL_WHEN,
  CANCELLATION_REASONS,
  MAX_FEEDBACK_LENGTH,
  MAX_QUANTITY,
  MIN_QUANTITY,
  TERMS,
} from "../commerce/index.js";

/** The request schemas of /v1.0/billing/subscriptions: they validate at the edge and document it. */

const literals = <T extends string>(values: readonly T[], description: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    { description },
  );
const Quantity = Type.Integer({
  minimum: MIN_QUANTITY,
  maximum: MAX_QUANTITY,
  description: `Seats, ${MIN_QUANTITY} to ${MAX_QUANTITY} (a trial: at most 25).`,
});
const PaymentMethodId = Type.Union([Type.String({ minLength: 1, maxLength: 256 }), Type.Null()], {
  description:
    "The card to charge (GET /v1.0/billing/paymentMethods); absent or null: the default.",
});

export const BuyBody = Type.Object({
  skuPartNumber: Type.String({
    minLength: 1,
    maxLength: 64,
    description:
      "The product's part number, e.g. O365_BUSINESS_PREMIUM (GET /v1.0/billing/products).",
  }),
  quantity: Quantity,
  term: literals(TERMS, "monthly: one calendar month per period; annual: one year."),
  billingModel: literals(
    BILLING_MODELS,
    "direct: cancel any time with a prorated credit; agreement: cancel with a refund only within 7 days of the start or a renewal.",
  ),
  trial: Type.Optional(
    Type.Boolean({
      description: "A free trial (products with trialDays): no payment method needed.",
    }),
  ),
  paymentMethodId: Type.Optional(PaymentMethodId),
});
export const UpdateBody = Type.Object(
  {
    quantity: Type.Optional(Quantity),
    autoRenew: Type.Optional(
      Type.Boolean({ description: "false: recurring billing ends with the current period." }),
    ),
  },
  { minProperties: 1 },
);
/** The cancellation reason (SPEC §3), also asked by the closure steps. */
export const cancellationReason = (description: string) =>
  literals(CANCELLATION_REASONS, description);

/** Optional free-text feedback beside the reason, at most MAX_FEEDBACK_LENGTH characters. */
export const cancellationFeedback = (
  description = `Free text, at most ${MAX_FEEDBACK_LENGTH} characters.`,
) =>
  Type.Optional(
    Type.Union([Type.String({ maxLength: MAX_FEEDBACK_LENGTH }), Type.Null()], { description }),
  );

export const CancelBody = Type.Object({
  reason: cancellationReason("Why the subscription is cancelled."),
  feedback: cancellationFeedback(),
  when: literals(
    CANCEL_WHEN,
    "now: disabled at once (direct billing: prorated credit; agreement: full refund within 7 days, else refused); renewal: auto-renew off, it expires at the period end.",
  ),
});
export const DeleteBody = Type.Union([Type.Object({ confirm: Type.Boolean() }), Type.Null()]);
export const DeleteQuery = Type.Object({
  confirm: Type.Optional(Type.Boolean({ description: "true confirms the deletion." })),
});
export const ReactivateBody = Type.Union([
  Type.Object({ paymentMethodId: Type.Optional(PaymentMethodId) }),
  Type.Null(),
]);
export const ItemParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 256 }) });
export const SelectQuery = Type.Object({
  $select: Type.Optional(
    Type.String({ description: "Comma-separated properties; id is always returned." }),
  ),
});
export const ListQuery = Type.Object({
  ...SelectQuery.properties,
  $top: Type.Optional(Type.String({ description: "Page size, 1 to 999; default 100." })),
  $skiptoken: Type.Optional(
    Type.String({ description: "The position of the next page, from @odata.nextLink." }),
  ),
});
