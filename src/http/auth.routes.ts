import type { FastifyPluginAsync } from "fastify";
import type { AppContext } from "../shared/app-context.js";

/** Sign-in, MFA step, sign-out and password change under /auth (SPEC §2). */
export function authRoutes(_ctx: AppContext): FastifyPluginAsync {
  return async () => undefined;
}
