import type { FastifyPluginAsync } from "fastify";
import type { AppContext } from "../shared/app-context.js";

/** App registrations under /v1.0/applications (Graph's shapes). */
export function applicationsRoutes(_ctx: AppContext): FastifyPluginAsync {
  return async () => undefined;
}
