import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import {
  buySubscription,
  cancelSubscription,
  changeSubscriptionQuantity,
  deleteSubscription,
  getSubscription,
  listSubscriptions,
  reactivateSubscription,
  type Subscription,
} from "../commerce/index.js";
import type { AppContext } from "../shared/app-context.js";
import { authenticate, requireAuth } from "./authenticate.js";
import {
  BuyBody,
  CancelBody,
  DeleteBody,
  DeleteQuery,
  ItemParams,
  ListQuery,
  ReactivateBody,
  SelectQuery,
  UpdateBody,
} from "./billing-subscription-schemas.js";
import {
  GraphSubscriptionChangeSchema,
  GraphSubscriptionCollectionSchema,
  GraphSubscriptionSchema,
  SUBSCRIPTION_PROPERTIES,
  toGraphSubscription,
} from "./graph-billing-subscription.js";
import { keysetPage, nextLinkProperty } from "./keyset-page.js";
import {
  parseSelect,
  parseTop,
  readQueryOptions,
  readSelectOption,
} from "./odata/query-options.js";
import { pickSelected, selectionContext } from "./odata.js";

const SET = "billing/subscriptions";
const PATH = `/v1.0/${SET}`;

/** A subscription in the answer to a change, with the invoice the change issued. */
function changeBody(request: FastifyRequest, subscription: Subscription, invoiceId: string | null) {
  return {
    "@odata.context": selectionContext(request, SET, undefined, true),
    ...toGraphSubscription(subscription),
    invoiceId,
  };
}

const TAGS = ["billing"];

/**
 * Subscriptions under /v1.0/billing/subscriptions (SPEC §3), for Billing and Global Administrators
 * (the services decide): buy (201), list, read, change seats or auto-renew, cancel, delete (mark
 * for deletion), reactivate. Refusals of the lifecycle answer 409 (400 for invalid input) with the
 * reason and what to do in the message and in `error.info.remedy` (action, date, invoice).
 */
