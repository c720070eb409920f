import { recordAudit } from "../audit/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { AppError } from "../shared/app-error.js";
import { findClientApplication, findClientSecretHashes } from "./client-credentials.repository.js";
import { clientSecretMatches } from "./client-secret.js";
import { issueSession } from "./session.service.js";

/** OAuth 2.0 error codes (RFC 6749 §5.2), used as the AppError code so transports pass them on. */
export const OAUTH_ERROR = {
  INVALID_CLIENT: "invalid_client",
  INVALID_REQUEST: "invalid_request",
  UNSUPPORTED_GRANT_TYPE: "unsupported_grant_type",
} as const;

export interface ClientCredentialsInput {
  clientId: string;
  clientSecret: string;
  /** The HTTP request's id, for the audit entry. */
  requestId?: string | undefined;
}

/** RFC 6749 §5.1's successful token response. */
export interface ClientCredentialsToken {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
}

/** Longer than any secret Tenantry issues; such input is refused without hashing it. */
const MAX_SECRET_LENGTH = 512;

/**
 * The client-credentials grant (RFC 6749 §4.4): an application proves its client id and one of its
 * unexpired secrets and gets a bearer token acting with the application's own roles. Every
 * failure — unknown client, wrong, removed or expired secret, deleted organization — is the same
 * `invalid_client`, so the answer reveals nothing about which part was wrong. Successful and failed
 * requests of a known application are audited (never with the secret).
 */
export async function issueClientCredentialsToken(
  ctx: AppContext,
  input: ClientCredentialsInput,
): Promise<ClientCredentialsToken> {
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const app = await findClientApplication(trx, input.clientId);
    if (!app || app.tenant_state === "deleted") return null;
    const now = ctx.clock.now();
    const actor: Actor = {
      type: "application",
      tenantId: app.tenant_id,
      applicationId: app.id,
      ...(input.requestId ? { requestId: input.requestId } : {}),
    };
    const audit = (outcome: "success" | "failure", details: Record<string, unknown>) =>
      recordAudit(ctx, trx, {
        tenantId: app.tenant_id,
        actor,
        action: "application.token",
        target: { type: "application", id: app.id },
        outcome,
        details,
      });
    const secrets = await findClientSecretHashes(trx, app.tenant_id, app.id);
    const matched =
      input.clientSecret.length > MAX_SECRET_LENGTH
        ? undefined
        : // Every stored hash is compared, in constant time, whichever one matches.
          secrets.filter((s) => clientSecretMatches(input.clientSecret, s.secret_hash))[0];
    if (!matched) {
      await audit("failure", { reason: "secret_invalid" });
      return null;
    }
    if (new Date(matched.end_at).getTime() <= now.getTime()) {
      await audit("failure", { reason: "secret_expired", keyId: matched.key_id });
      return null;
    }
    const issued = await issueSession(ctx, trx, {
      tenantId: app.tenant_id,
      subjectType: "application",
      subjectId: app.id,
      kind: "full",
      userEpoch: 0,
      authenticatedAt: now,
    });
    await audit("success", { keyId: matched.key_id });
    return issued;
  });
  if (!outcome) {
    throw new AppError(
      "Unauthorized",
      OAUTH_ERROR.INVALID_CLIENT,
      "Client authentication failed: unknown client_id, or a wrong, removed or expired client_secret.",
    );
  }
  return { access_token: outcome.accessToken, token_type: "Bearer", expires_in: outcome.expiresIn };
}
