import type { FastifyRequest } from "fastify";
import { invalid } from "../../shared/app-error.js";

/**
 * OData system query options as Microsoft Graph reads them (SPEC §7), resource-independent:
 * which options a request carries, and the parsing of `$top`, `$select`, `$orderby` and `$count`.
 * Failures are AppErrors ODATA_QUERY_INVALID (kind Invalid → 400 Request_BadRequest) whose
 * `field` names the option.
 *
 * Names: with the `$` prefix, case-insensitive (`$Filter`); without it, Graph v1.0's dollar-less
 * aliases in lower case (`filter`). Other parameters without `$` are not OData's and are ignored,
 * as Graph ignores them. An unknown `$` option, an OData option the resource does not support, or
 * an option given twice (`$top` and `top`, or a repeated `$top`) is refused: silently ignoring
 * `$expand` or `$search` would answer a different question than the one asked.
 */
export type QueryOption = "filter" | "select" | "orderby" | "top" | "skiptoken" | "count";

/** Every system query option OData defines; the ones a resource does not support are refused. */
const ODATA_OPTIONS: ReadonlySet<string> = new Set([
  "filter",
  "select",
  "orderby",
  "top",
  "skiptoken",
  "count",
  "expand",
  "search",
  "skip",
  "format",
  "deltatoken",
  "compute",
  "apply",
  "index",
  "levels",
  "schemaversion",
  "id",
]);

/** The options Graph v1.0 also accepts without `$` (`filter=…`). */
const DOLLAR_OPTIONAL: ReadonlySet<string> = new Set([
  "filter",
  "select",
  "orderby",
  "top",
  "skiptoken",
  "count",
  "expand",
  "search",
  "skip",
]);

export function queryError(option: string, message: string) {
  return invalid("ODATA_QUERY_INVALID", message, { field: `$${option}` });
}

/**
 * The OData options of the request's query string, by lower-case name without `$`; throws for
 * anything not in `supported`. Fastify has already percent-decoded names and values, so
 * `%24filter` arrives as `$filter`.
 */
export function readQueryOptions(
  query: unknown,
  supported: readonly QueryOption[],
): Partial<Record<QueryOption, string>> {
  const options: Partial<Record<QueryOption, string>> = {};
  const entries = typeof query === "object" && query !== null ? Object.entries(query) : [];
  for (const [key, value] of entries) {
    const dollar = key.startsWith("$");
    const name = dollar ? key.slice(1).toLowerCase() : key;
    if (!dollar && !DOLLAR_OPTIONAL.has(name)) continue;
    if (!ODATA_OPTIONS.has(name)) {
      throw queryError(name, `'${key}' is not a query option OData knows.`);
    }
    if (!(supported as readonly string[]).includes(name)) {
      const allowed = supported.map((o) => `$${o}`).join(", ") || "none";
      throw queryError(
        name,
        `The query option '$${name}' is not supported on this resource (supported: ${allowed}).`,
      );
    }
    const option = name as QueryOption;
    if (typeof value !== "string" || options[option] !== undefined) {
      throw queryError(option, `The query option '$${option}' is given more than once.`);
    }
    options[option] = value;
  }
  return options;
}

/** `$top`: an integer from 1 to `max`. */
export function parseTop(value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const top = /^\s*\d{1,6}\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(top) || top < 1 || top > max) {
    throw queryError("top", `$top must be an integer from 1 to ${max}, not '${value}'.`);
  }
  return top;
}

/**
 * `$select`: comma-separated property names, matched case-insensitively and returned in the
 * resource's spelling, without duplicates. An unknown or empty name is refused.
 */
export function parseSelect(
  value: string | undefined,
  properties: readonly string[],
): string[] | undefined {
  if (value === undefined) return undefined;
  const byLowerName = new Map(properties.map((p) => [p.toLowerCase(), p]));
  const selected: string[] = [];
  for (const raw of value.split(",")) {
    const name = raw.trim();
    const property = byLowerName.get(name.toLowerCase());
    if (!property) {
      throw queryError(
        "select",
        name === ""
          ? "$select has an empty property name."
          : `$select: '${name}' is not a property of this resource.`,
      );
    }
    if (!selected.includes(property)) selected.push(property);
  }
  return selected;
}

export interface OrderBy<P extends string> {
  property: P;
  direction: "asc" | "desc";
}

/** `$orderby`: one property of `sortable`, then optionally ` asc` or ` desc`. */
export function parseOrderBy<P extends string>(
  value: string | undefined,
  sortable: readonly P[],
): OrderBy<P> | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)(?:\s+(asc|desc))?\s*$/i.exec(value);
  const property = sortable.find((p) => p.toLowerCase() === match?.[1]?.toLowerCase());
  if (!match || !property) {
    throw queryError(
      "orderby",
      `$orderby takes one of ${sortable.join(", ")}, optionally followed by asc or desc; not '${value}'.`,
    );
  }
  return { property, direction: match[2]?.toLowerCase() === "desc" ? "desc" : "asc" };
}

/** `$count`: `true` or `false`. */
export function parseCount(value: string | undefined): boolean {
  if (value === undefined) return false;
  const normalized = value.trim().toLowerCase();
  if (normalized !== "true" && normalized !== "false") {
    throw queryError("count", `$count is true or false, not '${value}'.`);
  }
  return normalized === "true";
}

/** Whether the request sent `ConsistencyLevel: eventual`, which Graph requires for `$count`. */
export function hasEventualConsistency(request: FastifyRequest): boolean {
  const header = request.headers.consistencylevel;
  const values = Array.isArray(header) ? header : (header ?? "").split(",");
  return values.some((v) => v.trim().toLowerCase() === "eventual");
}

/** Graph's answer to `$count` without `ConsistencyLevel: eventual`: 400. */
export function requireEventualConsistency(request: FastifyRequest): void {
  if (!hasEventualConsistency(request)) {
    throw invalid(
      "ODATA_CONSISTENCY_LEVEL_REQUIRED",
      "$count requires the header 'ConsistencyLevel: eventual', as in Microsoft Graph.",
      { field: "ConsistencyLevel" },
    );
  }
}

/** The `$select` of a resource that takes no other OData option (a single item, a small set). */
export function readSelectOption(
  request: FastifyRequest,
  properties: readonly string[],
): string[] | undefined {
  return parseSelect(readQueryOptions(request.query, ["select"]).select, properties);
}
