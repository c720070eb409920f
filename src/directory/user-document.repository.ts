import { type RawBuilder, sql } from "kysely";
import type { Executor } from "../store/database.js";
import {
  type Engine,
  type JsonProperty,
  type JsonSource,
  jsonObjectText,
  jsonValueText,
} from "../store/engine.js";
import { STORED_USER_DOCUMENT_HEAD } from "../store/migrations/0009-user-document.js";
import { PreparedQueryFamily } from "../store/prepared-query.js";
import { SORT_COLUMN, selectUserPage, type UserRowQuery } from "./user.repository.js";
import type {
  UserDocumentField,
  UserDocumentProperty,
  UserDocumentShape,
} from "./user-document.js";

/** A user as a JSON document, with the keys its page position is made of. */
export interface UserDocumentRow {
  id: string;
  /** The value of the listing's sort column (the id when ordered by id). */
  sort_key: string;
  document: string;
}

/**
 * `listUserRows`, each user as a JSON document of the given shape (user-document.ts). The compiled
 * query is kept for the next page and for repeats of the same listing (its filter, ordering and
 * shape): a client paging through a directory sends the same query with a new position each time.
 */
export async function listUserDocumentRows(
  db: Executor,
  engine: Engine,
  tenantId: string,
  query: UserRowQuery,
  shape: UserDocumentShape,
): Promise<UserDocumentRow[]> {
  const { limit, after, ...listing } = query;
  // The limit is written into the SQL: with it known, PostgreSQL settles on one plan for the
  // named statement instead of planning it again on every execution.
  const variant = `${JSON.stringify([listing, after !== undefined, limit])}${shapeKey(shape)}`;
  const args: Record<string, string | number> = { tenantId };
  // Ordered by id, the position is the id alone (`selectUserPage`).
  if (after) args.afterId = after.id;
  if (after && query.orderBy !== "id") args.afterKey = after.sortKey;
  return documentPages.execute(db, variant, args, (db, placeholders) =>
    selectUserPage(db, String(placeholders.tenantId), {
      ...listing,
      limit: sql.lit(limit),
      after: after && { sortKey: String(placeholders.afterKey), id: String(placeholders.afterId) },
    }).select([
      "id",
      sql.ref<string>(SORT_COLUMN[query.orderBy]).as("sort_key"),
      documentText(engine, shape, query.deleted).as("document"),
    ]),
  );
}

const documentPages = new PreparedQueryFamily<Record<string, string | number>, UserDocumentRow>(
  500,
);

/** One user, live or in the recycle bin, by id or by lower-cased UPN, as a JSON document. */
export async function findUserDocument(
  db: Executor,
  engine: Engine,
  tenantId: string,
  key: { id: string } | { upnKey: string },
  deleted: boolean,
  shape: UserDocumentShape,
): Promise<string | undefined> {
  const byId = "id" in key;
  const variant = `${JSON.stringify([byId, deleted])}${shapeKey(shape)}`;
  const args = { tenantId, key: byId ? key.id : key.upnKey };
  const rows = await userDocuments.execute(db, variant, args, (db, placeholders) =>
    db
      .selectFrom("app_user")
      .select(documentText(engine, shape, deleted).as("document"))
      .where("tenant_id", "=", placeholders.tenantId)
      .where(byId ? "id" : "upn_key", "=", placeholders.key)
      .where("deleted_at", deleted ? "is not" : "is", null),
  );
  return rows[0]?.document;
}

const userDocuments = new PreparedQueryFamily<
  { tenantId: string; key: string },
  { document: string }
>();

/** A shape's part of a prepared query's variant, computed once per shape object. */
function shapeKey(shape: UserDocumentShape): string {
  let key = shapeKeys.get(shape);
  if (key === undefined) {
    key = JSON.stringify(shape);
    shapeKeys.set(shape, key);
  }
  return key;
}

const shapeKeys = new WeakMap<UserDocumentShape, string>();

const DELETED_AT = { column: "deleted_at", type: "text" } as const;

const DOCUMENT_COLUMNS: Record<UserDocumentField, JsonSource> = {
  id: { column: "id", type: "text" },
  userPrincipalName: { column: "user_principal_name", type: "text" },
  displayName: { column: "display_name", type: "text" },
  mail: { column: "mail", type: "text" },
  mailNickname: { column: "mail_nickname", type: "text" },
  accountEnabled: { column: "account_enabled", type: "boolean" },
  externalId: { column: "external_id", type: "text" },
  onPremisesSyncEnabled: { column: "on_premises_sync_enabled", type: "boolean" },
  // Stored as `toISOString()` writes them, which is what `User` hands out.
  createdDateTime: { column: "created_at", type: "text" },
  deletedDateTime: DELETED_AT,
};

/**
 * The user's document in the given shape. When the shape is Graph's whole user (after any fixed
 * leading properties, such as the recycle bin's `@odata.type`), the stored head
 * (`app_user.document_head`, migration 0009) with those properties in front and `deletedDateTime`
 * appended: a constant `null` for live users. Otherwise built from the columns, row by row.
 */
function documentText(
  engine: Engine,
  shape: UserDocumentShape,
  deleted: boolean,
): RawBuilder<string> {
  const lead = storedDocumentLead(shape);
  if (lead === undefined) return jsonObjectText(engine, shape.map(toJsonProperty));
  const head =
    lead === ""
      ? sql.ref("document_head")
      : sql`cast(${`{${lead},`} as text) || substr(document_head, 2)`;
  const name = JSON.stringify(STORED_DOCUMENT_TAIL.name);
  const tail = deleted
    ? sql`cast(${`,${name}:`} as text) || ${jsonValueText(engine, STORED_DOCUMENT_TAIL.source)} || '}'`
    : sql`cast(${`,${name}:null}`} as text)`;
  return sql<string>`(${head} || ${tail})`;
}

/** The property the stored head leaves out: the one a soft delete or a restore changes. */
const STORED_DOCUMENT_TAIL = { name: "deletedDateTime", source: DELETED_AT };

const STORED_DOCUMENT_KEY = JSON.stringify([...STORED_USER_DOCUMENT_HEAD, STORED_DOCUMENT_TAIL]);

/**
 * For a shape that is the stored document after fixed properties, those properties as JSON text
 * (`"@odata.type":"#microsoft.graph.user"`; empty when there are none); else undefined.
 */
export function storedDocumentLead(shape: UserDocumentShape): string | undefined {
  const leading = shape.length - STORED_USER_DOCUMENT_HEAD.length - 1;
  if (leading < 0) return undefined;
  const lead: string[] = [];
  for (const property of shape.slice(0, leading)) {
    if (!("json" in property)) return undefined;
    lead.push(`${JSON.stringify(property.name)}:${property.json}`);
  }
  const rest = JSON.stringify(shape.slice(leading).map(toJsonProperty));
  return rest === STORED_DOCUMENT_KEY ? lead.join(",") : undefined;
}

function toJsonProperty(property: UserDocumentProperty): JsonProperty {
  return "field" in property
    ? { name: property.name, source: DOCUMENT_COLUMNS[property.field] }
    : { name: property.name, source: { json: property.json } };
}
