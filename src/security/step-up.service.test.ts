import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTenantWithAdmin,
  expectAppError,
  PASSWORD,
  type TenantFixture,
} from "../../test/directory-fixtures.js";
import { setMfaState, totpCode } from "../../test/signin-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { MINUTE } from "../shared/clock.js";
import { activateTotpMethod, startTotpEnrolment } from "./mfa-method.service.js";
import { completeMfaSignIn } from "./mfa-signin.service.js";
import type { Session } from "./session.js";
import { authenticateAccessToken } from "./session.service.js";
import type { SignInResult } from "./signin.js";
import { signIn } from "./signin.service.js";
import { assertStepUp } from "./step-up.service.js";

const ADDRESS = "192.0.2.10";

describe.each(TEST_ENGINES)("step-up before destructive work on %s", (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  async function sessionOf(result: SignInResult): Promise<Session> {
    if (result.kind !== "signedIn" && result.kind !== "mfaRegistrationRequired") {
      throw new Error(`expected a token, got ${result.kind}`);
    }
    return authenticateAccessToken(t, result.accessToken);
  }

  const passwordSignIn = (org: TenantFixture) =>
    signIn(t, {
      userPrincipalName: `admin@${org.domain}`,
      password: PASSWORD,
      sourceAddress: ADDRESS,
    });

  /** Gives the tenant's admin an active TOTP method; returns its secret. */
  async function enrolAdmin(org: TenantFixture): Promise<string> {
    const { id, secretKey } = await startTotpEnrolment(t, org.adminActor);
    await activateTotpMethod(t, org.adminActor, id, totpCode(t, secretKey));
    t.clock.advance(30_000);
    return secretKey;
  }

  it("lets a fresh password sign-in through when the user has no method", async () => {
    const org = await createTenantWithAdmin(t);
    const session = await sessionOf(await passwordSignIn(org));
    await expect(assertStepUp(t, session)).resolves.toBeUndefined();
  });

  it("refuses a password sign-in 11 minutes old with StepUpRequired", async () => {
    const org = await createTenantWithAdmin(t);
    const session = await sessionOf(await passwordSignIn(org));
    t.clock.advance(11 * MINUTE);
    const error = await expectAppError(assertStepUp(t, session), "StepUpRequired", "Forbidden");
    expect(error.details).toEqual({ windowMinutes: 10 });
  });

  it("refuses a fresh password-only session of a user who has a method", async () => {
    const org = await createTenantWithAdmin(t);
    await enrolAdmin(org);
    const session = await sessionOf(await passwordSignIn(org));
    await expectAppError(assertStepUp(t, session), "StepUpRequired");
  });

  it("lets a fresh sign-in with the second factor through", async () => {
    const org = await createTenantWithAdmin(t);
    const secret = await enrolAdmin(org);
    await setMfaState(t, org, org.admin.id, "enforced");
    const first = await passwordSignIn(org);
    if (first.kind !== "mfaRequired") throw new Error(`expected MFA, got ${first.kind}`);
    const result = await completeMfaSignIn(t, {
      challengeId: first.challengeId,
      code: totpCode(t, secret),
      sourceAddress: ADDRESS,
    });
    const session = await sessionOf(result);
    await expect(assertStepUp(t, session)).resolves.toBeUndefined();
    t.clock.advance(11 * MINUTE);
    await expectAppError(assertStepUp(t, session), "StepUpRequired");
  });

  it("refuses a registration-only session", async () => {
    const org = await createTenantWithAdmin(t);
    await setMfaState(t, org, org.admin.id, "enabled");
    const session = await sessionOf(await passwordSignIn(org));
    expect(session.kind).toBe("mfaRegistration");
    await expectAppError(assertStepUp(t, session), "StepUpRequired");
  });
});
