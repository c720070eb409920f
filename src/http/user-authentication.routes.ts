import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyPluginAsync } from "fastify";
import { setPerUserMfaState } from "../directory/index.js";
import { getPerUserMfaState, resetMfaMethods } from "../security/index.js";
import type { AppContext } from "../shared/app-context.js";
import { authenticate, requireAuth } from "./authenticate.js";

const UserParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 256 }) });
const MfaState = Type.Union([
  Type.Literal("disabled"),
  Type.Literal("enabled"),
  Type.Literal("enforced"),
]);

/**
 * Admins' view of a user's MFA (Graph beta's `authentication/requirements`): read and set the
 * per-user MFA state, reset the user's methods. Permissions: `mfa.manage` on the target (SPEC §1).
 */
export function userAuthenticationRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const full = { preHandler: authenticate(ctx) };

    app.get(
      "/v1.0/users/:id/authentication/requirements",
      {
        ...full,
        schema: {
          params: UserParams,
          response: { 200: Type.Object({ perUserMfaState: MfaState }) },
        },
      },
      async (request) => {
        const { actor, session } = requireAuth(request);
        const state = await getPerUserMfaState(ctx, actor, session.tenantId, request.params.id);
        return { perUserMfaState: state };
      },
    );

    app.patch(
      "/v1.0/users/:id/authentication/requirements",
      {
        ...full,
        schema: { params: UserParams, body: Type.Object({ perUserMfaState: MfaState }) },
      },
      async (request, reply) => {
        const { actor, session } = requireAuth(request);
        const { id } = request.params;
        await setPerUserMfaState(ctx, actor, session.tenantId, id, request.body.perUserMfaState);
        return reply.status(204).send();
      },
    );

    app.delete(
      "/v1.0/users/:id/authentication/methods",
      { ...full, schema: { params: UserParams } },
      async (request, reply) => {
        const { actor, session } = requireAuth(request);
        await resetMfaMethods(ctx, actor, session.tenantId, request.params.id);
        return reply.status(204).send();
      },
    );
  };
}
