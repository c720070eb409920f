import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { invalid } from "../shared/app-error.js";
import { openRead } from "./directory-access.js";
import { parseMfaState, type User, upnKey } from "./user.js";
import {
  countUserRows,
  listUserRows,
  type SortDirection,
  type UserOrder,
  type UserRowQuery,
} from "./user.repository.js";
import type { UserDocumentPage, UserDocumentShape } from "./user-document.js";
import { findUserDocument, listUserDocumentRows } from "./user-document.repository.js";
import type { UserFilter } from "./user-filter.js";
import { orderServedByIndex } from "./user-filter.js";
import { userNotFound, withRoles } from "./user-lookup.js";

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 999;
const ORDERS: readonly UserOrder[] = ["id", "displayName", "userPrincipalName"];

export interface ListUsersOptions {
  /** Page size, 1–999 (Graph's `$top` limit); default 100. */
  limit?: number | undefined;
  /** Opaque position returned as `nextCursor` by the previous page. */
  cursor?: string | undefined;
  /**
   * Sort key, ties broken by id. With a cursor, the cursor's ordering applies; an ordering given
   * too must be the same. Default: id, ascending.
   */
  orderBy?: UserOrder | undefined;
  direction?: SortDirection | undefined;
  /** A checked filter (`toUserFilter`); give the same one for every page. */
  filter?: UserFilter | undefined;
  upnPrefix?: string | undefined;
  displayNamePrefix?: string | undefined;
  /** Prefix of the UPN or the display name. */
  search?: string | undefined;
  accountEnabled?: boolean | undefined;
  synced?: boolean | undefined;
  mfaState?: string | undefined;
  /** The recycle bin instead of live users. */
  deleted?: boolean | undefined;
}

export interface UserPage {
  users: User[];
  /** Present when more users follow; pass it back as `cursor`. */
  nextCursor: string | null;
}

/**
 * Keyset pagination: each page continues strictly after the last row of the previous one, so
 * pages stay fast and stable however deep the listing goes.
 */
export async function listUsers(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  options: ListUsersOptions = {},
): Promise<UserPage> {
  const plan = planUserPage(options);
  await openRead(ctx.db, actor, tenantId, "directory.read");
  const rows = await listUserRows(ctx.db, tenantId, plan.query);
  const page = rows.slice(0, plan.limit);
  const nextCursor = nextCursorOf(plan, rows, (row) =>
    plan.query.orderBy === "displayName"
      ? row.display_name_key
      : plan.query.orderBy === "userPrincipalName"
        ? row.upn_key
        : row.id,
  );
  return { users: await withRoles(ctx.db, tenantId, page), nextCursor };
}

/**
 * `listUsers` with each user as a JSON document of the given shape: the same options, rules,
 * order and cursors, so either may continue the other's listing.
 */
export async function listUserDocuments(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  options: ListUsersOptions,
  shape: UserDocumentShape,
): Promise<UserDocumentPage> {
  const plan = planUserPage(options);
  await openRead(ctx.db, actor, tenantId, "directory.read");
  const rows = await listUserDocumentRows(ctx.db, ctx.engine, tenantId, plan.query, shape);
  return {
    documents: rows.slice(0, plan.limit).map((row) => row.document),
    nextCursor: nextCursorOf(plan, rows, (row) => row.sort_key),
  };
}

/** `getUser` as a JSON document of the given shape; USER_NOT_FOUND (or DELETED_USER_NOT_FOUND) otherwise. */
export async function getUserDocument(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  idOrUpn: string,
  shape: UserDocumentShape,
  state: "live" | "deleted" = "live",
): Promise<string> {
  await openRead(ctx.db, actor, tenantId, "directory.read");
  const key = idOrUpn.includes("@") ? { upnKey: upnKey(idOrUpn) } : { id: idOrUpn };
  const document = await findUserDocument(
    ctx.db,
    ctx.engine,
    tenantId,
    key,
    state === "deleted",
    shape,
  );
  if (document === undefined) throw userNotFound(idOrUpn, state);
  return document;
}

