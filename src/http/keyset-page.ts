import type { FastifyRequest } from "fastify";
import { baseUrl } from "./odata.js";

/** Graph's largest `$top`, and the one services accept. */
const MAX_TOP = 999;

/**
 * One page of a keyset-ordered listing whose service takes `{afterId, limit}` and returns items
 * in id order. It asks for one item more than `top` to learn whether another page follows; at
 * `$top=999` (the services' maximum) a full page always gets a next link, which may then lead to
 * an empty last page — what Graph's page iterators accept.
 */
export async function keysetPage<T extends { id: string }>(
  top: number,
  fetch: (limit: number) => Promise<T[]>,
): Promise<{ items: T[]; lastId: string | undefined }> {
  const fetched = await fetch(Math.min(top + 1, MAX_TOP));
  const items = fetched.slice(0, top);
  const more = fetched.length > top || fetched.length === MAX_TOP;
  return { items, lastId: more ? items.at(-1)?.id : undefined };
}

/**
 * The absolute `@odata.nextLink` of a page, keeping `$top` and `$select`, or nothing on the last
 * page. `position` is the page's continuation: the last id, or an opaque token.
 */
export function nextLinkProperty(
  request: FastifyRequest,
  path: string,
  top: number,
  position: string | undefined,
  select?: readonly string[],
): { "@odata.nextLink"?: string } {
  if (position === undefined) return {};
  const selected = select ? `&$select=${select.join(",")}` : "";
  const token = encodeURIComponent(position);
  return {
    "@odata.nextLink": `${baseUrl(request)}${path}?$top=${top}${selected}&$skiptoken=${token}`,
  };
}
