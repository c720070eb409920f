import { Type, type TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyPluginAsync } from "fastify";
import { createUser, deleteUser, getUser, listUsers, updateUser } from "../directory/index.js";
import type { AppContext } from "../shared/app-context.js";
import { authenticate, requireAuth } from "./authenticate.js";
import { toGraphUser, userContext } from "./graph-user.js";
import { baseUrl } from "./odata.js";

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
const ListQuery = Type.Object({
  $top: Type.Optional(Type.Integer({ minimum: 1, maximum: 999 })),
  $skiptoken: Type.Optional(Type.String({ maxLength: 512 })),
});

/**
 * Users under /v1.0/users in Graph's shapes: create (201), read by id or UPN, update (204),
 * soft delete to the recycle bin (204), a page of users with `@odata.nextLink`, and `/me`.
 */
export function usersRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (root) => {
    const app = root.withTypeProvider<TypeBoxTypeProvider>();
    const auth = { preHandler: authenticate(ctx) };

    app.get("/v1.0/me", auth, async (request) => {
      const { actor, session } = requireAuth(request);
      const user = await getUser(ctx, actor, session.tenantId, session.subjectId);
      return { "@odata.context": userContext(request, true), ...toGraphUser(user) };
    });

    app.get("/v1.0/users", { ...auth, schema: { querystring: ListQuery } }, async (request) => {
      const { actor, session } = requireAuth(request);
      const page = await listUsers(ctx, actor, session.tenantId, {
        limit: request.query.$top ?? 100,
        cursor: request.query.$skiptoken,
      });
      const top = request.query.$top ?? 100;
      const next = page.nextCursor
        ? `${baseUrl(request)}/v1.0/users?$top=${top}&$skiptoken=${encodeURIComponent(page.nextCursor)}`
        : undefined;
      return {
        "@odata.context": userContext(request, false),
        ...(next ? { "@odata.nextLink": next } : {}),
        value: page.users.map(toGraphUser),
      };
    });

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

    app.get("/v1.0/users/:id", { ...auth, schema: { params: UserParams } }, async (request) => {
      const { actor, session } = requireAuth(request);
      const user = await getUser(ctx, actor, session.tenantId, request.params.id);
      return { "@odata.context": userContext(request, true), ...toGraphUser(user) };
    });

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
