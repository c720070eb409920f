import { createMessage, uploadFile } from "../src/content/index.js";
import { userActor } from "./directory-fixtures.js";
import {
  CALLERS,
  type Caller,
  freshUser,
  type RouteAccess,
  type RouteEnv,
  route,
} from "./route-targets.js";

/**
 * Rows of the route × role table (test/route-table.ts) for users' content (SPEC §4): only the
 * owner reads or writes it (SPEC §1, "no admin role reads content"). Each route has two rows:
 * on the caller's own content every caller is allowed, whatever their roles; on another user's
 * content nobody is, not even a Global Administrator. The `/me` aliases have the first row only.
 */

const NOBODY: readonly Caller[] = [];

interface Owned {
  ownerId: string;
  messageId: string;
  itemId: string;
}

/** A message and a file owned by `ownerId`, created as that user. */
async function contentOf({ t, org }: RouteEnv, ownerId: string): Promise<Owned> {
  const actor = userActor(org.tenantId, ownerId);
  const ref = { idOrUpn: ownerId };
  const message = await createMessage(t, actor, org.tenantId, ref, { subject: "Row" });
  const { item } = await uploadFile(t, actor, org.tenantId, ref, {
    path: `row-${message.id}.txt`,
    content: Buffer.from("row"),
  });
  return { ownerId, messageId: message.id, itemId: item.id };
}

const own = (env: RouteEnv) => contentOf(env, env.callerId);
const others = async (env: RouteEnv) => contentOf(env, (await freshUser()(env)).id);

const ROUTES: {
  method: "GET" | "POST" | "PUT" | "DELETE";
  suffix: string;
  status: number;
  url: (o: Owned) => string;
  body?: () => unknown;
  headers?: Record<string, string>;
}[] = [
  { method: "GET", suffix: "/messages", status: 200, url: () => "/messages" },
  {
    method: "POST",
    suffix: "/messages",
    status: 201,
    url: () => "/messages",
    body: () => ({ subject: "Hello", body: { contentType: "text", content: "Hi" } }),
  },
  {
    method: "GET",
    suffix: "/messages/{messageId}",
    status: 200,
    url: (o) => `/messages/${o.messageId}`,
  },
  {
    method: "DELETE",
    suffix: "/messages/{messageId}",
    status: 204,
    url: (o) => `/messages/${o.messageId}`,
  },
  { method: "GET", suffix: "/drive/root/children", status: 200, url: () => "/drive/root/children" },
  {
    method: "PUT",
    suffix: "/drive/root:/{path}:/content",
    status: 200,
    url: (o) => `/drive/root:/row-${o.messageId}.txt:/content`,
    body: () => "replaced",
    headers: { "content-type": "text/plain" },
  },
  {
    method: "GET",
    suffix: "/drive/items/{itemId}/content",
    status: 200,
    url: (o) => `/drive/items/${o.itemId}/content`,
  },
  {
    method: "DELETE",
    suffix: "/drive/items/{itemId}",
    status: 204,
    url: (o) => `/drive/items/${o.itemId}`,
  },
];

export const CONTENT_ROUTES: readonly RouteAccess[] = ROUTES.flatMap((r) => [
  route({
    method: r.method,
    path: `/v1.0/users/{id}${r.suffix}`,
    on: "the caller's own content",
    status: r.status,
    allowed: CALLERS,
    fresh: own,
    url: (o) => `/v1.0/users/${o.ownerId}${r.url(o)}`,
    body: () => r.body?.(),
    ...(r.headers ? { headers: r.headers } : {}),
  }),
  route({
    method: r.method,
    path: `/v1.0/users/{id}${r.suffix}`,
    on: "another user's content",
    status: r.status,
    allowed: NOBODY,
    fresh: others,
    url: (o) => `/v1.0/users/${o.ownerId}${r.url(o)}`,
    body: () => r.body?.(),
    ...(r.headers ? { headers: r.headers } : {}),
  }),
  route({
    method: r.method,
    path: `/v1.0/me${r.suffix}`,
    status: r.status,
    allowed: CALLERS,
    fresh: own,
    url: (o) => `/v1.0/me${r.url(o)}`,
    body: () => r.body?.(),
    ...(r.headers ? { headers: r.headers } : {}),
  }),
]);
