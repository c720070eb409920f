import { Type, type TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyPluginAsync } from "fastify";
import { getUser, listUsers, purgeUser, restoreUser } from "../directory/index.js";
import { assertStepUp } from "../security/index.js";
import type { AppContext } from "../shared/app-context.js";
import { authenticate, requireAuth } from "./authenticate.js";
import { toGraphUser } from "./graph-user.js";
import { baseUrl, odataContext } from "./odata.js";

const ItemParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 256 }) });
const ListQuery = Type.Object({
  $top: Type.Optional(Type.Integer({ minimum: 1, maximum: 999 })),
  $skiptoken: Type.Optional(Type.String({ maxLength: 512 })),
});

/**
 * The recycle bin (Graph's `directory/deletedItems`): deleted users for 30 days, restorable with
 * their roles; a permanent delete is irreversible and needs a fresh sign-in (step-up, SPEC §2).
 */
export function deletedItemsRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (root) => {
    const app = root.withTypeProvider<TypeBoxTypeProvider>();
    const auth = { preHandler: authenticate(ctx) };

    // Graph accepts the cast with or without its namespace.
    for (const cast of ["microsoft.graph.user", "graph.user"]) {
      app.get(
        `/v1.0/directory/deletedItems/${cast}`,
        { ...auth, schema: { querystring: ListQuery } },
        async (request) => {
          const { actor, session } = requireAuth(request);
          const page = await listUsers(ctx, actor, session.tenantId, {
            deleted: true,
            limit: request.query.$top ?? 100,
            cursor: request.query.$skiptoken,
          });
          const top = request.query.$top ?? 100;
          const next = page.nextCursor
            ? `${baseUrl(request)}/v1.0/directory/deletedItems/${cast}?$top=${top}&$skiptoken=${encodeURIComponent(page.nextCursor)}`
            : undefined;
          return {
            "@odata.context": odataContext(request, "directoryObjects"),
            ...(next ? { "@odata.nextLink": next } : {}),
            value: page.users.map((u) => ({
              "@odata.type": "#microsoft.graph.user",
              ...toGraphUser(u),
            })),
          };
        },
      );
    }

    app.get(
      "/v1.0/directory/deletedItems/:id",
      { ...auth, schema: { params: ItemParams } },
      async (request) => {
        const { actor, session } = requireAuth(request);
        const user = await getUser(ctx, actor, session.tenantId, request.params.id, "deleted");
        return {
          "@odata.context": odataContext(request, "directoryObjects/$entity"),
          "@odata.type": "#microsoft.graph.user",
          ...toGraphUser(user),
        };
      },
    );

    app.post(
      "/v1.0/directory/deletedItems/:id/restore",
      { ...auth, schema: { params: ItemParams } },
      async (request) => {
        const { actor, session } = requireAuth(request);
        const user = await restoreUser(ctx, actor, session.tenantId, request.params.id);
        return {
          "@odata.context": odataContext(request, "directoryObjects/$entity"),
          "@odata.type": "#microsoft.graph.user",
          ...toGraphUser(user),
        };
      },
    );

    app.delete(
      "/v1.0/directory/deletedItems/:id",
      { ...auth, schema: { params: ItemParams } },
      async (request, reply) => {
        const { actor, session } = requireAuth(request);
        await assertStepUp(ctx, session);
        await purgeUser(ctx, actor, session.tenantId, request.params.id);
        return reply.status(204).send();
      },
    );
  };
}
