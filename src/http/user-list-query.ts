import { Type } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import {
  DEFAULT_PAGE_SIZE,
  type ListUsersOptions,
  MAX_PAGE_SIZE,
  toUserFilter,
  type UserDocumentPage,
  type UserDocumentShape,
  type UserFilter,
} from "../directory/index.js";
import { GRAPH_USER_PROPERTIES, graphUserShape } from "./graph-user.js";
import { parseFilter } from "./odata/parse-filter.js";
import { decodeSkipToken, encodeSkipToken } from "./odata/skip-token.js";
import {
  type OrderBy,
  parseCount,
  parseOrderBy,
  parseSelect,
  parseTop,
  queryError,
  readQueryOptions,
  requireEventualConsistency,
} from "./odata/query-options.js";
import { baseUrl, odataContext } from "./odata.js";

/**
 * The OData query of a user listing (`/users`, the recycle bin), read once at the edge.
 *
 * Paging is keyset-based. The `$skiptoken` Tenantry hands out carries the service's cursor and the
 * listing's `$filter` and `$orderby`, so the `@odata.nextLink` is self-contained and a client
 * following it needs no other option. When a request with a `$skiptoken` repeats `$filter` or
 * `$orderby`, they must be the token's own (400 otherwise). `$count=true` needs `ConsistencyLevel:
 * eventual` on the first request, as in Graph; the nextLink keeps `$count=true` and following it is
 * honoured with or without the header, so a nextLink never fails for want of it.
 */
export interface UserListQuery {
  top: number;
  select: string[] | undefined;
  count: boolean;
  filterText: string | undefined;
  filter: UserFilter | undefined;
  orderBy: OrderBy<SortableProperty> | undefined;
  cursor: string | undefined;
}

/**
 * The options as documented (OpenAPI). All strings: the handler parses them (query-options.ts), so
 * that every malformed option gets the same OData error codes; names in other cases (`$Top`) and
 * dollar-less aliases (`top`) are accepted too.
 */
const ODataOption = {
  $filter: Type.Optional(
    Type.String({
      description:
        "eq, ne, in, startswith, and, or, not and parentheses on id, userPrincipalName, displayName, mail, accountEnabled, onPremisesSyncEnabled; at most 4,096 characters.",
    }),
  ),
  $select: Type.Optional(
    Type.String({ description: "Comma-separated user properties; id is always returned." }),
  ),
};
export const SelectQuerySchema = Type.Object({ $select: ODataOption.$select });
export const CountQuerySchema = Type.Object({ $filter: ODataOption.$filter });
export const UserListQuerySchema = Type.Object({
  ...ODataOption,
  $top: Type.Optional(Type.String({ description: "Page size, 1 to 999; default 100." })),
  $orderby: Type.Optional(
    Type.String({ description: "displayName or userPrincipalName, then asc (default) or desc." }),
  ),
  $count: Type.Optional(
    Type.String({
      description: "true adds @odata.count; needs the header ConsistencyLevel: eventual.",
    }),
  ),
  $skiptoken: Type.Optional(
    Type.String({ description: "The position of the next page, from @odata.nextLink." }),
  ),
});

const SORTABLE = ["displayName", "userPrincipalName"] as const;
type SortableProperty = (typeof SORTABLE)[number];

interface SkipToken {
  cursor: string;
  filter?: string | undefined;
  orderBy?: string | undefined;
}

function readSkipToken(text: string): SkipToken {
  const { position, options } = decodeSkipToken(text, 2);
  return { cursor: position, filter: options[0], orderBy: options[1] };
}

export function readUserListQuery(request: FastifyRequest): UserListQuery {
  const options = readQueryOptions(request.query, [
    "top",
    "skiptoken",
    "filter",
    "select",
    "orderby",
    "count",
  ]);
  const token = options.skiptoken === undefined ? undefined : readSkipToken(options.skiptoken);
  const filterText = token ? token.filter : options.filter;
  if (token && options.filter !== undefined && options.filter !== token.filter) {
    throw queryError("skiptoken", "The $skiptoken belongs to a listing with another $filter.");
  }
  const orderBy = parseOrderBy(token ? token.orderBy : options.orderby, SORTABLE);
  const asked = token && parseOrderBy(options.orderby, SORTABLE);
  if (asked && orderText(asked) !== orderText(orderBy)) {
    throw queryError("skiptoken", "The $skiptoken belongs to a listing with another $orderby.");
  }
  const count = parseCount(options.count);
  if (count && !token) requireEventualConsistency(request);
  return {
    top: parseTop(options.top, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
    select: parseSelect(options.select, GRAPH_USER_PROPERTIES),
    count,
    filterText,
    filter: filterText === undefined ? undefined : toUserFilter(parseFilter(filterText)),
    orderBy,
    cursor: token?.cursor,
  };
}

/** The query as the directory service's listing options. */
export function listOptionsOf(query: UserListQuery): ListUsersOptions {
  return {
    limit: query.top,
    cursor: query.cursor,
    filter: query.filter,
    orderBy: query.orderBy?.property,
    direction: query.orderBy?.direction,
  };
}

export interface UserListResource {
  /** The listing's path, e.g. `/v1.0/users`. */
  path: string;
  /** The `@odata.context` entity set, e.g. `users`. */
  entitySet: string;
  /** Each item's `@odata.type`, where Graph writes one (the recycle bin). */
  odataType?: string;
}

/** The document shape of the listing's items: Graph's user, `$select`ed, typed where Graph does. */
export function userPageShape(resource: UserListResource, query: UserListQuery): UserDocumentShape {
  return graphUserShape(
    query.select,
    resource.odataType ? { "@odata.type": resource.odataType } : {},
  );
}

/**
 * Graph's collection body as JSON text: context, count, nextLink and the users' documents, which
 * the store wrote in `userPageShape` (`listUserDocuments`).
 */
export function userPageJson(
  request: FastifyRequest,
  resource: UserListResource,
  query: UserListQuery,
  page: UserDocumentPage,
  count: number | undefined,
): string {
  const next = page.nextCursor ? nextLink(request, resource.path, query, page.nextCursor) : null;
  const set = query.select
    ? `${resource.entitySet}(${query.select.join(",")})`
    : resource.entitySet;
  const head = {
    "@odata.context": odataContext(request, set),
    ...(count === undefined ? {} : { "@odata.count": count }),
    ...(next ? { "@odata.nextLink": next } : {}),
  };
  return `${JSON.stringify(head).slice(0, -1)},"value":[${page.documents.join(",")}]}`;
}

/** Absolute, on the request's own scheme and host; `$` kept literal, as Graph writes it. */
function nextLink(
  request: FastifyRequest,
  path: string,
  query: UserListQuery,
  cursor: string,
): string {
  const token = encodeSkipToken(cursor, [
    query.filterText,
    query.orderBy && orderText(query.orderBy),
  ]);
  const select = query.select ? `&$select=${query.select.join(",")}` : "";
  const count = query.count ? "&$count=true" : "";
  return `${baseUrl(request)}${path}?$top=${query.top}${select}${count}&$skiptoken=${token}`;
}

function orderText(orderBy: OrderBy<string> | undefined): string | undefined {
  return orderBy && `${orderBy.property} ${orderBy.direction}`;
}
