import type { FastifyPluginAsync } from "fastify";
import type { AppContext } from "../shared/app-context.js";

/** Directory roles and their members under /v1.0/directoryRoles (Graph's shapes). */
export function directoryRolesRoutes(_ctx: AppContext): FastifyPluginAsync {
  return async () => undefined;
}
