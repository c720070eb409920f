/**
 * JSON convention of Tenantry's billing resources (payment methods, invoices, balance — and the
 * subscriptions, which follow it too):
 * - properties in camelCase; times as ISO-8601 UTC strings named `…DateTime`, null when absent;
 * - money as whole minor units (cents) in integers named `…Minor` (`totalMinor`, `amountDueMinor`,
 *   `balanceMinor`), beside the resource's ISO 4217 `currency`; never floats, never nested
 *   `{amount, currency}` objects;
 * - collections as Graph's `{"@odata.context", "@odata.nextLink"?, "value": […]}` with `$top`
 *   (1–999, default 100), `$skiptoken` (from the nextLink) and `$select` (`id` always returned);
 * - failures in Graph's error shape, Tenantry's code in `error.details[0].code`.
 */
import { Type, type TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from "fastify";
import {
  addPaymentMethod,
  CARD_BRANDS,
  getBalanceDue,
  getInvoice,
  getPaymentMethod,
  listInvoices,
  listPaymentMethods,
  parseInvoiceNumber,
  payInvoice,
  removePaymentMethod,
  updatePaymentMethod,
} from "../commerce/index.js";
import type { AppContext } from "../shared/app-context.js";
import { authenticate, requireAuth } from "./authenticate.js";
import {
  BALANCE_PROPERTIES,
  INVOICE_DETAIL_PROPERTIES,
  INVOICE_PROPERTIES,
  PAYMENT_METHOD_PROPERTIES,
  toGraphBalance,
  toGraphInvoice,
  toGraphInvoiceWithDetails,
  toGraphPaymentMethod,
} from "./graph-billing-payments.js";
import { keysetPage, nextLinkProperty } from "./keyset-page.js";
import {
  parseSelect,
  parseTop,
  queryError,
  readQueryOptions,
  readSelectOption,
} from "./odata/query-options.js";
import { pickSelected, selectionContext } from "./odata.js";

const DEFAULT_TOP = 100;
const MAX_TOP = 999;

const ItemParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 256 }) });
const SelectQuery = Type.Object({
  $select: Type.Optional(
    Type.String({ description: "Comma-separated properties; id is always returned." }),
  ),
});
const ListQuery = Type.Object({
  ...SelectQuery.properties,
  $top: Type.Optional(Type.String({ description: "Page size, 1 to 999; default 100." })),
  $skiptoken: Type.Optional(
    Type.String({ description: "The position of the next page, from @odata.nextLink." }),
  ),
});

const AddPaymentMethodBody = Type.Object({
  type: Type.Literal("card"),
  brand: Type.String({ maxLength: 32, description: `One of ${CARD_BRANDS.join(", ")}.` }),
  last4: Type.String({ maxLength: 4, description: "The card number's last four digits." }),
  expMonth: Type.Integer({ description: "1 to 12." }),
  expYear: Type.Integer({ description: "Four digits; the card must not have expired." }),
  holderName: Type.String({ maxLength: 200 }),
  token: Type.String({
    maxLength: 200,
    description: "The payment processor's reference for the card (e.g. tok_…); never its number.",
  }),
});
const UpdatePaymentMethodBody = Type.Object({
  isDefault: Type.Boolean({ description: "true makes this the method invoices are charged to." }),
});
/** Absent or `{}`: pay what is due with the default card. */
const PayInvoiceBody = Type.Union([
  Type.Object({
    method: Type.Optional(Type.Union([Type.Literal("card"), Type.Literal("manual")])),
    paymentMethodId: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    amountMinor: Type.Optional(
      Type.Integer({ description: "Part of the amount due, in minor units; default all of it." }),
    ),
    reference: Type.Optional(
      Type.String({ maxLength: 200, description: "The bank transfer's reference (manual)." }),
    ),
  }),
  Type.Null(),
]);

interface ListQueryOptions {
  top: number;
  skiptoken: string | undefined;
  select: string[] | undefined;
}

function readListQuery(request: FastifyRequest, properties: readonly string[]): ListQueryOptions {
  const options = readQueryOptions(request.query, ["top", "skiptoken", "select"]);
  return {
    top: parseTop(options.top, DEFAULT_TOP, MAX_TOP),
    skiptoken: options.skiptoken,
    select: parseSelect(options.select, properties),
  };
}

/** A page of a collection in Graph's shape, its nextLink keeping `$top` and `$select`. */
function collectionBody<T>(
  request: FastifyRequest,
  set: string,
  query: ListQueryOptions,
  items: T[],
  nextToken: string | undefined,
) {
  return {
    "@odata.context": selectionContext(request, set, query.select),
    ...nextLinkProperty(request, `/v1.0/${set}`, query.top, nextToken, query.select),
    value: items,
  };
}

/**
 * Payment methods, invoices and the balance due under /v1.0/billing, for Billing and Global
 * Administrators (SPEC §1; the services decide). A card number anywhere in a request is refused
 * before these handlers run (card-number-guard.ts).
 */
