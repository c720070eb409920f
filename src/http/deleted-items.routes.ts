import type { FastifyPluginAsync } from "fastify";
import type { AppContext } from "../shared/app-context.js";

/** The recycle bin under /v1.0/directory/deletedItems (Graph's shapes). */
export function deletedItemsRoutes(_ctx: AppContext): FastifyPluginAsync {
  return async () => undefined;
}
