import type { FastifyInstance } from "fastify";
import { buildServer } from "../src/http/build-server.js";
import { issueSession } from "../src/security/index.js";
import type { TestContext } from "./test-context.js";

/** The real HTTP application on the test's store, answering `app.inject()` in-process. */
export function buildTestServer(t: TestContext): Promise<FastifyInstance> {
  return buildServer(t, { logger: false });
}

/**
 * An `Authorization` header for a user, issued directly by the session service: for tests of
 * routes other than sign-in itself. The session counts as a fresh password sign-in.
 */
export async function bearerFor(
  t: TestContext,
  tenantId: string,
  userId: string,
  options: { mfa?: boolean } = {},
): Promise<{ authorization: string }> {
  const row = await t.db
    .selectFrom("app_user")
    .select("security_epoch")
    .where("tenant_id", "=", tenantId)
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
  const issued = await t.db.transaction().execute((trx) =>
    issueSession(t, trx, {
      tenantId,
      subjectType: "user",
      subjectId: userId,
      kind: "full",
      userEpoch: Number(row.security_epoch),
      authenticatedAt: t.clock.now(),
      mfaAt: options.mfa ? t.clock.now() : null,
    }),
  );
  return { authorization: `Bearer ${issued.accessToken}` };
}
