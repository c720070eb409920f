import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { invalid } from "../shared/app-error.js";
import { loadTenant, requirePermission } from "./directory-access.js";
import { parseMfaState, type User } from "./user.js";
import { listUserRows, type UserOrder } from "./user.repository.js";
import { withRoles } from "./user-lookup.js";

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 999;

export interface ListUsersOptions {
  /** Page size, 1–999 (Graph's `$top` limit); default 100. */
  limit?: number | undefined;
  /** Opaque position returned as `nextCursor` by the previous page. */
  cursor?: string | undefined;
  orderBy?: UserOrder | undefined;
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
  const limit = options.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw invalid("PAGE_SIZE_INVALID", `The page size must be between 1 and ${MAX_PAGE_SIZE}.`, {
      field: "limit",
    });
  }
  const orderBy = options.orderBy ?? "id";
  if (!["id", "displayName", "userPrincipalName"].includes(orderBy)) {
    throw invalid(
      "ORDER_BY_INVALID",
      "Users can be ordered by id, displayName or userPrincipalName.",
      { field: "orderBy" },
    );
  }
  const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor, orderBy);
  const mfaState = options.mfaState === undefined ? undefined : parseMfaState(options.mfaState);
  await loadTenant(ctx.db, actor, tenantId);
  await requirePermission(ctx.db, actor, tenantId, "directory.read");
  const rows = await listUserRows(ctx.db, tenantId, {
    deleted: options.deleted ?? false,
    limit: limit + 1,
    orderBy,
    after,
    upnPrefix: options.upnPrefix,
    displayNamePrefix: options.displayNamePrefix,
    search: options.search,
    accountEnabled: options.accountEnabled,
    synced: options.synced,
    mfaState,
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > limit && last
      ? encodeCursor(
          orderBy,
          orderBy === "displayName"
            ? last.display_name
            : orderBy === "userPrincipalName"
              ? last.upn_key
              : last.id,
          last.id,
        )
      : null;
  return { users: await withRoles(ctx.db, tenantId, page), nextCursor };
}

function encodeCursor(orderBy: UserOrder, sortKey: string, id: string): string {
  return Buffer.from(JSON.stringify([orderBy, sortKey, id])).toString("base64url");
}

function decodeCursor(cursor: string, orderBy: UserOrder): { sortKey: string; id: string } {
  try {
    const [order, sortKey, id] = JSON.parse(
      Buffer.from(cursor, "base64url").toString("utf8"),
    ) as unknown[];
    if (order === orderBy && typeof sortKey === "string" && typeof id === "string")
      return { sortKey, id };
  } catch {
    // fall through to the error below
  }
  throw invalid(
    "CURSOR_INVALID",
    "The page cursor is malformed or belongs to a different ordering.",
    { field: "cursor" },
  );
}
