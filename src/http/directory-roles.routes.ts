import { Type, type TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyPluginAsync } from "fastify";
import {
  addDirectoryRoleMember,
  getDirectoryRole,
  listDirectoryRoleMembers,
  listDirectoryRoles,
  removeDirectoryRoleMember,
} from "../directory/index.js";
import type { AppContext } from "../shared/app-context.js";
import { invalid } from "../shared/app-error.js";
import { authenticate, requireAuth } from "./authenticate.js";
import { toGraphDirectoryObject, toGraphDirectoryRole } from "./graph-application.js";
import { odataContext } from "./odata.js";

const RoleParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });
const MemberParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 128 }),
  memberId: Type.String({ minLength: 1, maxLength: 128 }),
});
/** Graph's reference body: `{"@odata.id": "https://…/v1.0/directoryObjects/{id}"}`. */
const MemberRefBody = Type.Object({ "@odata.id": Type.String({ minLength: 1, maxLength: 2048 }) });

/** The object id at the end of a reference to a directory object (or a user or application). */
function referencedObjectId(odataId: string): string {
  const match = /\/(?:directoryObjects|users|servicePrincipals|applications)\/([^/?#]+)$/.exec(
    odataId,
  );
  if (!match?.[1]) {
    throw invalid(
      "DIRECTORY_OBJECT_REF_INVALID",
      '@odata.id must reference a directory object, e.g. "https://host/v1.0/directoryObjects/{id}".',
      { field: "@odata.id" },
    );
  }
  return decodeURIComponent(match[1]);
}

/**
 * Directory roles and their members under /v1.0/directoryRoles (Graph's shapes). A role's id is
 * its role template id; members are users and applications, added and removed by reference.
 */
export function directoryRolesRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    const api = app.withTypeProvider<TypeBoxTypeProvider>();
    const preHandler = authenticate(ctx);

    api.get("/v1.0/directoryRoles", { preHandler }, async (request) => {
      const { actor, session } = requireAuth(request);
      const roles = await listDirectoryRoles(ctx, actor, session.tenantId);
      return {
        "@odata.context": odataContext(request, "directoryRoles"),
        value: roles.map(toGraphDirectoryRole),
      };
    });

    api.get(
      "/v1.0/directoryRoles/:id",
      { preHandler, schema: { params: RoleParams } },
      async (request) => {
        const { actor, session } = requireAuth(request);
        const role = await getDirectoryRole(ctx, actor, session.tenantId, request.params.id);
        return {
          "@odata.context": odataContext(request, "directoryRoles/$entity"),
          ...toGraphDirectoryRole(role),
        };
      },
    );

    api.get(
      "/v1.0/directoryRoles/:id/members",
      { preHandler, schema: { params: RoleParams } },
      async (request) => {
        const { actor, session } = requireAuth(request);
        const members = await listDirectoryRoleMembers(
          ctx,
          actor,
          session.tenantId,
          request.params.id,
        );
        return {
          "@odata.context": odataContext(request, "directoryObjects"),
          value: members.map(toGraphDirectoryObject),
        };
      },
    );

    api.post(
      "/v1.0/directoryRoles/:id/members/$ref",
      { preHandler, schema: { params: RoleParams, body: MemberRefBody } },
      async (request, reply) => {
        const { actor, session } = requireAuth(request);
        const objectId = referencedObjectId(request.body["@odata.id"]);
        await addDirectoryRoleMember(ctx, actor, session.tenantId, request.params.id, objectId);
        return reply.status(204).send();
      },
    );

    api.delete(
      "/v1.0/directoryRoles/:id/members/:memberId/$ref",
      { preHandler, schema: { params: MemberParams } },
      async (request, reply) => {
        const { actor, session } = requireAuth(request);
        const { id, memberId } = request.params;
        await removeDirectoryRoleMember(ctx, actor, session.tenantId, id, memberId);
        return reply.status(204).send();
      },
    );
  };
}
