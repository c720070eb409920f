import fs from "node:fs";
import path from "node:path";
import { Command } from "commander";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../../test/test-context.js";
import { exampleCertificateBody } from "../../certificate/example-certificate-body.js";
import { type SignedCertificate, signCertificate } from "../../certificate/index.js";
import { signingKeysRoutes } from "../../http/signing-keys.routes.js";
import { isAppError } from "../../shared/app-error.js";
import { exitCodeForKind } from "../exit-codes.js";
import { registerCertificateCommands } from "./certificate.js";

interface Run {
  exitCode: number;
  stdout: string;
  /** The failure's code, as run-cli.ts would print it. */
  code?: string;
  message?: string;
}

/**
 * Runs `tenantry certificate …` in-process, as run-cli.ts does: the program with the global
 * --json flag, failures mapped to exit codes by exit-codes.ts. (The binary runs it the same way
 * once program.ts lists the group.)
 */
async function tenantry(args: string[]): Promise<Run> {
  const program = new Command("tenantry").option("--json").exitOverride();
  registerCertificateCommands(program);
  let stdout = "";
  const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(args, { from: "user" });
    return { exitCode: 0, stdout };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return {
      exitCode: exitCodeForKind(error.kind),
      stdout,
      code: error.code,
      message: error.message,
    };
  } finally {
    write.mockRestore();
  }
}

describe.each(TEST_ENGINES)("tenantry certificate verify on %s", (engine) => {
  let t: TestContext;
  let server: FastifyInstance;
  let url: string;
  let certificate: SignedCertificate;
  let files = 0;

  /** Writes a file into the test's data directory and returns its path. */
  function certificateFile(content: unknown): string {
    files += 1;
    const file = path.join(t.config.dataDir, `certificate-${files}.json`);
    fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
    return file;
  }

  beforeAll(async () => {
    t = await createTestContext(engine);
    certificate = await signCertificate(t, t.db, exampleCertificateBody());
    server = Fastify({ logger: false });
    await server.register(signingKeysRoutes(t));
    url = await server.listen({ host: "127.0.0.1", port: 0 });
  });
  afterAll(async () => {
    await server.close();
    await t.close();
  });

  it("exits 0 on a valid certificate and names tenant, domain, completion, key and VALID", async () => {
    const run = await tenantry(["certificate", "verify", certificateFile(certificate)]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("Tenant:     0195a3c2-7d4e-7b21-9c3a-5e8f1d2b4a60");
    expect(run.stdout).toContain("(contoso.onmicrosoft.com)");
    expect(run.stdout).toContain("Completed:  2025-03-31T10:09:45.000Z");
    expect(run.stdout).toContain(`Key:        ${certificate.keyId} (Ed25519; not checked`);
    expect(run.stdout).toContain("Signature:  VALID");
  });

  it("prints one JSON document with --json", async () => {
    const run = await tenantry(["--json", "certificate", "verify", certificateFile(certificate)]);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      valid: true,
      tenantId: "0195a3c2-7d4e-7b21-9c3a-5e8f1d2b4a60",
      initialDomain: "contoso.onmicrosoft.com",
      completedDateTime: "2025-03-31T10:09:45.000Z",
      keyId: certificate.keyId,
      keyListedAt: null,
    });
  });

  it("exits 3 with CERTIFICATE_INVALID on a tampered certificate and says why", async () => {
    const tampered = certificateFile({ ...certificate, erased: { app_user: 1 } });
    const run = await tenantry(["certificate", "verify", tampered]);
    expect(run.exitCode).toBe(3);
    expect(run.code).toBe("CERTIFICATE_INVALID");
    expect(run.message).toContain("the certificate was changed after it was signed");
    expect(run.stdout).toContain("Signature:  INVALID: The signature does not hold");
  });

  it("prints nothing itself for an invalid certificate with --json: the error is the document", async () => {
    const tampered = certificateFile({ ...certificate, tenantId: "someone-else" });
    const run = await tenantry(["--json", "certificate", "verify", tampered]);
    expect(run.exitCode).toBe(3);
    expect(run.code).toBe("CERTIFICATE_INVALID");
    expect(run.stdout).toBe("");
  });

  it("exits 2 when the file is missing or not JSON", async () => {
    const missing = await tenantry(["certificate", "verify", path.join(t.config.dataDir, "none")]);
    expect(missing).toMatchObject({ exitCode: 2, code: "CERTIFICATE_FILE_UNREADABLE" });
    const garbled = await tenantry(["certificate", "verify", certificateFile("{not json")]);
    expect(garbled).toMatchObject({ exitCode: 2, code: "CERTIFICATE_FILE_INVALID" });
  });

  it("exits 0 with --url when the server lists the certificate's key", async () => {
    const file = certificateFile(certificate);
    const run = await tenantry(["--json", "certificate", "verify", file, "--url", `${url}/`]);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      valid: true,
      keyId: certificate.keyId,
      keyListedAt: `${url}/.well-known/tenantry-signing-keys`,
    });
  });

  it("exits 3 with --url when another installation signed it, though it verifies offline", async () => {
    const elsewhere = await createTestContext(engine);
    try {
      const foreign = await signCertificate(elsewhere, elsewhere.db, exampleCertificateBody());
      const file = certificateFile(foreign);
      expect((await tenantry(["certificate", "verify", file])).exitCode).toBe(0);
      const run = await tenantry(["certificate", "verify", file, "--url", url]);
      expect(run.exitCode).toBe(3);
      expect(run.message).toContain(`Its key ${foreign.keyId} is not among the trusted`);
    } finally {
      await elsewhere.close();
    }
  });

  it("exits 1 with SIGNING_KEYS_UNAVAILABLE when the server does not answer with keys", async () => {
    const file = certificateFile(certificate);
    const run = await tenantry(["certificate", "verify", file, "--url", `${url}/no-such-prefix`]);
    expect(run).toMatchObject({ exitCode: 1, code: "SIGNING_KEYS_UNAVAILABLE" });
    expect(run.message).toContain("answered 404");
  });

  it("exits 1 with SIGNING_KEYS_UNAVAILABLE when nothing listens at --url", async () => {
    const gone = Fastify({ logger: false });
    const goneUrl = await gone.listen({ host: "127.0.0.1", port: 0 });
    await gone.close();
    const run = await tenantry([
      "certificate",
      "verify",
      certificateFile(certificate),
      "--url",
      goneUrl,
    ]);
    expect(run).toMatchObject({ exitCode: 1, code: "SIGNING_KEYS_UNAVAILABLE" });
    expect(run.message).toContain("ECONNREFUSED");
  });

  it("exits 2 when --url is not an http(s) address, before reading anything", async () => {
    const run = await tenantry(["certificate", "verify", "unused.json", "--url", "ftp://x"]);
    expect(run).toMatchObject({ exitCode: 2, code: "CERTIFICATE_URL_INVALID" });
  });
});
