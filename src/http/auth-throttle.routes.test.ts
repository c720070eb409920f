import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenantWithAdmin, createUsers } from "../../test/directory-fixtures.js";
import {
  accessTokenFor,
  enrolTotp,
  postJson,
  setMfaState,
  signInOverHttp,
  uniqueAddress,
} from "../../test/signin-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import {
  ACCOUNT_FREE_FAILURES,
  ADDRESS_FREE_FAILURES,
  THROTTLE_MAX_DELAY_MS,
} from "../security/index.js";
import { buildServer } from "./build-server.js";

const WRONG = "Wrong-Password-123";

describe.each(TEST_ENGINES)("sign-in throttling over HTTP on %s", (engine) => {
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

  /** Fails `count` times for `upn`, each from a new address unless one is given. */
  async function fail(upn: string, count: number, address?: string): Promise<void> {
    for (let i = 0; i < count; i++) {
      const response = await signInOverHttp(app, upn, WRONG, address);
      expect(response.statusCode).toBe(401);
    }
  }

  const retryAfter = (response: LightMyRequestResponse) => Number(response.headers["retry-after"]);

  it("delays an account after its free failures with 429 TooManyRequests and Retry-After", async () => {
    const org = await createTenantWithAdmin(t);
    const upn = `admin@${org.domain}`;
    await fail(upn, ACCOUNT_FREE_FAILURES + 1);
    const response = await signInOverHttp(app, upn, WRONG);
    expect(response.statusCode).toBe(429);
    expect(response.json().error.code).toBe("TooManyRequests");
    expect(response.json().error.innerError["request-id"]).toBe(response.headers["request-id"]);
    expect(retryAfter(response)).toBe(1);
  });

  it("doubles the delay with every further failure", async () => {
    const org = await createTenantWithAdmin(t);
    const upn = `admin@${org.domain}`;
    await fail(upn, ACCOUNT_FREE_FAILURES + 1);
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const refused = await signInOverHttp(app, upn, WRONG);
      delays.push(retryAfter(refused));
      t.clock.advance(retryAfter(refused) * 1000);
      await fail(upn, 1);
    }
    delays.push(retryAfter(await signInOverHttp(app, upn, WRONG)));
    expect(delays).toEqual([1, 2, 4, 8]);
  });

  it("refuses the correct password while the account is delayed", async () => {
    const org = await createTenantWithAdmin(t);
    const upn = `admin@${org.domain}`;
    await fail(upn, ACCOUNT_FREE_FAILURES + 1);
    const response = await signInOverHttp(app, upn);
    expect(response.statusCode).toBe(429);
  });

  it("accepts the correct password once the delay is over", async () => {
    const org = await createTenantWithAdmin(t);
    const upn = `admin@${org.domain}`;
    await fail(upn, ACCOUNT_FREE_FAILURES + 1);
    t.clock.advance(retryAfter(await signInOverHttp(app, upn)) * 1000);
    expect((await signInOverHttp(app, upn)).statusCode).toBe(200);
  });

  it("never delays an account longer than 15 minutes", async () => {
    const org = await createTenantWithAdmin(t);
    const upn = `admin@${org.domain}`;
    await fail(upn, ACCOUNT_FREE_FAILURES + 1);
    for (let i = 0; i < 14; i++) {
      t.clock.advance(retryAfter(await signInOverHttp(app, upn)) * 1000);
      await fail(upn, 1);
    }
    expect(retryAfter(await signInOverHttp(app, upn))).toBe(THROTTLE_MAX_DELAY_MS / 1000);
  });

  it("throttles unknown accounts like known ones", async () => {
    const org = await createTenantWithAdmin(t);
    const upn = `nobody@${org.domain}`;
    await fail(upn, ACCOUNT_FREE_FAILURES + 1);
    expect((await signInOverHttp(app, upn, WRONG)).statusCode).toBe(429);
  });

  it("delays an address that fails across many accounts, and not another address", async () => {
    const org = await createTenantWithAdmin(t);
    const users = await createUsers(t, org, ADDRESS_FREE_FAILURES + 1, "spray");
    const address = uniqueAddress();
    for (const user of users) await fail(user.userPrincipalName, 1, address);
    const refused = await signInOverHttp(app, `admin@${org.domain}`, undefined, address);
    expect(refused.statusCode).toBe(429);
    expect(retryAfter(refused)).toBe(1);
    const elsewhere = await signInOverHttp(app, `admin@${org.domain}`, undefined, uniqueAddress());
    expect(elsewhere.statusCode).toBe(200);
  });

  it("clears an account's failures on a successful sign-in", async () => {
    const org = await createTenantWithAdmin(t);
    const upn = `admin@${org.domain}`;
    await fail(upn, ACCOUNT_FREE_FAILURES);
    expect((await signInOverHttp(app, upn)).statusCode).toBe(200);
    await fail(upn, ACCOUNT_FREE_FAILURES);
    expect((await signInOverHttp(app, upn)).statusCode).toBe(200);
  });

  it("counts wrong second-factor codes against the account", async () => {
    const org = await createTenantWithAdmin(t);
    const upn = `admin@${org.domain}`;
    await enrolTotp(t, app, await accessTokenFor(app, upn));
    await setMfaState(t, org, org.admin.id, "enforced");
    for (let i = 0; i <= ACCOUNT_FREE_FAILURES; i++) {
      const { challengeId } = (await signInOverHttp(app, upn)).json();
      const wrong = await postJson(app, "/auth/signin/mfa", { challengeId, code: "000000" });
      expect(wrong.statusCode).toBe(401);
    }
    expect((await signInOverHttp(app, upn)).statusCode).toBe(429);
  });
});
