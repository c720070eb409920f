import type { FastifyRequest } from "fastify";

/** The request's own scheme and host, for absolute links (`@odata.context`, `@odata.nextLink`). */
export function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** `<scheme>://<host>/v1.0/$metadata#<fragment>`, Graph's `@odata.context`. */
export function odataContext(request: FastifyRequest, fragment: string): string {
  return `${baseUrl(request)}/v1.0/$metadata#${fragment}`;
}

/**
 * `…$metadata#<set>` with the selection as Graph writes it, `<set>(a,b)`, and `/$entity` for a
 * single item.
 */
export function selectionContext(
  request: FastifyRequest,
  set: string,
  select: readonly string[] | undefined,
  entity = false,
): string {
  const selected = select ? `${set}(${select.join(",")})` : set;
  return odataContext(request, entity ? `${selected}/$entity` : selected);
}

/**
 * Graph's `$select` on a resource built in its documented order: only the selected properties,
 * in that order, and always `id`. Without a selection, everything.
 */
export function pickSelected<T extends object>(
  item: T,
  select: readonly string[] | undefined,
): Partial<T> {
  if (!select) return item;
  const picked: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    if (key === "id" || select.includes(key)) picked[key] = value;
  }
  return picked as Partial<T>;
}