interface PagePlan {
  limit: number;
  /** Asks for `limit + 1` rows: the extra one tells that more follow. */
  query: UserRowQuery;
}

/** The options checked and turned into the page's row query; throws Invalid on bad options. */
function planUserPage(options: ListUsersOptions): PagePlan {
  const limit = options.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw invalid("PAGE_SIZE_INVALID", `The page size must be between 1 and ${MAX_PAGE_SIZE}.`, {
      field: "limit",
    });
  }
  if (options.orderBy !== undefined && !ORDERS.includes(options.orderBy)) {
    throw invalid(
      "ORDER_BY_INVALID",
      "Users can be ordered by id, displayName or userPrincipalName.",
      { field: "orderBy" },
    );
  }
  if (
    options.direction !== undefined &&
    options.direction !== "asc" &&
    options.direction !== "desc"
  ) {
    throw invalid("ORDER_BY_INVALID", "The sort direction is asc or desc.", { field: "direction" });
  }
  const position = options.cursor === undefined ? undefined : decodeCursor(options.cursor, options);
  const orderBy =
    position?.orderBy ?? options.orderBy ?? orderServedByIndex(options.filter, options) ?? "id";
  const direction = position?.direction ?? options.direction ?? "asc";
  return {
    limit,
    query: {
      deleted: options.deleted ?? false,
      limit: limit + 1,
      orderBy,
      direction,
      after: position && { sortKey: position.sortKey, id: position.id },
      filter: options.filter,
      upnPrefix: options.upnPrefix,
      displayNamePrefix: options.displayNamePrefix,
      search: options.search,
      accountEnabled: options.accountEnabled,
      synced: options.synced,
      mfaState: options.mfaState === undefined ? undefined : parseMfaState(options.mfaState),
    },
  };
}

/** The cursor after the page's last row, when the extra row says more follow. */
function nextCursorOf<R extends { id: string }>(
  plan: PagePlan,
  rows: readonly R[],
  sortKeyOf: (row: R) => string,
): string | null {
  const last = rows[plan.limit - 1];
  if (rows.length <= plan.limit || !last) return null;
  const { orderBy, direction = "asc" } = plan.query;
  return encodeCursor(orderBy, direction, sortKeyOf(last), last.id);
}

/**
 * How many live (or deleted) users match the filter: Graph's `$count` (SPEC §7). Counted in its
 * own statement, so it may differ from a page read a moment earlier — Graph's "eventual".
 */
export async function countUsers(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  options: { filter?: UserFilter | undefined; deleted?: boolean | undefined } = {},
): Promise<number> {
  await openRead(ctx.db, actor, tenantId, "directory.read");
  return countUserRows(ctx.db, tenantId, {
    deleted: options.deleted ?? false,
    filter: options.filter,
  });
}

interface CursorPosition {
  orderBy: UserOrder;
  direction: SortDirection;
  sortKey: string;
  id: string;
}

function encodeCursor(
  orderBy: UserOrder,
  direction: SortDirection,
  sortKey: string,
  id: string,
): string {
  return Buffer.from(JSON.stringify([orderBy, direction, sortKey, id])).toString("base64url");
}

/** The cursor's position; refused when malformed or when an ordering given differs from its own. */
function decodeCursor(
  cursor: string,
  expected: { orderBy?: UserOrder | undefined; direction?: SortDirection | undefined },
): CursorPosition {
  try {
    const [orderBy, direction, sortKey, id] = JSON.parse(
      Buffer.from(cursor, "base64url").toString("utf8"),
    ) as unknown[];
    if (
      ORDERS.includes(orderBy as UserOrder) &&
      (direction === "asc" || direction === "desc") &&
      typeof sortKey === "string" &&
      typeof id === "string" &&
      (expected.orderBy === undefined || expected.orderBy === orderBy) &&
      (expected.direction === undefined || expected.direction === direction)
    ) {
      return { orderBy: orderBy as UserOrder, direction, sortKey, id };
    }
  } catch {
    // fall through to the error below
  }
  throw invalid(
    "CURSOR_INVALID",
    "The page cursor is malformed or belongs to a different ordering.",
    { field: "cursor" },
  );
}
