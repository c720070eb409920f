import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditEntries,
  createTenantWithAdmin,
  createUserWithRoles,
  expectAuditChainValid,
  PASSWORD,
  type TenantFixture,
} from "../../test/directory-fixtures.js";
import {
  accessTokenFor,
  bearer,
  enrolTotp,
  postJson,
  setMfaState,
  signInOverHttp,
  totpCode,
} from "../../test/signin-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { getUser } from "../directory/index.js";
import { buildServer } from "./build-server.js";

const ME = "/v1.0/me/authentication";

describe.each(TEST_ENGINES)("sign-in with MFA over HTTP on %s", (engine) => {
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

  /** A user with per-user MFA enabled and an active TOTP method. */
  async function mfaUser(alias: string) {
    const org = await createTenantWithAdmin(t);
    const { user } = await createUserWithRoles(t, org, alias, [], { password: PASSWORD });
    const token = await accessTokenFor(app, user.userPrincipalName);
    const method = await enrolTotp(t, app, token);
    await setMfaState(t, org, user.id, "enforced");
    return { org, user, ...method };
  }

  async function challenge(upn: string): Promise<string> {
    const response = await signInOverHttp(app, upn);
    expect(response.json()).toEqual({
      mfaRequired: true,
      challengeId: expect.any(String),
      expiresIn: 300,
    });
    return response.json().challengeId;
  }

  const second = (challengeId: string, code: string) =>
    postJson(app, "/auth/signin/mfa", { challengeId, code });

  it("asks an MFA user for a code after the password, then gives a token for a TOTP code", async () => {
    const { user, secretKey } = await mfaUser("mfa1");
    const response = await second(await challenge(user.userPrincipalName), totpCode(t, secretKey));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ accessToken: expect.any(String), expiresIn: 3600 });
  });

  it("refuses a code that was already used", async () => {
    const { user, secretKey } = await mfaUser("mfa2");
    const code = totpCode(t, secretKey);
    expect((await second(await challenge(user.userPrincipalName), code)).statusCode).toBe(200);
    const replay = await second(await challenge(user.userPrincipalName), code);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe("InvalidMfaCode");
  });

  it("accepts the code of the previous 30-second step", async () => {
    const { user, secretKey } = await mfaUser("mfa3");
    t.clock.advance(90_000);
    const response = await second(
      await challenge(user.userPrincipalName),
      totpCode(t, secretKey, -1),
    );
    expect(response.statusCode).toBe(200);
  });

  it("accepts the code of the next 30-second step", async () => {
    const { user, secretKey } = await mfaUser("mfa4");
    const response = await second(
      await challenge(user.userPrincipalName),
      totpCode(t, secretKey, 1),
    );
    expect(response.statusCode).toBe(200);
  });

  it("refuses the code of two steps ago", async () => {
    const { user, secretKey } = await mfaUser("mfa5");
    t.clock.advance(120_000);
    const response = await second(
      await challenge(user.userPrincipalName),
      totpCode(t, secretKey, -2),
    );
    expect(response.statusCode).toBe(401);
  });

  it("accepts a recovery code once", async () => {
    const { user, secretKey } = await mfaUser("mfa6");
    const token = await (async () => {
      const r = await second(await challenge(user.userPrincipalName), totpCode(t, secretKey));
      return r.json().accessToken as string;
    })();
    const codes = (await postJson(app, `${ME}/recoveryCodes`, {}, { token })).json().value;
    expect(codes).toHaveLength(10);
    const first = await second(await challenge(user.userPrincipalName), codes[0].toUpperCase());
    expect(first.statusCode).toBe(200);
    const again = await second(await challenge(user.userPrincipalName), codes[0]);
    expect(again.statusCode).toBe(401);
  });

  it("replaces the recovery codes with a new set", async () => {
    const org = await createTenantWithAdmin(t);
    const token = await accessTokenFor(app, `admin@${org.domain}`);
    const old = (await postJson(app, `${ME}/recoveryCodes`, {}, { token })).json().value;
    const fresh = (await postJson(app, `${ME}/recoveryCodes`, {}, { token })).json().value;
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(old[0]);
    await enrolTotp(t, app, token);
    await setMfaState(t, org, org.admin.id, "enforced");
    const refused = await second(await challenge(`admin@${org.domain}`), old[1]);
    expect(refused.statusCode).toBe(401);
    const accepted = await second(await challenge(`admin@${org.domain}`), fresh[1]);
    expect(accepted.statusCode).toBe(200);
    const actions = (await auditEntries(t, org.tenantId)).map((e) => e.action);
    expect(actions.filter((a) => a === "mfa.recoveryCodesGenerate")).toHaveLength(2);
  });

  it("kills a challenge after five wrong codes", async () => {
    const { user, secretKey } = await mfaUser("mfa7");
    const id = await challenge(user.userPrincipalName);
    for (let i = 0; i < 5; i++) expect((await second(id, "000000")).statusCode).toBe(401);
    const late = await second(id, totpCode(t, secretKey));
    expect(late.json().error.code).toBe("InvalidMfaChallenge");
  });

  it("audits a failed and a successful second step, and the chain verifies", async () => {
    const { org, user, secretKey } = await mfaUser("mfa8");
    const id = await challenge(user.userPrincipalName);
    await second(id, "000000");
    await second(id, totpCode(t, secretKey));
    const mfa = (await auditEntries(t, org.tenantId)).filter((e) => e.action === "signIn.mfa");
    expect(mfa.map((e) => [e.outcome, e.actor.id])).toEqual([
      ["failure", user.id],
      ["success", user.id],
    ]);
    await expectAuditChainValid(t, org.tenantId);
  });

  describe("registration-only sessions", () => {
    async function registrationToken(org: TenantFixture, alias: string) {
      const { user } = await createUserWithRoles(t, org, alias, [], { password: PASSWORD });
      await setMfaState(t, org, user.id, "enabled");
      const response = await signInOverHttp(app, user.userPrincipalName);
      expect(response.json()).toEqual({
        mfaRegistrationRequired: true,
        accessToken: expect.any(String),
        expiresIn: 600,
      });
      return { user, token: response.json().accessToken as string };
    }

    it("gives an MFA user without a method a session that is refused outside enrolment", async () => {
      const org = await createTenantWithAdmin(t);
      const { user, token } = await registrationToken(org, "reg1");
      const response = await app.inject({
        method: "GET",
        url: `/v1.0/users/${user.id}/authentication/requirements`,
        headers: bearer(token),
      });
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe("RegistrationOnlySession");
    });

    it("lets a registration-only session enrol a method and generate recovery codes", async () => {
      const org = await createTenantWithAdmin(t);
      const { token } = await registrationToken(org, "reg2");
      const list = await app.inject({
        method: "GET",
        url: `${ME}/softwareOathMethods`,
        headers: bearer(token),
      });
      expect(list.statusCode).toBe(200);
      const started = await postJson(app, `${ME}/softwareOathMethods`, {}, { token });
      expect(started.statusCode).toBe(201);
      expect(started.json().otpauthUri).toMatch(/^otpauth:\/\/totp\/Tenantry:reg2%40/);
      expect(started.json().qrCodeSvg).toContain("<svg");
      expect((await postJson(app, `${ME}/recoveryCodes`, {}, { token })).statusCode).toBe(200);
    });

    it("turns an enabled user enforced when a method is activated, and the next sign-in asks for a code", async () => {
      const org = await createTenantWithAdmin(t);
      const { user, token } = await registrationToken(org, "reg3");
      await enrolTotp(t, app, token);
      const after = await getUser(t, org.adminActor, org.tenantId, user.id);
      expect(after.perUserMfaState).toBe("enforced");
      await challenge(user.userPrincipalName);
      const actions = (await auditEntries(t, org.tenantId)).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(["mfa.totpEnrol", "mfa.totpActivate"]));
    });

    it("does not let a registration-only session delete a method", async () => {
      const org = await createTenantWithAdmin(t);
      const { token } = await registrationToken(org, "reg4");
      const { id } = (await postJson(app, `${ME}/softwareOathMethods`, {}, { token })).json();
      const response = await app.inject({
        method: "DELETE",
        url: `${ME}/softwareOathMethods/${id}`,
        headers: bearer(token),
      });
      expect(response.statusCode).toBe(403);
    });
  });

  it("lists a user's methods and deletes one with a full session", async () => {
    const { org, user, secretKey, id } = await mfaUser("mfa9");
    const token = (
      await second(await challenge(user.userPrincipalName), totpCode(t, secretKey))
    ).json().accessToken;
    const list = await app.inject({
      method: "GET",
      url: `${ME}/softwareOathMethods`,
      headers: bearer(token),
    });
    expect(list.json().value).toEqual([expect.objectContaining({ id, status: "active" })]);
    const gone = await app.inject({
      method: "DELETE",
      url: `${ME}/softwareOathMethods/${id}`,
      headers: bearer(token),
    });
    expect(gone.statusCode).toBe(204);
    expect((await auditEntries(t, org.tenantId)).at(-1)?.action).toBe("mfa.totpDelete");
  });

  it("starts an enrolment from a POST without a body", async () => {
    const org = await createTenantWithAdmin(t);
    const token = await accessTokenFor(app, `admin@${org.domain}`);
    const response = await app.inject({
      method: "POST",
      url: `${ME}/softwareOathMethods`,
      headers: bearer(token),
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().secretKey).toMatch(/^[A-Z2-7]{32}$/);
  });

  it("refuses to activate a method with a wrong code", async () => {
    const org = await createTenantWithAdmin(t);
    const token = await accessTokenFor(app, `admin@${org.domain}`);
    const { id } = (await postJson(app, `${ME}/softwareOathMethods`, {}, { token })).json();
    const response = await postJson(
      app,
      `${ME}/softwareOathMethods/${id}/verify`,
      { code: "123456" },
      { token },
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0].code).toBe("MFA_CODE_INVALID");
  });
});
