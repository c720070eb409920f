import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApplicationWithSecret } from "../../test/application-fixtures.js";
import {
  auditEntries,
  createTenantWithAdmin,
  expectAppError,
} from "../../test/directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { removeApplicationPassword } from "../directory/index.js";
import { DAY } from "../shared/clock.js";
import { issueClientCredentialsToken } from "./client-credentials.service.js";
import { newClientSecret } from "./client-secret.js";
import { authenticateAccessToken } from "./session.service.js";

describe.each(TEST_ENGINES)("client-credentials tokens on %s", (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  it("issues a bearer token that authenticates as the application", async () => {
    const org = await createTenantWithAdmin(t);
    const app = await createApplicationWithSecret(t, org);
    const token = await issueClientCredentialsToken(t, app);
    expect(token).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    const session = await authenticateAccessToken(t, token.access_token);
    expect(session).toMatchObject({
      tenantId: org.tenantId,
      subjectType: "application",
      subjectId: app.application.id,
      kind: "full",
    });
  });

  it("audits a successful request by key id, never with the secret", async () => {
    const org = await createTenantWithAdmin(t);
    const app = await createApplicationWithSecret(t, org);
    await issueClientCredentialsToken(t, app);
    const [entry] = (await auditEntries(t, org.tenantId)).slice(-1);
    expect(entry).toMatchObject({
      action: "application.token",
      outcome: "success",
      actor: { type: "application", id: app.application.id },
      details: { keyId: app.keyId },
    });
    expect(JSON.stringify(entry)).not.toContain(app.clientSecret);
  });

  it("refuses a wrong secret with invalid_client and audits the failure", async () => {
    const org = await createTenantWithAdmin(t);
    const app = await createApplicationWithSecret(t, org);
    const wrong = newClientSecret();
    await expectAppError(
      issueClientCredentialsToken(t, { clientId: app.clientId, clientSecret: wrong }),
      "invalid_client",
      "Unauthorized",
    );
    const [entry] = (await auditEntries(t, org.tenantId)).slice(-1);
    expect(entry).toMatchObject({ action: "application.token", outcome: "failure" });
    expect(JSON.stringify(entry)).not.toContain(wrong);
  });

  it("refuses an unknown client with the same invalid_client", async () => {
    await expectAppError(
      issueClientCredentialsToken(t, {
        clientId: crypto.randomUUID(),
        clientSecret: newClientSecret(),
      }),
      "invalid_client",
    );
  });

  it("refuses a removed secret", async () => {
    const org = await createTenantWithAdmin(t);
    const app = await createApplicationWithSecret(t, org);
    await removeApplicationPassword(t, org.adminActor, org.tenantId, app.application.id, {
      keyId: app.keyId,
    });
    await expectAppError(issueClientCredentialsToken(t, app), "invalid_client");
  });

  it("refuses a secret past its end", async () => {
    const org = await createTenantWithAdmin(t);
    const app = await createApplicationWithSecret(t, org);
    // Time only moves forward; later tests create their own secrets.
    t.clock.advance(181 * DAY);
    await expectAppError(issueClientCredentialsToken(t, app), "invalid_client");
    const [entry] = (await auditEntries(t, org.tenantId)).slice(-1);
    expect(entry?.details).toEqual({ reason: "secret_expired", keyId: app.keyId });
  });

  it("refuses the applications of a deleted organization", async () => {
    const org = await createTenantWithAdmin(t);
    const app = await createApplicationWithSecret(t, org);
    await t.db
      .updateTable("tenant")
      .set({ state: "deleted" })
      .where("id", "=", org.tenantId)
      .execute();
    await expectAppError(issueClientCredentialsToken(t, app), "invalid_client");
  });
});
