import type { FastifyReply, FastifyRequest } from "fastify";
import {
  type AuthenticatedSession,
  authenticateAccessToken,
  type Session,
  type SessionKind,
} from "../security/index.js";
import type { Actor } from "../shared/actor.js";
import { findClosedTenantReader } from "../closure/index.js";
import type { AppContext } from "../shared/app-context.js";
import { AppError, forbidden } from "../shared/app-error.js";

/** What a route handler knows about its caller once `authenticate` has run. */
export interface RequestAuth {
  session: Session;
  actor: Actor;
}

declare module "fastify" {
  interface FastifyRequest {
    auth: RequestAuth | null;
    /** Set instead of `auth` on the routes that accept a deleted tenant's closing admin. */
    closedTenantReader: ClosedTenantReader | null;
  }
}

type ClosedTenantReader = NonNullable<Awaited<ReturnType<typeof findClosedTenantReader>>>;

export interface AuthenticateOptions {
  /**
   * Session kinds the route accepts besides `full`: MFA-registration sessions may only enrol a
   * method, password-change sessions only change the password (SPEC §2).
   */
  allow?: readonly SessionKind[];
  /**
   * The closure's status and certificate routes: after the tenant is deleted the closing admin's
   * token still reads them for 7 days (SPEC §6); every other route answers it 401.
   */
  allowClosedTenantReader?: boolean;
}

/**
 * A preHandler that turns `Authorization: Bearer <token>` into `request.auth`, or answers 401.
 * Restricted sessions get 403 `RegistrationOnlySession` outside the routes that accept them.
 */
export function authenticate(ctx: AppContext, options: AuthenticateOptions = {}) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const header = request.headers.authorization ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      throw new AppError(
        "Unauthorized",
        "InvalidAuthenticationToken",
        "Access token is empty: send Authorization: Bearer <token> (POST /auth/signin gives one).",
      );
    }
    const token = match[1];
    const session = await authenticateAccessToken(ctx, token).catch(async (error: unknown) => {
      const reader = options.allowClosedTenantReader
        ? await findClosedTenantReader(ctx, token)
        : undefined;
      if (!reader) throw error;
      request.closedTenantReader = reader;
      return null;
    });
    if (session === null) return;
    if (session.kind !== "full" && !options.allow?.includes(session.kind)) {
      throw forbidden(
        session.kind === "mfaRegistration"
          ? "RegistrationOnlySession"
          : "PasswordChangeOnlySession",
        session.kind === "mfaRegistration"
          ? "This session may only register an MFA method; register one, then sign in again."
          : "This session may only change the password.",
      );
    }
    request.auth = { session, actor: actorOf(session, request.id) };
  };
}

/** The caller of an authenticated route; throws if the route forgot `authenticate`. */
export function requireAuth(request: FastifyRequest): RequestAuth {
  if (!request.auth) throw new Error(`route ${request.url} used requireAuth without authenticate`);
  return request.auth;
}

function actorOf(session: AuthenticatedSession, requestId: string): Actor {
  return session.subjectType === "user"
    ? {
        type: "user",
        tenantId: session.tenantId,
        userId: session.subjectId,
        requestId,
        sessionId: session.id,
        sessionRoleTemplateIds: session.subjectRoleTemplateIds,
      }
    : {
        type: "application",
        tenantId: session.tenantId,
        applicationId: session.subjectId,
        requestId,
        sessionId: session.id,
      };
}
