import { Type, type TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyPluginAsync } from "fastify";
import { getSyncState, getTenant, updateOrganization } from "../directory/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { authenticate, requireAuth } from "./authenticate.js";
import { toGraphOrganization } from "./graph-organization.js";
import { odataContext } from "./odata.js";

const OrganizationParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 256 }) });

const UpdateOrganizationBody = Type.Object({
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  /**
   * An enum, not `Type.Boolean()`: Fastify's validator coerces `null`, `0` and `"false"` to
   * `false` for a boolean, and `false` starts an operation that cannot be cancelled (SPEC §1).
   */
  onPremisesSyncEnabled: Type.Optional(Type.Unsafe<boolean>({ enum: [true, false] })),
});

/**
 * The caller's organization (Graph's `/organization`, a collection holding the one tenant). PATCH
 * renames it and turns directory sync on or off (Global Administrator; the services decide). A
 * PATCH with both does the rename first, then the sync change, each in its own transaction.
 */
export function organizationRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (root) => {
    const app = root.withTypeProvider<TypeBoxTypeProvider>();
    const auth = { preHandler: authenticate(ctx) };

    app.get("/v1.0/organization", auth, async (request) => {
      const { actor, session } = requireAuth(request);
      return {
        "@odata.context": odataContext(request, "organization"),
        value: [await readOrganization(ctx, actor, session.tenantId)],
      };
    });

    app.get(
      "/v1.0/organization/:id",
      { ...auth, schema: { params: OrganizationParams } },
      async (request) => {
        const { actor } = requireAuth(request);
        return {
          "@odata.context": odataContext(request, "organization/$entity"),
          ...(await readOrganization(ctx, actor, request.params.id)),
        };
      },
    );

    app.patch(
      "/v1.0/organization/:id",
      { ...auth, schema: { params: OrganizationParams, body: UpdateOrganizationBody } },
      async (request, reply) => {
        const { actor } = requireAuth(request);
        await updateOrganization(ctx, actor, request.params.id, request.body);
        return reply.status(204).send();
      },
    );
  };
}

/** A tenant of another organization is `404`, as if it did not exist (the services decide). */
async function readOrganization(ctx: AppContext, actor: Actor, tenantId: string) {
  const tenant = await getTenant(ctx, actor, tenantId);
  return toGraphOrganization(tenant, await getSyncState(ctx, actor, tenantId));
}
