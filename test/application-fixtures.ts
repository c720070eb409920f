import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import {
  type Application,
  addApplicationPassword,
  assignApplicationRole,
  createApplication,
  type RoleName,
} from "../src/directory/index.js";
import type { Actor } from "../src/shared/actor.js";
import { OPERATOR, type TenantFixture } from "./directory-fixtures.js";
import type { TestContext } from "./test-context.js";

export interface ApplicationFixture {
  application: Application;
  /** Client id, as the token endpoint takes it. */
  clientId: string;
  /** The secret's text, seen only when it was added. */
  clientSecret: string;
  keyId: string;
  actor: Actor;
}

/** Registers an application (as the tenant's admin) with one secret and the given roles. */
export async function createApplicationWithSecret(
  t: TestContext,
  org: Pick<TenantFixture, "tenantId" | "adminActor">,
  displayName = "Payroll sync",
  roles: readonly RoleName[] = [],
): Promise<ApplicationFixture> {
  const application = await createApplication(t, org.adminActor, org.tenantId, { displayName });
  const secret = await addApplicationPassword(t, org.adminActor, org.tenantId, application.id);
  for (const role of roles) {
    await assignApplicationRole(t, OPERATOR, org.tenantId, application.id, role);
  }
  return {
    application,
    clientId: application.appId,
    clientSecret: secret.secretText,
    keyId: secret.keyId,
    actor: { type: "application", tenantId: org.tenantId, applicationId: application.id },
  };
}

/** POSTs a form-encoded token request. */
export function requestToken(
  app: FastifyInstance,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: "POST",
    url: "/oauth2/v2.0/token",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    payload: new URLSearchParams(form).toString(),
  });
}

/** A client-credentials token for the application, through the HTTP token endpoint. */
export async function applicationAuthorization(
  app: FastifyInstance,
  fixture: Pick<ApplicationFixture, "clientId" | "clientSecret">,
): Promise<{ authorization: string }> {
  const response = await requestToken(app, {
    grant_type: "client_credentials",
    client_id: fixture.clientId,
    client_secret: fixture.clientSecret,
  });
  if (response.statusCode !== 200) throw new Error(`token request failed: ${response.body}`);
  return { authorization: `Bearer ${response.json().access_token}` };
}
