import { Type, type TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyPluginAsync } from "fastify";
import {
  addGroupMember,
  createGroup,
  deleteGroup,
  getGroup,
  listGroupMembers,
  listGroups,
  removeGroupMember,
  updateGroup,
} from "../directory/index.js";
import type { AppContext } from "../shared/app-context.js";
import { invalid } from "../shared/app-error.js";
import { authenticate, requireAuth } from "./authenticate.js";
import { toGraphGroup } from "./graph-group.js";
import { toGraphUser } from "./graph-user.js";
import { keysetPage, nextLinkProperty } from "./keyset-page.js";
import { odataContext } from "./odata.js";

const Description = Type.Union([Type.String({ maxLength: 1024 }), Type.Null()]);

/** Graph's `POST /groups` body: these four are required there too. */
const CreateGroupBody = Type.Object({
  displayName: Type.String({ minLength: 1, maxLength: 256 }),
  mailEnabled: Type.Boolean(),
  mailNickname: Type.String({ minLength: 1, maxLength: 64 }),
  securityEnabled: Type.Boolean(),
  description: Type.Optional(Description),
  groupTypes: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 8 })),
});

const UpdateGroupBody = Type.Object({
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  mailEnabled: Type.Optional(Type.Boolean()),
  mailNickname: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  securityEnabled: Type.Optional(Type.Boolean()),
  description: Type.Optional(Description),
});

const MemberReferenceBody = Type.Object({
  "@odata.id": Type.String({ minLength: 1, maxLength: 2048 }),
});

const GroupParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 256 }) });
const MemberParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 256 }),
  memberId: Type.String({ minLength: 1, maxLength: 256 }),
});
const ListQuery = Type.Object({
  $top: Type.Optional(Type.Integer({ minimum: 1, maximum: 999 })),
  $skiptoken: Type.Optional(Type.String({ maxLength: 512 })),
});

/**
 * Security groups under /v1.0/groups in Graph's shapes: create (201), list with paging, read,
 * update (204), delete (204), and membership through `members` and `members/$ref`. Groups are
 * managed by Global and User Administrators and read by any member (SPEC §1; the services decide).
 */
export function groupsRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (root) => {
    const app = root.withTypeProvider<TypeBoxTypeProvider>();
    const auth = { preHandler: authenticate(ctx) };

    app.get("/v1.0/groups", { ...auth, schema: { querystring: ListQuery } }, async (request) => {
      const { actor, session } = requireAuth(request);
      const top = request.query.$top ?? 100;
      const page = await keysetPage(top, (limit) =>
        listGroups(ctx, actor, session.tenantId, { limit, afterId: request.query.$skiptoken }),
      );
      return {
        "@odata.context": odataContext(request, "groups"),
        ...nextLinkProperty(request, "/v1.0/groups", top, page.lastId),
        value: page.items.map(toGraphGroup),
      };
    });

    app.post(
      "/v1.0/groups",
      { ...auth, schema: { body: CreateGroupBody } },
      async (request, reply) => {
        const { actor, session } = requireAuth(request);
        const { mailEnabled, groupTypes, ...input } = request.body;
        assertSecurityGroup(mailEnabled, groupTypes);
        const group = await createGroup(ctx, actor, session.tenantId, input);
        return reply.status(201).send({
          "@odata.context": odataContext(request, "groups/$entity"),
          ...toGraphGroup(group),
        });
      },
    );

    app.get("/v1.0/groups/:id", { ...auth, schema: { params: GroupParams } }, async (request) => {
      const { actor, session } = requireAuth(request);
      const group = await getGroup(ctx, actor, session.tenantId, request.params.id);
      return { "@odata.context": odataContext(request, "groups/$entity"), ...toGraphGroup(group) };
    });

    app.patch(
      "/v1.0/groups/:id",
      { ...auth, schema: { params: GroupParams, body: UpdateGroupBody } },
      async (request, reply) => {
        const { actor, session } = requireAuth(request);
        const { mailEnabled, ...input } = request.body;
        assertSecurityGroup(mailEnabled, undefined);
        await updateGroup(ctx, actor, session.tenantId, request.params.id, input);
        return reply.status(204).send();
      },
    );

    app.delete(
      "/v1.0/groups/:id",
      { ...auth, schema: { params: GroupParams } },
      async (request, reply) => {
        const { actor, session } = requireAuth(request);
        await deleteGroup(ctx, actor, session.tenantId, request.params.id);
        return reply.status(204).send();
      },
    );

    app.get(
      "/v1.0/groups/:id/members",
      { ...auth, schema: { params: GroupParams, querystring: ListQuery } },
      async (request) => {
        const { actor, session } = requireAuth(request);
        const { id } = request.params;
        const top = request.query.$top ?? 100;
        const page = await keysetPage(top, (limit) =>
          listGroupMembers(ctx, actor, session.tenantId, id, {
            limit,
            afterId: request.query.$skiptoken,
          }),
        );
        return {
          "@odata.context": odataContext(request, "directoryObjects"),
          ...nextLinkProperty(request, `/v1.0/groups/${id}/members`, top, page.lastId),
          value: page.items.map((u) => ({
            "@odata.type": "#microsoft.graph.user",
            ...toGraphUser(u),
          })),
        };
      },
    );

    app.post(
      "/v1.0/groups/:id/members/$ref",
      { ...auth, schema: { params: GroupParams, body: MemberReferenceBody } },
      async (request, reply) => {
        const { actor, session } = requireAuth(request);
        const userId = memberIdFromReference(request.body["@odata.id"]);
        await addGroupMember(ctx, actor, session.tenantId, request.params.id, userId);
        return reply.status(204).send();
      },
    );

    app.delete(
      "/v1.0/groups/:id/members/:memberId/$ref",
      { ...auth, schema: { params: MemberParams } },
      async (request, reply) => {
        const { actor, session } = requireAuth(request);
        const { id, memberId } = request.params;
        await removeGroupMember(ctx, actor, session.tenantId, id, memberId);
        return reply.status(204).send();
      },
    );
  };
}

/** Tenantry has security groups only (SPEC §1): no mail-enabled or Microsoft 365 groups. */
function assertSecurityGroup(
  mailEnabled: boolean | undefined,
  groupTypes: readonly string[] | undefined,
): void {
  if (mailEnabled === true) {
    throw invalid(
      "MAIL_ENABLED_GROUP_UNSUPPORTED",
      "Tenantry has security groups only: mailEnabled must be false.",
      { field: "mailEnabled" },
    );
  }
  if (groupTypes !== undefined && groupTypes.length > 0) {
    throw invalid(
      "GROUP_TYPE_UNSUPPORTED",
      "Tenantry has security groups only: groupTypes must be empty (no Unified or dynamic groups).",
      { field: "groupTypes" },
    );
  }
}

/**
 * The user an `@odata.id` names: `<any base>/directoryObjects/{id}` (what Graph's SDKs send) or
 * `<any base>/users/{id}`; the base (host, `/v1.0`) is not checked, only the last two segments.
 */
function memberIdFromReference(reference: string): string {
  const match = /\/(?:directoryObjects|users)\/([^/?#]+)\/?$/.exec(reference);
  const id = match?.[1] ? safeDecode(match[1]) : undefined;
  if (!id) {
    throw invalid(
      "MEMBER_REFERENCE_INVALID",
      `@odata.id must name a user, e.g. https://<host>/v1.0/directoryObjects/{id}; got "${reference}".`,
      { field: "@odata.id" },
    );
  }
  return id;
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
