import fs from "node:fs";
import path from "node:path";
import { authenticator } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CliServer,
  DEMO_ADMIN,
  DEMO_PASSWORD,
  parseJson,
  startCliServer,
} from "../../test/cli-server.js";
import { TEST_ENGINES } from "../../test/test-context.js";

/** Issue 8: signing the CLI in and out, profiles, and how it reports failures. */
describe.each(TEST_ENGINES)("tenantry login, whoami and logout on %s", (engine) => {
  let server: CliServer;

  beforeAll(async () => {
    server = await startCliServer(engine, { demoUsers: 5 });
  }, 120_000);
  afterAll(async () => {
    await server.stop();
  });

  const profileFile = (name: string) =>
    path.join(server.configHome, "config", "tenantry", `${name}.json`);

  it("signs in with --password-stdin and keeps the token in a file of mode 0600 under XDG_CONFIG_HOME", async () => {
    const result = await server.run(
      ["login", "--url", server.url, "--user", DEMO_ADMIN, "--password-stdin", "--json"],
      { input: `${DEMO_PASSWORD}\n` },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(parseJson(result)).toMatchObject({
      profile: "default",
      url: server.url,
      userPrincipalName: DEMO_ADMIN,
    });
    expect(result.stdout).not.toContain("accessToken");
    const stat = fs.statSync(profileFile("default"));
    expect(stat.mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(profileFile("default"), "utf8")).accessToken).toEqual(
      expect.any(String),
    );
  });

  it("whoami prints the API's own /me JSON with --json, and a line for people without", async () => {
    const json = await server.run(["whoami", "--json"]);
    expect(json.code, json.stderr).toBe(0);
    expect(parseJson(json)).toMatchObject({
      userPrincipalName: DEMO_ADMIN,
      id: expect.any(String),
    });
    const human = await server.run(["whoami"]);
    expect(human.stdout).toContain(`${DEMO_ADMIN} (Contoso Admin`);
  });

  it("keeps profiles apart: --profile names another file, and an unknown profile is not signed in (exit 1)", async () => {
    const other = await server.run(["whoami", "--profile", "staging"]);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain("tenantry: NOT_SIGNED_IN:");
    expect(other.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(profileFile("staging"))).toBe(false);
  });

  it("uses TENANTRY_URL and TENANTRY_TOKEN for scripts, without a profile", async () => {
    const token = JSON.parse(fs.readFileSync(profileFile("default"), "utf8")).accessToken as string;
    const result = await server.run(["whoami", "--json", "--profile", "ci"], {
      env: { TENANTRY_URL: server.url, TENANTRY_TOKEN: token },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(parseJson(result).userPrincipalName).toBe(DEMO_ADMIN);
  });

  it("refuses a wrong password with the server's code and exit 1, keeping no profile", async () => {
    const result = await server.run(
      [
        "login",
        "--url",
        server.url,
        "--user",
        DEMO_ADMIN,
        "--password-stdin",
        "--profile",
        "wrong",
        "--json",
      ],
      { input: "not-the-password\n" },
    );
    expect(result.code).toBe(1);
    expect(parseJson<{ error: { code: string } }>(result).error.code).toBe("InvalidCredentials");
    expect(fs.existsSync(profileFile("wrong"))).toBe(false);
  });

  it("does not prompt when not on a terminal: login without --password-stdin is a usage error (exit 2)", async () => {
    const result = await server.run([
      "login",
      "--url",
      server.url,
      "--user",
      DEMO_ADMIN,
      "--profile",
      "x",
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("tenantry: PROMPT_NEEDS_TERMINAL:");
  });

  it("answers in Chinese when the locale is zh_CN", async () => {
    const result = await server.run(["whoami", "--profile", "nobody"], {
      env: { LANG: "zh_CN.UTF-8" },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("尚未登录");
  });

  it("reports an unreachable server as a failure (exit 1) naming it", async () => {
    const result = await server.run(["whoami"], {
      env: { TENANTRY_URL: "http://127.0.0.1:9", TENANTRY_TOKEN: "x" },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "tenantry: SERVER_UNREACHABLE: Cannot reach http://127.0.0.1:9",
    );
  });

  it("asks for the MFA code when the user has an authenticator: the code on stdin's second line", async () => {
    const secret = await enrolAuthenticator();
    const enforced = await server.run(["mfa", "set", DEMO_ADMIN, "enforced"]);
    expect(enforced.code, enforced.stderr).toBe(0);
    const login = (input: string, profile: string) =>
      server.run(
        [
          "login",
          "--url",
          server.url,
          "--user",
          DEMO_ADMIN,
          "--password-stdin",
          "--profile",
          profile,
          "--json",
        ],
        {
          input,
        },
      );
    const withoutCode = await login(`${DEMO_PASSWORD}\n`, "mfa-none");
    expect(withoutCode.code).toBe(2);
    expect(parseJson<{ error: { code: string } }>(withoutCode).error.code).toBe(
      "MFA_CODE_REQUIRED",
    );
    const wrongCode = await login(`${DEMO_PASSWORD}\n000000\n`, "mfa-wrong");
    expect(wrongCode.code).toBe(1);
    expect(fs.existsSync(profileFile("mfa-wrong"))).toBe(false);
    // The enrolment used this 30-second step's code; a code is accepted once, so use the next one.
    const code = authenticator
      .clone({ epoch: Date.now() + 30_000, step: 30, digits: 6 })
      .generate(secret);
    const signedIn = await login(`${DEMO_PASSWORD}\n${code}\n`, "mfa");
    expect(signedIn.code, signedIn.stdout + signedIn.stderr).toBe(0);
    const me = await server.run(["whoami", "--json", "--profile", "mfa"]);
    expect(parseJson(me).userPrincipalName).toBe(DEMO_ADMIN);
  });

  it("logout revokes the token on the server and removes the profile file", async () => {
    const token = JSON.parse(fs.readFileSync(profileFile("default"), "utf8")).accessToken as string;
    const result = await server.run(["logout"]);
    expect(result.code, result.stderr).toBe(0);
    expect(fs.existsSync(profileFile("default"))).toBe(false);
    const reuse = await server.run(["whoami", "--json"], {
      env: { TENANTRY_URL: server.url, TENANTRY_TOKEN: token },
    });
    expect(reuse.code).toBe(1);
    expect(parseJson<{ error: { code: string } }>(reuse).error.code).toBe(
      "InvalidAuthenticationToken",
    );
  });

  /** Registers an authenticator app for the admin through the API; returns its secret. */
  async function enrolAuthenticator(): Promise<string> {
    const token = JSON.parse(fs.readFileSync(profileFile("default"), "utf8")).accessToken as string;
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const methods = `${server.url}/v1.0/me/authentication/softwareOathMethods`;
    const started = await fetch(methods, { method: "POST", headers, body: "{}" });
    expect(started.status).toBe(201);
    const { id, secretKey } = (await started.json()) as { id: string; secretKey: string };
    const code = authenticator.clone({ step: 30, digits: 6 }).generate(secretKey);
    const verified = await fetch(`${methods}/${id}/verify`, {
      method: "POST",
      headers,
      body: JSON.stringify({ code }),
    });
    expect(verified.status).toBe(200);
    return secretKey;
  }
});
