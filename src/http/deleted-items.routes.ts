import { Type, type TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyPluginAsync } from "fastify";
import { reportRestoredLicenseOverAssignments } from "../commerce/index.js";
import {
  countUsers,
  getUserDocument,
  listUserDocuments,
  purgeUser,
  restoreUser,
} from "../directory/index.js";
import { assertStepUp } from "../security/index.js";
import type { AppContext } from "../shared/app-context.js";
import { authenticate, requireAuth } from "./authenticate.js";
import { sendJsonText, withLeadingProperties } from "./json-text.js";
import { graphUserShape, toGraphUser } from "./graph-user.js";
import { odataContext } from "./odata.js";
import {
  listOptionsOf,
  readUserListQuery,
  UserListQuerySchema,
  userPageJson,
  userPageShape,
} from "./user-list-query.js";

const ItemParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 256 }) });

/**
 * The recycle bin (Graph's `directory/deletedItems`): deleted users for 30 days, restorable with
 * their roles and licenses (a restore that over-assigns a SKU answers `licenseWarnings`); a
 * permanent delete is irreversible and needs a fresh sign-in (step-up, SPEC §2).
 */
export function deletedItemsRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (root) => {
    const app = root.withTypeProvider<TypeBoxTypeProvider>();
    const auth = { preHandler: authenticate(ctx) };

    // Graph accepts the cast with or without its namespace.
    for (const cast of ["microsoft.graph.user", "graph.user"]) {
      app.get(
        `/v1.0/directory/deletedItems/${cast}`,
        { ...auth, schema: { querystring: UserListQuerySchema } },
        async (request, reply) => {
          const { actor, session } = requireAuth(request);
          const query = readUserListQuery(request);
          const resource = {
            path: `/v1.0/directory/deletedItems/${cast}`,
            entitySet: "directoryObjects",
            odataType: "#microsoft.graph.user",
          };
          const page = await listUserDocuments(
            ctx,
            actor,
            session.tenantId,
            { ...listOptionsOf(query), deleted: true },
            userPageShape(resource, query),
          );
          const count = query.count
            ? await countUsers(ctx, actor, session.tenantId, {
                filter: query.filter,
                deleted: true,
              })
            : undefined;
          return sendJsonText(reply, userPageJson(request, resource, query, page, count));
        },
      );
    }

    app.get(
      "/v1.0/directory/deletedItems/:id",
      { ...auth, schema: { params: ItemParams } },
      async (request, reply) => {
        const { actor, session } = requireAuth(request);
        const shape = graphUserShape(undefined, { "@odata.type": "#microsoft.graph.user" });
        const id = request.params.id;
        const document = await getUserDocument(ctx, actor, session.tenantId, id, shape, "deleted");
        const context = odataContext(request, "directoryObjects/$entity");
        return sendJsonText(reply, withLeadingProperties({ "@odata.context": context }, document));
      },
    );

    app.post(
      "/v1.0/directory/deletedItems/:id/restore",
      { ...auth, schema: { params: ItemParams } },
      async (request) => {
        const { actor, session } = requireAuth(request);
        const user = await restoreUser(ctx, actor, session.tenantId, request.params.id);
        // The user comes back with its licenses even when that over-assigns (SPEC §1); say so.
        const licenseWarnings = await reportRestoredLicenseOverAssignments(
          ctx,
          actor,
          session.tenantId,
          user.id,
        );
        return {
          "@odata.context": odataContext(request, "directoryObjects/$entity"),
          "@odata.type": "#microsoft.graph.user",
          ...toGraphUser(user),
          ...(licenseWarnings.length > 0 ? { licenseWarnings } : {}),
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
