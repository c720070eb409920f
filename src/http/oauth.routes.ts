import type { FastifyPluginAsync } from "fastify";
import type { AppContext } from "../shared/app-context.js";

/** The OAuth 2.0 client-credentials token endpoint, POST /oauth2/v2.0/token. */
export function oauthRoutes(_ctx: AppContext): FastifyPluginAsync {
  return async () => undefined;
}