export function billingSubscriptionsRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (root) => {
    const app = root.withTypeProvider<TypeBoxTypeProvider>();
    const auth = { preHandler: authenticate(ctx) };

    app.get(
      PATH,
      {
        ...auth,
        schema: {
          tags: TAGS,
          summary: "List the organization's subscriptions, deprovisioned ones included",
          querystring: ListQuery,
          response: { 200: GraphSubscriptionCollectionSchema },
        },
      },
      async (request) => {
        const { actor, session } = requireAuth(request);
        const options = readQueryOptions(request.query, ["top", "skiptoken", "select"]);
        const top = parseTop(options.top, 100, 999);
        const select = parseSelect(options.select, SUBSCRIPTION_PROPERTIES);
        const page = await keysetPage(top, (limit) =>
          listSubscriptions(ctx, actor, session.tenantId, { limit, afterId: options.skiptoken }),
        );
        return {
          "@odata.context": selectionContext(request, SET, select),
          ...nextLinkProperty(request, PATH, top, page.lastId, select),
          value: page.items.map((s) => pickSelected(toGraphSubscription(s), select)),
        };
      },
    );

    app.post(
      PATH,
      {
        ...auth,
        schema: {
          tags: TAGS,
          summary: "Buy a subscription",
          description:
            "Creates an active subscription and, unless it is a trial, its first invoice, charged at once to the named or default payment method. A payment method on file is required unless `trial` is true.",
          body: BuyBody,
          response: { 201: GraphSubscriptionChangeSchema },
        },
      },
      async (request, reply) => {
        const { actor, session } = requireAuth(request);
        const bought = await buySubscription(ctx, actor, session.tenantId, request.body);
        return reply.status(201).send(changeBody(request, bought.subscription, bought.invoiceId));
      },
    );

    app.get(
      `${PATH}/:id`,
      {
        ...auth,
        schema: {
          tags: TAGS,
          summary: "Get one subscription",
          params: ItemParams,
          querystring: SelectQuery,
          response: { 200: GraphSubscriptionSchema },
        },
      },
      async (request) => {
        const { actor, session } = requireAuth(request);
        const select = readSelectOption(request, SUBSCRIPTION_PROPERTIES);
        const subscription = await getSubscription(ctx, actor, session.tenantId, request.params.id);
        return {
          "@odata.context": selectionContext(request, SET, select, true),
          ...pickSelected(toGraphSubscription(subscription), select),
        };
      },
    );

    app.patch(
      `${PATH}/:id`,
      {
        ...auth,
        schema: {
          tags: TAGS,
          summary: "Change the seats or auto-renew of an active subscription",
          description:
            "More seats are invoiced prorated at once; fewer seats (not below the licenses assigned) are credited prorated on the next invoice for direct billing, and allowed only within 7 days of the start or a renewal for agreement billing. Answers 200 with the subscription and the invoice the change issued.",
          params: ItemParams,
          body: UpdateBody,
          response: { 200: GraphSubscriptionChangeSchema },
        },
      },
      async (request) => {
        const { actor, session } = requireAuth(request);
        const { id } = request.params;
        const changed = await changeSubscriptionQuantity(
          ctx,
          actor,
          session.tenantId,
          id,
          request.body,
        );
        return changeBody(request, changed.subscription, changed.invoiceId);
      },
    );

    app.delete(
      `${PATH}/:id`,
      {
        ...auth,
        schema: {
          tags: TAGS,
          summary: "Delete a disabled subscription (mark it for deletion)",
          description:
            'Needs the body {"confirm": true} or ?confirm=true. Only a disabled subscription with direct billing and no unpaid invoice can be deleted; it is deprovisioned after TENANTRY_DEPROVISION_DELAY (72 hours by default) and can be reactivated until then. Answers 200 with the subscription, now marked for deletion (markedForDeletionDateTime, deprovisionDateTime).',
          params: ItemParams,
          querystring: DeleteQuery,
          body: DeleteBody,
          response: { 200: GraphSubscriptionSchema },
        },
      },
      async (request) => {
        const { actor, session } = requireAuth(request);
        const confirm = request.body?.confirm === true || request.query.confirm === true;
        const subscription = await deleteSubscription(
          ctx,
          actor,
          session.tenantId,
          request.params.id,
          {
            confirm,
          },
        );
        return {
          "@odata.context": selectionContext(request, SET, undefined, true),
          ...toGraphSubscription(subscription),
        };
      },
    );

    app.post(
      `${PATH}/:id/cancel`,
      {
        ...auth,
        schema: {
          tags: TAGS,
          summary: "Cancel a subscription, now or at renewal",
          params: ItemParams,
          body: CancelBody,
          response: { 200: GraphSubscriptionSchema },
        },
      },
      async (request) => {
        const { actor, session } = requireAuth(request);
        const { id } = request.params;
        const subscription = await cancelSubscription(
          ctx,
          actor,
          session.tenantId,
          id,
          request.body,
        );
        return {
          "@odata.context": selectionContext(request, SET, undefined, true),
          ...toGraphSubscription(subscription),
        };
      },
    );

    app.post(
      `${PATH}/:id/reactivate`,
      {
        ...auth,
        schema: {
          tags: TAGS,
          summary: "Reactivate an expired or disabled subscription, or convert a trial",
          description:
            "Needs a payment method on file (the one named, or the default). A new paid period starts now and is invoiced at once. A subscription marked for deletion is kept; a deprovisioned one cannot come back (contact support).",
          params: ItemParams,
          body: ReactivateBody,
          response: { 200: GraphSubscriptionChangeSchema },
        },
      },
      async (request) => {
        const { actor, session } = requireAuth(request);
        const { id } = request.params;
        const input = request.body ?? {};
        const changed = await reactivateSubscription(ctx, actor, session.tenantId, id, input);
        return changeBody(request, changed.subscription, changed.invoiceId);
      },
    );
  };
}
