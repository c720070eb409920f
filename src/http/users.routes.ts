import type { FastifyPluginAsync } from "fastify";
import type { AppContext } from "../shared/app-context.js";

/** Users under /v1.0/users (Graph's shapes). */
export function usersRoutes(_ctx: AppContext): FastifyPluginAsync {
  return async () => undefined;
}
