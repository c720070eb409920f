import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, collect, runTenantry, startTenantry } from "../../test/cli-runner.js";
import { createTestDatabase, type TestDatabase } from "../../test/test-context.js";
import {
  HAS_OPENSSL,
  httpsRequest,
  makeSelfSignedCertificate,
  readPem,
} from "../../test/tls-fixtures.js";

// TLS is transport only, independent of the engine: these run on SQLite.
describe("tenantry serve --tls-cert --tls-key", () => {
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;
  let dir: string;

  beforeAll(async () => {
    database = await createTestDatabase("sqlite");
    env = cliEnv({ TENANTRY_DATA_DIR: database.dataDir });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tenantry-tls-"));
    fs.writeFileSync(path.join(dir, "garbage.pem"), "not a certificate\n");
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await database.drop();
  });

  it.skipIf(!HAS_OPENSSL)(
    "serves /healthz over HTTPS with the given certificate and stops with exit 0 (needs openssl)",
    async () => {
      const { certFile, keyFile } = makeSelfSignedCertificate(dir);
      const args = ["serve", "--port", "0", "--tls-cert", certFile, "--tls-key", keyFile];
      const child = startTenantry(args, env);
      const { output, exited } = collect(child);
      try {
        const url = await waitForHttpsUrl(output);
        const res = await httpsRequest(`${url}/healthz`, readPem(certFile));
        expect(res).toEqual({ status: 200, body: { status: "ok" }, authorized: true });
      } finally {
        child.kill("SIGTERM");
      }
      expect((await exited).code).toBe(0);
    },
  );

  it.each([["serve"], ["start"]])(
    "%s refuses --tls-cert without --tls-key as a usage error (exit 2)",
    async (command) => {
      const result = await runTenantry([command, "--tls-cert", path.join(dir, "garbage.pem")], env);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        "tenantry: INVALID_USAGE: --tls-cert and --tls-key go together",
      );
    },
  );

  it("refuses a certificate file that cannot be read with exit 2, naming the file", async () => {
    const missing = path.join(dir, "missing.pem");
    const result = await runTenantry(
      ["serve", "--tls-cert", missing, "--tls-key", path.join(dir, "garbage.pem")],
      env,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `tenantry: TLS_FILE_UNREADABLE: --tls-cert: cannot read ${missing}`,
    );
  });

  it("refuses files that are not a PEM certificate and key with exit 2", async () => {
    const garbage = path.join(dir, "garbage.pem");
    const result = await runTenantry(["serve", "--tls-cert", garbage, "--tls-key", garbage], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("tenantry: TLS_CERTIFICATE_INVALID:");
  });
});

/** Polls the server's log (stderr) for the https URL it listens on. */
async function waitForHttpsUrl(output: { stderr: string }, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = /"url":"(https:\/\/[^"]+)"/.exec(output.stderr);
    if (match?.[1]) return match[1];
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the server did not report an https URL in time; stderr:\n${output.stderr}`);
}
