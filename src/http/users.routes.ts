import { Type, type TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import {
  countUsers,
  createUser,
  deleteUser,
  getUserDocument,
  listUserDocuments,
  toUserFilter,
  updateUser,
} from "../directory/index.js";
import type { AppContext } from "../shared/app-context.js";
import { authenticate, requireAuth } from "./authenticate.js";
import { sendJsonText, withLeadingProperties } from "./json-text.js";
import {
  GRAPH_USER_PROPERTIES,
  GraphUserCollectionSchema,
  graphUserShape,
  toGraphUser,
  userContext,
} from "./graph-user.js";
import { parseFilter } from "./odata/parse-filter.js";
import {
  parseSelect,
  readQueryOptions,
  requireEventualConsistency,
} from "./odata/query-options.js";
import {
  CountQuerySchema,
  listOptionsOf,
  readUserListQuery,
  SelectQuerySchema,
  UserListQuerySchema,
  userPageJson,
  userPageShape,
} from "./user-list-query.js";

const PasswordProfile = Type.Object({
  password: Type.Optional(Type.String({ maxLength: 256 })),
  forceChangePasswordNextSignIn: Type.Optional(Type.Boolean()),
});

/** Graph's `POST /users` body: these five are required there too. */
const CreateUserBody = Type.Object({
  accountEnabled: Type.Boolean(),
  displayName: Type.String({ minLength: 1, maxLength: 256 }),
  mailNickname: Type.String({ minLength: 1, maxLength: 64 }),
  userPrincipalName: Type.String({ minLength: 3, maxLength: 113 }),
  passwordProfile: PasswordProfile,
  mail: Type.Optional(Type.Union([Type.String({ maxLength: 254 }), Type.Null()])),
});

const UpdateUserBody = Type.Object({
  accountEnabled: Type.Optional(Type.Boolean()),
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  mailNickname: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  userPrincipalName: Type.Optional(Type.String({ minLength: 3, maxLength: 113 })),
  mail: Type.Optional(Type.Union([Type.String({ maxLength: 254 }), Type.Null()])),
  passwordProfile: Type.Optional(PasswordProfile),
});

const UserParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 256 }) });

/** The `$select` of a single user (`/users/{id}`, `/me`); no other OData option applies there. */
function readSelect(request: FastifyRequest): string[] | undefined {
  return parseSelect(readQueryOptions(request.query, ["select"]).select, GRAPH_USER_PROPERTIES);
}

/**
 * One user in Graph's shape with its `@odata.context`, as JSON text written by the store. Lists and
 * lookups skip building a `User` (and reading its roles, which Graph's user does not show).
 */
async function answerUser(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  idOrUpn: string,
) {
  const { actor, session } = requireAuth(request);
  const select = readSelect(request);
  const shape = graphUserShape(select);
  const document = await getUserDocument(ctx, actor, session.tenantId, idOrUpn, shape);
  const context = userContext(request, true, select);
  return sendJsonText(reply, withLeadingProperties({ "@odata.context": context }, document));
}

/**
 * Users under /v1.0/users in Graph's shapes: create (201), read by id or UPN, update (204),
 * soft delete to the recycle bin (204), a page of users with OData's `$filter`, `$select`,
 * `$orderby`, `$top`, `$count` and `@odata.nextLink` (user-list-query.ts), `/users/$count`, and
 * `/me`.
 */
export function usersRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (root) => {
    const app = root.withTypeProvider<TypeBoxTypeProvider>();
    const auth = { preHandler: authenticate(ctx) };

    /** Graph's `/users/$count`: the number of matching users as plain text. */
    async function answerCount(request: FastifyRequest, reply: FastifyReply) {
      const { actor, session } = requireAuth(request);
      const { filter } = readQueryOptions(request.query, ["filter"]);
      requireEventualConsistency(request);
      const count = await countUsers(ctx, actor, session.tenantId, {
        filter: filter === undefined ? undefined : toUserFilter(parseFilter(filter)),
      });
      return reply.type("text/plain; charset=utf-8").send(String(count));
    }

    app.get("/v1.0/me", { ...auth, schema: { querystring: SelectQuerySchema } }, (request, reply) =>
      answerUser(ctx, request, reply, requireAuth(request).session.subjectId),
    );

    app.get(
      "/v1.0/users",
      {
        ...auth,
        schema: { querystring: UserListQuerySchema, response: { 200: GraphUserCollectionSchema } },
      },
      async (request, reply) => {
        const { actor, session } = requireAuth(request);
        const query = readUserListQuery(request);
        const resource = { path: "/v1.0/users", entitySet: "users" };
        const page = await listUserDocuments(
          ctx,
          actor,
          session.tenantId,
          listOptionsOf(query),
          userPageShape(resource, query),
        );
        const count = query.count
          ? await countUsers(ctx, actor, session.tenantId, { filter: query.filter })
          : undefined;
        return sendJsonText(reply, userPageJson(request, resource, query, page, count));
      },
    );

    app.get(
      "/v1.0/users/$count",
      { ...auth, schema: { querystring: CountQuerySchema } },
      answerCount,
    );

    app.post(
      "/v1.0/users",
      { ...auth, schema: { body: CreateUserBody } },
      async (request, reply) => {
        const { actor, session } = requireAuth(request);
        const body = request.body;
        const user = await createUser(ctx, actor, session.tenantId, {
          userPrincipalName: body.userPrincipalName,
          displayName: body.displayName,
          mailNickname: body.mailNickname,
          mail: body.mail,
          accountEnabled: body.accountEnabled,
          password: body.passwordProfile.password,
          forceChangePasswordNextSignIn: body.passwordProfile.forceChangePasswordNextSignIn,
        });
        return reply
          .status(201)
          .send({ "@odata.context": userContext(request, true), ...toGraphUser(user) });
      },
    );

    app.get(
      "/v1.0/users/:id",
      { ...auth, schema: { params: UserParams, querystring: SelectQuerySchema } },
      async (request, reply) => {
        // `/users/%24count` reaches this route: the router matches paths before decoding them.
        if (request.params.id === "$count") return answerCount(request, reply);
        return answerUser(ctx, request, reply, request.params.id);
      },
    );

    app.patch(
      "/v1.0/users/:id",
      { ...auth, schema: { params: UserParams, body: UpdateUserBody } },
      async (request, reply) => {
        const { actor, session } = requireAuth(request);
        const { passwordProfile, ...fields } = request.body;
        await updateUser(ctx, actor, session.tenantId, request.params.id, {
          ...fields,
          password: passwordProfile?.password,
          forceChangePasswordNextSignIn: passwordProfile?.forceChangePasswordNextSignIn,
        });
        return reply.status(204).send();
      },
    );

    app.delete(
      "/v1.0/users/:id",
      { ...auth, schema: { params: UserParams } },
      async (request, reply) => {
        const { actor, session } = requireAuth(request);
        await deleteUser(ctx, actor, session.tenantId, request.params.id);
        return reply.status(204).send();
      },
    );
  };
}
