import type { FastifyPluginAsync } from "fastify";
import type { AppContext } from "../shared/app-context.js";

/** Admins on a user's MFA: /v1.0/users/{id}/authentication/requirements and …/methods. */
export function userAuthenticationRoutes(_ctx: AppContext): FastifyPluginAsync {
  return async () => undefined;
}