export function billingPaymentsRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (root) => {
    acceptEmptyJsonBodies(root);
    const app = root.withTypeProvider<TypeBoxTypeProvider>();
    const auth = { preHandler: authenticate(ctx) };
    const methods = "billing/paymentMethods";
    const invoices = "billing/invoices";

    app.get(
      `/v1.0/${methods}`,
      { ...auth, schema: { summary: "List the payment methods on file", querystring: ListQuery } },
      async (request) => {
        const { actor, session } = requireAuth(request);
        const query = readListQuery(request, PAYMENT_METHOD_PROPERTIES);
        const page = await keysetPage(query.top, (limit) =>
          listPaymentMethods(ctx, actor, session.tenantId, { limit, afterId: query.skiptoken }),
        );
        const items = page.items.map((m) => pickSelected(toGraphPaymentMethod(m), query.select));
        return collectionBody(request, methods, query, items, page.lastId);
      },
    );

    app.post(
      `/v1.0/${methods}`,
      { ...auth, schema: { summary: "Add a card", body: AddPaymentMethodBody } },
      async (request, reply) => {
        const { actor, session } = requireAuth(request);
        const method = await addPaymentMethod(ctx, actor, session.tenantId, request.body);
        return reply.status(201).send({
          "@odata.context": selectionContext(request, methods, undefined, true),
          ...toGraphPaymentMethod(method),
        });
      },
    );

    app.get(
      `/v1.0/${methods}/:id`,
      {
        ...auth,
        schema: { summary: "Get a payment method", params: ItemParams, querystring: SelectQuery },
      },
      async (request) => {
        const { actor, session } = requireAuth(request);
        const select = readSelectOption(request, PAYMENT_METHOD_PROPERTIES);
        const method = await getPaymentMethod(ctx, actor, session.tenantId, request.params.id);
        return {
          "@odata.context": selectionContext(request, methods, select, true),
          ...pickSelected(toGraphPaymentMethod(method), select),
        };
      },
    );

    app.patch(
      `/v1.0/${methods}/:id`,
      {
        ...auth,
        schema: {
          summary: "Make a payment method the default",
          params: ItemParams,
          body: UpdatePaymentMethodBody,
        },
      },
      async (request, reply) => {
        const { actor, session } = requireAuth(request);
        await updatePaymentMethod(ctx, actor, session.tenantId, request.params.id, request.body);
        return reply.status(204).send();
      },
    );

    app.delete(
      `/v1.0/${methods}/:id`,
      { ...auth, schema: { summary: "Remove a payment method", params: ItemParams } },
      async (request, reply) => {
        const { actor, session } = requireAuth(request);
        await removePaymentMethod(ctx, actor, session.tenantId, request.params.id);
        return reply.status(204).send();
      },
    );

    app.get(
      `/v1.0/${invoices}`,
      { ...auth, schema: { summary: "List the invoices, newest first", querystring: ListQuery } },
      async (request) => {
        const { actor, session } = requireAuth(request);
        const query = readListQuery(request, INVOICE_PROPERTIES);
        const beforeNumber = query.skiptoken === undefined ? undefined : readInvoiceToken(query);
        const found = await listInvoices(ctx, actor, session.tenantId, {
          limit: query.top + 1,
          beforeNumber,
        });
        const items = found.slice(0, query.top);
        const next = found.length > query.top ? items.at(-1)?.number : undefined;
        const value = items.map((i) => pickSelected(toGraphInvoice(i), query.select));
        return collectionBody(request, invoices, query, value, next);
      },
    );

    app.get(
      `/v1.0/${invoices}/:id`,
      {
        ...auth,
        schema: {
          summary: "Get an invoice with its lines and payments",
          params: ItemParams,
          querystring: SelectQuery,
        },
      },
      async (request) => {
        const { actor, session } = requireAuth(request);
        const select = readSelectOption(request, INVOICE_DETAIL_PROPERTIES);
        const invoice = await getInvoice(ctx, actor, session.tenantId, request.params.id);
        return {
          "@odata.context": selectionContext(request, invoices, select, true),
          ...pickSelected(toGraphInvoiceWithDetails(invoice), select),
        };
      },
    );

    app.post(
      `/v1.0/${invoices}/:id/pay`,
      {
        ...auth,
        schema: {
          summary: "Pay an invoice by card, or record a bank transfer",
          params: ItemParams,
          body: PayInvoiceBody,
        },
      },
      async (request) => {
        const { actor, session } = requireAuth(request);
        const input = request.body ?? {};
        const invoice = await payInvoice(ctx, actor, session.tenantId, request.params.id, input);
        return {
          "@odata.context": selectionContext(request, invoices, undefined, true),
          ...toGraphInvoiceWithDetails(invoice),
        };
      },
    );

    app.get(
      "/v1.0/billing/balance",
      { ...auth, schema: { summary: "Get the balance due", querystring: SelectQuery } },
      async (request) => {
        const { actor, session } = requireAuth(request);
        const select = readSelectOption(request, BALANCE_PROPERTIES);
        const balance = await getBalanceDue(ctx, actor, session.tenantId);
        return {
          "@odata.context": selectionContext(request, "billing/balance", select),
          ...pickSelected(toGraphBalance(balance), select),
        };
      },
    );
  };
}

/**
 * In these routes only, an empty body sent as `application/json` reads as no body: "an empty body
 * pays the whole balance" also for clients that always send the content type.
 */
function acceptEmptyJsonBodies(scope: FastifyInstance): void {
  const json = scope.getDefaultJsonParser("error", "error");
  scope.removeContentTypeParser("application/json");
  scope.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) =>
    body === "" ? done(null, null) : json(request, String(body), done),
  );
}

/** The invoice listing's `$skiptoken`: the number of the last invoice shown (`INV-000042`). */
function readInvoiceToken(query: ListQueryOptions): number {
  const number = parseInvoiceNumber(query.skiptoken ?? "");
  if (number === undefined) {
    throw queryError("skiptoken", "The $skiptoken is malformed; use the @odata.nextLink as given.");
  }
  return number;
}
