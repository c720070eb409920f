import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTenantWithAdmin,
  createUserWithRoles,
  OPERATOR,
  PASSWORD,
} from "../../test/directory-fixtures.js";
import { accessTokenFor, bearer, postJson, signInOverHttp } from "../../test/signin-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { deleteUser, removeRole, updateUser } from "../directory/index.js";
import { buildServer } from "./build-server.js";

/** SPEC §2: tokens die at once when their user is deleted, disabled, loses a role or changes password. */
describe.each(TEST_ENGINES)(
  "access tokens end with their user's security events on %s",
  (engine) => {
    let t: TestContext;
    let app: FastifyInstance;
    beforeAll(async () => {
      t = await createTestContext(engine);
      app = await buildServer(t, { logger: false });
    });
    afterAll(async () => {
      await app.close();
      await t.close();
    });

    /** A signed-in Authentication Administrator and the status of a request with their token. */
    async function signedInHelper() {
      const org = await createTenantWithAdmin(t);
      const { user } = await createUserWithRoles(
        t,
        org,
        "helper",
        ["authenticationAdministrator"],
        {
          password: PASSWORD,
        },
      );
      const token = await accessTokenFor(app, user.userPrincipalName);
      const status = async () =>
        (
          await app.inject({
            method: "GET",
            url: `/v1.0/users/${user.id}/authentication/requirements`,
            headers: bearer(token),
          })
        ).statusCode;
      expect(await status()).toBe(200);
      return { org, user, token, status };
    }

    it("refuses the token of a user moved to the recycle bin", async () => {
      const { org, user, status } = await signedInHelper();
      await deleteUser(t, org.adminActor, org.tenantId, user.id);
      expect(await status()).toBe(401);
    });

    it("refuses the token of a disabled user", async () => {
      const { org, user, status } = await signedInHelper();
      await updateUser(t, org.adminActor, org.tenantId, user.id, { accountEnabled: false });
      expect(await status()).toBe(401);
    });

    it("refuses the token of a user who lost a role", async () => {
      const { org, user, status } = await signedInHelper();
      await removeRole(t, org.adminActor, org.tenantId, user.id, "authenticationAdministrator");
      expect(await status()).toBe(401);
    });

    it("refuses the token of a user whose password an admin changed", async () => {
      const { org, user, status } = await signedInHelper();
      await updateUser(t, OPERATOR, org.tenantId, user.id, { password: "Another-Long-Secret-77" });
      expect(await status()).toBe(401);
    });

    it("refuses the older tokens of a user who completed a required password change", async () => {
      const { org, user, status } = await signedInHelper();
      await updateUser(t, OPERATOR, org.tenantId, user.id, { forceChangePasswordNextSignIn: true });
      expect(await status()).toBe(200);
      const { changeToken } = (await signInOverHttp(app, user.userPrincipalName)).json();
      const changed = await postJson(app, "/auth/password", {
        changeToken,
        newPassword: "Another-Long-Secret-77",
      });
      expect(changed.statusCode).toBe(200);
      expect(await status()).toBe(401);
      const reused = await postJson(app, "/auth/password", {
        changeToken,
        newPassword: "Yet-Another-Secret-88",
      });
      expect(reused.statusCode).toBe(401);
    });

    it("answers 401 InvalidAuthenticationToken in Graph's shape", async () => {
      const { org, user, token } = await signedInHelper();
      await deleteUser(t, org.adminActor, org.tenantId, user.id);
      const response = await app.inject({
        method: "GET",
        url: "/v1.0/me/authentication/softwareOathMethods",
        headers: bearer(token),
      });
      expect(response.statusCode).toBe(401);
      expect(response.headers["www-authenticate"]).toBe("Bearer");
      expect(response.json().error.code).toBe("InvalidAuthenticationToken");
    });
  },
);
