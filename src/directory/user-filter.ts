import { invalid } from "../shared/app-error.js";

/**
 * Filtering users, as Microsoft Graph's `$filter` on `/users` does (SPEC §7). A transport parses
 * the text into a `FilterExpression` (property names as written); `toUserFilter` checks it against
 * the user's filterable properties and their types and returns a `UserFilter`, the only form the
 * service and the repository accept. Pure: no I/O.
 */

export type FilterLiteral = string | boolean | null;

/** A parsed filter, not yet checked against any resource's properties. */
export type FilterExpression =
  | { kind: "and" | "or"; operands: FilterExpression[] }
  | { kind: "not"; operand: FilterExpression }
  | { kind: "compare"; operator: "eq" | "ne"; property: string; value: FilterLiteral }
  | { kind: "in"; property: string; values: FilterLiteral[] }
  | { kind: "startsWith"; property: string; value: FilterLiteral };

export type UserTextProperty = "id" | "userPrincipalName" | "displayName" | "mail";
export type UserBooleanProperty = "accountEnabled" | "onPremisesSyncEnabled";
export type UserFilterProperty = UserTextProperty | UserBooleanProperty;

/** A filter every part of which is known to be valid for users. */
export type UserFilter =
  | { kind: "and" | "or"; operands: UserFilter[] }
  | { kind: "not"; operand: UserFilter }
  | { kind: "compare"; operator: "eq" | "ne"; property: UserTextProperty; value: string }
  | { kind: "compare"; operator: "eq" | "ne"; property: UserBooleanProperty; value: boolean }
  | { kind: "isNull"; negated: boolean; property: "mail" | "onPremisesSyncEnabled" }
  | { kind: "in"; property: UserTextProperty; values: string[] }
  | { kind: "startsWith"; property: Exclude<UserTextProperty, "id">; value: string };

/** Graph's names, matched case-insensitively as Graph does. */
const PROPERTIES: ReadonlyMap<string, UserFilterProperty> = new Map(
  (
    [
      "id",
      "userPrincipalName",
      "displayName",
      "mail",
      "accountEnabled",
      "onPremisesSyncEnabled",
    ] as const
  ).map((p) => [p.toLowerCase(), p]),
);
const BOOLEAN: ReadonlySet<UserFilterProperty> = new Set([
  "accountEnabled",
  "onPremisesSyncEnabled",
]);
const NULLABLE: ReadonlySet<UserFilterProperty> = new Set(["mail", "onPremisesSyncEnabled"]);

function filterError(message: string) {
  return invalid("ODATA_FILTER_INVALID", message, { field: "$filter" });
}

function propertyOf(name: string): UserFilterProperty {
  const property = PROPERTIES.get(name.toLowerCase());
  if (!property) {
    throw filterError(
      `Users cannot be filtered by '${name}'; filterable properties: ${[...PROPERTIES.values()].join(", ")}.`,
    );
  }
  return property;
}

function describeLiteral(value: FilterLiteral): string {
  return value === null ? "null" : typeof value === "string" ? "a string" : String(value);
}

/**
 * Checks a parsed filter against the user's properties: strings compare with strings; booleans
 * only with `eq`/`ne` and `true`/`false`; `null` only for `mail` and `onPremisesSyncEnabled`;
 * `startswith` on the UPN, display name and mail; `in` on string properties. Throws
 * ODATA_FILTER_INVALID (kind Invalid) naming the first offending part.
 */
export function toUserFilter(expression: FilterExpression): UserFilter {
  switch (expression.kind) {
    case "and":
    case "or":
      if (expression.operands.length === 0)
        throw filterError(`'${expression.kind}' needs operands.`);
      return {
        kind: expression.kind,
        operands: expression.operands.map((e) => toUserFilter(e)),
      };
    case "not":
      return { kind: "not", operand: toUserFilter(expression.operand) };
    case "compare":
      return toComparison(propertyOf(expression.property), expression.operator, expression.value);
    case "in":
      return toIn(propertyOf(expression.property), expression.values);
    case "startsWith":
      return toStartsWith(propertyOf(expression.property), expression.value);
  }
}

function toComparison(
  property: UserFilterProperty,
  operator: "eq" | "ne",
  value: FilterLiteral,
): UserFilter {
  if (value === null) {
    if (!NULLABLE.has(property)) {
      throw filterError(`'${property}' is never null; compare it with a value instead.`);
    }
    return {
      kind: "isNull",
      negated: operator === "ne",
      property: property as "mail" | "onPremisesSyncEnabled",
    };
  }
  if (BOOLEAN.has(property)) {
    if (typeof value !== "boolean") {
      throw filterError(`'${property}' is a boolean: compare it with true or false, not a string.`);
    }
    return { kind: "compare", operator, property: property as UserBooleanProperty, value };
  }
  if (typeof value !== "string") {
    throw filterError(`'${property}' is a string: compare it with a quoted value, not ${value}.`);
  }
  return { kind: "compare", operator, property: property as UserTextProperty, value };
}

function toIn(property: UserFilterProperty, values: readonly FilterLiteral[]): UserFilter {
  if (BOOLEAN.has(property)) {
    throw filterError(`'in' is not supported on the boolean '${property}'; use eq or ne.`);
  }
  if (values.length === 0) throw filterError(`'${property} in ()' needs at least one value.`);
  const strings = values.filter((v): v is string => typeof v === "string");
  if (strings.length !== values.length) {
    const other = values.find((v) => typeof v !== "string") ?? null;
    throw filterError(
      `'${property} in (…)' takes quoted strings only, not ${describeLiteral(other)}; use 'eq null' for null.`,
    );
  }
  return { kind: "in", property: property as UserTextProperty, values: strings };
}

function toStartsWith(property: UserFilterProperty, value: FilterLiteral): UserFilter {
  if (property === "id" || BOOLEAN.has(property)) {
    throw filterError(
      `startswith is supported on userPrincipalName, displayName and mail, not on '${property}'.`,
    );
  }
  if (typeof value !== "string") {
    throw filterError(`startswith takes a quoted string, not ${describeLiteral(value)}.`);
  }
  return { kind: "startsWith", property: property as Exclude<UserTextProperty, "id">, value };
}

/**
 * The order an index can serve for this query when the caller asked for none: a prefix search on
 * the display name or UPN (alone, or and-ed with other conditions) is listed in that property's
 * order, which the (tenant_id, key, id) index returns without sorting the matches — a broad prefix
 * matching a fifth of a large tenant would otherwise be sorted by id on every page.
 */
export function orderServedByIndex(
  filter: UserFilter | undefined,
  options: { displayNamePrefix?: string | undefined; upnPrefix?: string | undefined } = {},
): "displayName" | "userPrincipalName" | undefined {
  if (options.displayNamePrefix) return "displayName";
  if (options.upnPrefix) return "userPrincipalName";
  if (!filter) return undefined;
  if (filter.kind === "startsWith") {
    if (filter.property === "displayName") return "displayName";
    if (filter.property === "userPrincipalName") return "userPrincipalName";
    return undefined;
  }
  if (filter.kind === "and") {
    for (const operand of filter.operands) {
      const order = orderServedByIndex(operand);
      if (order) return order;
    }
  }
  return undefined;
}
