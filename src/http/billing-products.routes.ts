import { type Static, Type, type TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyPluginAsync } from "fastify";
import {
  getCatalogProduct,
  listCatalog,
  type Product,
  type ProductLanguage,
} from "../commerce/index.js";
import type { AppContext } from "../shared/app-context.js";
import { answerLanguage } from "./language.js";
import { authenticate, requireAuth } from "./authenticate.js";
import { nextLinkProperty } from "./keyset-page.js";
import {
  parseSelect,
  parseTop,
  queryError,
  readQueryOptions,
  readSelectOption,
} from "./odata/query-options.js";
import { pickSelected, selectionContext } from "./odata.js";

/** The catalog is small; a page holds all of it unless `$top` says less. */
const SET = "billing/products";
const DEFAULT_TOP = 100;
const MAX_TOP = 999;
const PART_NUMBER = /^[A-Z0-9_]{1,64}$/;

const Money = Type.Object(
  { amountMinor: Type.Integer(), currency: Type.String() },
  { additionalProperties: false },
);

/** A product as Tenantry's billing API shows it; every property optional for `$select`. */
const ProductSchema = Type.Object(
  {
    id: Type.Optional(Type.String({ description: "The skuId, so that clients can address it." })),
    skuId: Type.Optional(Type.String({ format: "uuid" })),
    skuPartNumber: Type.Optional(Type.String()),
    displayName: Type.Optional(
      Type.String({ description: "In the request's language (Accept-Language), else en-US." }),
    ),
    displayNames: Type.Optional(
      Type.Object(
        { "en-US": Type.String(), "zh-CN": Type.String() },
        { additionalProperties: false },
      ),
    ),
    servicePlans: Type.Optional(
      Type.Array(
        Type.Object(
          {
            servicePlanId: Type.String({ format: "uuid" }),
            servicePlanName: Type.String(),
            displayName: Type.String(),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    prices: Type.Optional(
      Type.Object(
        {
          monthly: { ...Money, description: "Per seat and month, in minor units (cents)." },
          annual: { ...Money, description: "Per seat and year, in minor units (cents)." },
        },
        { additionalProperties: false },
      ),
    ),
    trialDays: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  },
  { additionalProperties: false },
);
type GraphProduct = Static<typeof ProductSchema>;

/** The properties `$select` may name, in the order they are written. */
const PRODUCT_PROPERTIES = [
  "id",
  "skuId",
  "skuPartNumber",
  "displayName",
  "displayNames",
  "servicePlans",
  "prices",
  "trialDays",
] as const satisfies readonly (keyof GraphProduct)[];

const ProductCollectionSchema = Type.Object(
  {
    "@odata.context": Type.String(),
    "@odata.nextLink": Type.Optional(Type.String()),
    value: Type.Array(ProductSchema),
  },
  { additionalProperties: false },
);
const ProductEntitySchema = Type.Object(
  { "@odata.context": Type.String(), ...ProductSchema.properties },
  { additionalProperties: false },
);

const SelectQuery = Type.Object({
  $select: Type.Optional(
    Type.String({ description: "Comma-separated product properties; id is always returned." }),
  ),
});
const ListQuery = Type.Object({
  ...SelectQuery.properties,
  $top: Type.Optional(Type.String({ description: "Page size, 1 to 999; default 100." })),
  $skiptoken: Type.Optional(
    Type.String({ description: "The position of the next page, from @odata.nextLink." }),
  ),
});
const ProductParams = Type.Object({ skuId: Type.String({ minLength: 1, maxLength: 64 }) });

function toGraphProduct(product: Product, language: ProductLanguage): GraphProduct {
  const price = (amountMinor: number) => ({ amountMinor, currency: product.currency });
  return {
    id: product.skuId,
    skuId: product.skuId,
    skuPartNumber: product.skuPartNumber,
    displayName: product.displayName[language],
    displayNames: { ...product.displayName },
    servicePlans: product.servicePlans.map((plan) => ({ ...plan })),
    prices: {
      monthly: price(product.monthlyPriceMinor),
      annual: price(product.annualPriceMinor),
    },
    trialDays: product.trialDays,
  };
}

/**
 * The catalog under /v1.0/billing/products (SPEC §3): what can be bought, with skuId and
 * skuPartNumber, names in the request's language and prices in minor units. Read by any signed-in
 * member of a tenant; operators change it with `tenantry products add`.
 */
export function billingProductsRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (root) => {
    const app = root.withTypeProvider<TypeBoxTypeProvider>();
    const auth = { preHandler: authenticate(ctx) };

    app.get(
      "/v1.0/billing/products",
      {
        ...auth,
        schema: {
          summary: "List the products of the catalog",
          querystring: ListQuery,
          response: { 200: ProductCollectionSchema },
        },
      },
      async (request, reply) => {
        const { actor, session } = requireAuth(request);
        const options = readQueryOptions(request.query, ["select", "top", "skiptoken"]);
        const select = parseSelect(options.select, PRODUCT_PROPERTIES);
        const top = parseTop(options.top, DEFAULT_TOP, MAX_TOP);
        const after = options.skiptoken;
        if (after !== undefined && !PART_NUMBER.test(after)) {
          throw queryError("skiptoken", "The $skiptoken is not one this listing handed out.");
        }
        const language = answerLanguage(request, reply);
        const products = await listCatalog(ctx, actor, session.tenantId);
        const rest = products.filter((p) => after === undefined || p.skuPartNumber > after);
        const page = rest.slice(0, top);
        const next = rest.length > top ? page.at(-1)?.skuPartNumber : undefined;
        return {
          "@odata.context": selectionContext(request, SET, select),
          ...nextLinkProperty(request, `/v1.0/${SET}`, top, next, select),
          value: page.map((p) => pickSelected(toGraphProduct(p, language), select)),
        };
      },
    );

    app.get(
      "/v1.0/billing/products/:skuId",
      {
        ...auth,
        schema: {
          summary: "Get one product of the catalog by skuId",
          params: ProductParams,
          querystring: SelectQuery,
          response: { 200: ProductEntitySchema },
        },
      },
      async (request, reply) => {
        const { actor, session } = requireAuth(request);
        const select = readSelectOption(request, PRODUCT_PROPERTIES);
        const language = answerLanguage(request, reply);
        const skuId = request.params.skuId;
        const product = await getCatalogProduct(ctx, actor, session.tenantId, skuId);
        return {
          "@odata.context": selectionContext(request, SET, select, true),
          ...pickSelected(toGraphProduct(product, language), select),
        };
      },
    );
  };
}
