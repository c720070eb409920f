import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { authenticator } from "otplib";
import { expect } from "vitest";
import { setPerUserMfaState } from "../src/directory/index.js";
import type { PerUserMfaState } from "../src/directory/user.js";
import { OPERATOR, PASSWORD, type TenantFixture } from "./directory-fixtures.js";
import type { TestContext } from "./test-context.js";

/**
 * Helpers for sign-in and MFA tests over in-process HTTP. TOTP codes come from otplib, an
 * implementation independent of the otpauth library the server uses.
 */

let addressCounter = 0;

/** A source address no other request of this process used: keeps address throttling apart. */
export function uniqueAddress(): string {
  addressCounter += 1;
  return `10.${(addressCounter >> 16) & 255}.${(addressCounter >> 8) & 255}.${addressCounter & 255}`;
}

export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

export async function postJson(
  app: FastifyInstance,
  url: string,
  payload: object,
  options: { token?: string; address?: string } = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: "POST",
    url,
    payload,
    remoteAddress: options.address ?? uniqueAddress(),
    headers: options.token ? bearer(options.token) : {},
  });
}

export async function signInOverHttp(
  app: FastifyInstance,
  userPrincipalName: string,
  password: string = PASSWORD,
  address?: string,
): Promise<LightMyRequestResponse> {
  return postJson(app, "/auth/signin", { userPrincipalName, password }, { address });
}

/** Signs in without MFA and returns the full access token. */
export async function accessTokenFor(app: FastifyInstance, upn: string): Promise<string> {
  const response = await signInOverHttp(app, upn);
  expect(response.statusCode).toBe(200);
  const token = response.json().accessToken;
  expect(typeof token).toBe("string");
  return token;
}

/** The TOTP code of `secret` at the clock's time moved by `steps` 30-second steps. */
export function totpCode(t: TestContext, secret: string, steps = 0): string {
  return authenticator
    .clone({ epoch: t.clock.now().getTime() + steps * 30_000, step: 30, digits: 6 })
    .generate(secret);
}

export async function setMfaState(
  t: TestContext,
  org: Pick<TenantFixture, "tenantId">,
  userId: string,
  state: PerUserMfaState,
): Promise<void> {
  await setPerUserMfaState(t, OPERATOR, org.tenantId, userId, state);
}

/**
 * Enrols and activates a TOTP method with `token` (full or MFA-registration), then moves the clock
 * one step on, so that the activation's code is spent and the next code is fresh.
 */
export async function enrolTotp(
  t: TestContext,
  app: FastifyInstance,
  token: string,
): Promise<{ id: string; secretKey: string }> {
  const started = await postJson(app, "/v1.0/me/authentication/softwareOathMethods", {}, { token });
  expect(started.statusCode).toBe(201);
  const { id, secretKey } = started.json();
  const verified = await postJson(
    app,
    `/v1.0/me/authentication/softwareOathMethods/${id}/verify`,
    { code: totpCode(t, secretKey) },
    { token },
  );
  expect(verified.statusCode).toBe(200);
  t.clock.advance(30_000);
  return { id, secretKey };
}

/** Signs in with password and TOTP (the user must have an active method); the access token. */
export async function signInWithTotp(
  t: TestContext,
  app: FastifyInstance,
  upn: string,
  secretKey: string,
): Promise<string> {
  const first = await signInOverHttp(app, upn);
  expect(first.json().mfaRequired).toBe(true);
  const second = await postJson(app, "/auth/signin/mfa", {
    challengeId: first.json().challengeId,
    code: totpCode(t, secretKey),
  });
  expect(second.statusCode).toBe(200);
  return second.json().accessToken;
}
