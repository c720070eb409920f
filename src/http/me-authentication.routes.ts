import type { FastifyPluginAsync } from "fastify";
import type { AppContext } from "../shared/app-context.js";

/** The signed-in user's own MFA methods under /v1.0/me/authentication. */
export function meAuthenticationRoutes(_ctx: AppContext): FastifyPluginAsync {
  return async () => undefined;
}
