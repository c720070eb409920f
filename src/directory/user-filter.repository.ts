import type { Expression, ExpressionBuilder, SqlBool } from "kysely";
import type { Database } from "../store/database.js";
import { keyStartsWith, lowerStartsWith } from "../store/engine.js";
import type { UserFilter } from "./user-filter.js";

type UserWhere = ExpressionBuilder<Database, "app_user">;

/**
 * A checked user filter as a Kysely condition on `app_user`, identical on both engines.
 * - Text comparisons are case-insensitive, as in Graph: the UPN through the lower-cased `upn_key`,
 *   the display name and mail through `lower()` on both sides; `startswith` through
 *   `lowerStartsWith`, with `%` and `_` taken literally.
 * - Every comparison on a nullable column is two-valued (OData's rules, not SQL's): `mail eq 'x'`
 *   is false and `mail ne 'x'` true for a user without mail, so `not (…)` never drops rows to NULL.
 */
export function whereUserFilter(eb: UserWhere, filter: UserFilter): Expression<SqlBool> {
  switch (filter.kind) {
    case "and":
      return eb.and(filter.operands.map((f) => whereUserFilter(eb, f)));
    case "or":
      return eb.or(filter.operands.map((f) => whereUserFilter(eb, f)));
    case "not":
      return eb.not(whereUserFilter(eb, filter.operand));
    case "isNull":
      return eb(column(filter.property), filter.negated ? "is not" : "is", null);
    case "startsWith":
      return presentAnd(eb, filter.property, startsWith(filter.property, filter.value));
    case "in":
      return presentAnd(
        eb,
        filter.property,
        eb(
          textOf(eb, filter.property),
          "in",
          filter.values.map((v) => textValue(eb, filter.property, v)),
        ),
      );
    case "compare": {
      if (typeof filter.value === "boolean") {
        const col = column(filter.property);
        return filter.operator === "eq"
          ? presentAnd(eb, filter.property, eb(col, "=", filter.value))
          : absentOr(eb, filter.property, eb(col, "<>", filter.value));
      }
      const left = textOf(eb, filter.property);
      const right = textValue(eb, filter.property, filter.value);
      return filter.operator === "eq"
        ? presentAnd(eb, filter.property, eb(left, "=", right))
        : absentOr(eb, filter.property, eb(left, "<>", right));
    }
  }
}

const COLUMNS = {
  id: "id",
  userPrincipalName: "upn_key",
  displayName: "display_name",
  mail: "mail",
  accountEnabled: "account_enabled",
  onPremisesSyncEnabled: "on_premises_sync_enabled",
} as const;

type FilterProperty = keyof typeof COLUMNS;
type TextProperty = "id" | "userPrincipalName" | "displayName" | "mail";

function column<P extends FilterProperty>(property: P): (typeof COLUMNS)[P] {
  return COLUMNS[property];
}

const NULLABLE: ReadonlySet<FilterProperty> = new Set(["mail", "onPremisesSyncEnabled"]);

/** `col is not null and <condition>`: false, never NULL, where the column is NULL. */
function presentAnd(
  eb: UserWhere,
  property: FilterProperty,
  condition: Expression<SqlBool>,
): Expression<SqlBool> {
  return NULLABLE.has(property)
    ? eb.and([eb(column(property), "is not", null), condition])
    : condition;
}

/** `col is null or <condition>`: true, never NULL, where the column is NULL. */
function absentOr(
  eb: UserWhere,
  property: FilterProperty,
  condition: Expression<SqlBool>,
): Expression<SqlBool> {
  return NULLABLE.has(property) ? eb.or([eb(column(property), "is", null), condition]) : condition;
}

/**
 * The column as compared: ids exactly; the UPN and display name through their lower-cased,
 * indexed key columns; mail lower-cased.
 */
function textOf(eb: UserWhere, property: TextProperty) {
  if (property === "id" || property === "userPrincipalName") return eb.ref(column(property));
  if (property === "displayName") return eb.ref("display_name_key");
  return eb.fn<string>("lower", [eb.ref(column(property))]);
}

function textValue(eb: UserWhere, property: TextProperty, value: string) {
  if (property === "id") return eb.val(value);
  if (property === "userPrincipalName" || property === "displayName") {
    return eb.val(value.toLowerCase());
  }
  return eb.fn<string>("lower", [eb.val(value)]);
}

/** Index ranges on the key columns; mail has no key column and is matched by `lower() like`. */
function startsWith(property: "userPrincipalName" | "displayName" | "mail", prefix: string) {
  if (property === "userPrincipalName") return keyStartsWith("upn_key", prefix);
  if (property === "displayName") return keyStartsWith("display_name_key", prefix);
  return lowerStartsWith("mail", prefix);
}
