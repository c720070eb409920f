import crypto from "node:crypto";
import { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ClosureTenant, createClosureTenant } from "../../test/closure-fixtures.js";
import { createUserWithRoles } from "../../test/directory-fixtures.js";
import { CLOSURE_CONFIG, driveClosure } from "../../test/guided-closure-fixtures.js";
import { bearerFor, buildTestServer } from "../../test/http-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { verifyExportArchive } from "../backup/index.js";
import { verifyCertificate } from "../certificate/index.js";
import { ClosureWorker, SimulatedCrash } from "../closure/index.js";

/** Issue 7: the guided closure's routes over real HTTP. */

const PATH = "/v1.0/organization/closure";
const DAY = 24 * 3_600_000;

describe.each(TEST_ENGINES)("guided closure routes on %s", (engine) => {
  let t: TestContext;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await createTestContext(engine, { config: CLOSURE_CONFIG });
    app = await buildTestServer(t);
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  async function setUp(): Promise<{ c: ClosureTenant; headers: Record<string, string> }> {
    const c = await createClosureTenant(t);
    return { c, headers: await bearerFor(t, c.org.tenantId, c.org.admin.id, { mfa: true }) };
  }

  const start = (headers: Record<string, string>, payload: object) =>
    app.inject({ method: "POST", url: PATH, headers, payload });
  const get = (headers: Record<string, string>, suffix = "") =>
    app.inject({ method: "GET", url: `${PATH}${suffix}`, headers });

  it("starts with 202, answers a second start with the same operation and 200", async () => {
    const { c, headers } = await setUp();
    const body = { confirmDomain: c.org.domain, reason: "unused", feedback: "bye" };
    const first = await start(headers, body);
    expect(first.statusCode, first.body).toBe(202);
    expect(first.json()).toMatchObject({ state: "running", step: "export", blockers: [] });
    const second = await start(headers, body);
    expect(second.statusCode).toBe(200);
    expect(second.json().id).toBe(first.json().id);
    const status = await get(headers);
    expect(status.json().steps).toHaveLength(11);
  });

  it("refuses bad input with 400 and starts nothing", async () => {
    const { c, headers } = await setUp();
    for (const payload of [
      { reason: "unused" },
      { confirmDomain: c.org.domain, reason: "because" },
      { confirmDomain: "other.example", reason: "unused" },
      { confirmDomain: c.org.domain, reason: "unused", export: "yes" },
    ]) {
      const response = await start(headers, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.code).toBeTruthy();
    }
    expect((await get(headers)).statusCode).toBe(404);
  });

  it("needs a fresh sign-in to start", async () => {
    const { c, headers } = await setUp();
    t.clock.advance(11 * 60_000);
    const response = await start(headers, { confirmDomain: c.org.domain, reason: "unused" });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe("StepUpRequired");
  });

  it("serves the archive it made, verifiable and matching its checksum, until cancelled", async () => {
    const { c, headers } = await setUp();
    await start(headers, { confirmDomain: c.org.domain, reason: "unused" });
    // Workers stopped right after an export (other tests' closures share this store).
    let status = (await get(headers)).json();
    for (let round = 0; round < 10 && !status.exportUrl; round++) {
      const worker = new ClosureWorker(t, {
        faultPoint: (point) => {
          if (point === "turnOffSync:before") throw new SimulatedCrash(point);
        },
      });
      await worker.runUntilIdle().catch((error: unknown) => {
        if (!(error instanceof SimulatedCrash)) throw error;
      });
      status = (await get(headers)).json();
    }
    expect(status.exportUrl).toBe(`${PATH}/export`);
    const download = await get(headers, "/export");
    expect(download.statusCode).toBe(200);
    expect(download.headers["content-type"]).toBe("application/gzip");
    const bytes = download.rawPayload;
    expect(crypto.createHash("sha256").update(bytes).digest("hex")).toBe(status.exportSha256);
    expect(download.headers.etag).toBe(`"sha256-${status.exportSha256}"`);
    const verification = await verifyExportArchive(Readable.from([bytes]));
    expect(verification.problems).toEqual([]);
    expect(verification.valid).toBe(true);
    const cancelled = await app.inject({ method: "POST", url: `${PATH}/cancel`, headers });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().state).toBe("cancelled");
  });

  it("lets the closing admin's token read status and certificate for 7 days after deletion, and nothing else", async () => {
    const { c, headers } = await setUp();
    const { user: other } = await createUserWithRoles(t, c.org, "ga2", ["globalAdministrator"]);
    const otherHeaders = await bearerFor(t, c.org.tenantId, other.id, { mfa: true });
    await start(headers, { confirmDomain: c.org.domain, reason: "unused" });
    const done = await driveClosure(t, c.org);
    expect(done.state).toBe("completed");

    const status = await get(headers);
    expect(status.statusCode, status.body).toBe(200);
    expect(status.json().state).toBe("completed");
    const certificate = await get(headers, "/certificate");
    expect(certificate.statusCode).toBe(200);
    expect(verifyCertificate(certificate.json()).valid).toBe(true);
    expect((await get(headers, "/export")).statusCode).toBe(401);
    expect((await app.inject({ method: "GET", url: "/v1.0/me", headers })).statusCode).toBe(401);
    expect((await get(otherHeaders)).statusCode).toBe(401);
    const signIn = await app.inject({
      method: "POST",
      url: "/auth/signin",
      payload: { userPrincipalName: c.org.admin.userPrincipalName, password: "x".repeat(12) },
    });
    expect(signIn.statusCode).toBe(401);

    t.clock.advance(7 * DAY + 1000);
    expect((await get(headers)).statusCode).toBe(401);
  });

  it("refuses everyone but a Global Administrator", async () => {
    const { c, headers } = await setUp();
    const { user } = await createUserWithRoles(t, c.org, "billing", ["billingAdministrator"]);
    const billing = await bearerFor(t, c.org.tenantId, user.id, { mfa: true });
    await start(headers, { confirmDomain: c.org.domain, reason: "unused" });
    expect((await get(billing)).statusCode).toBe(403);
    const cancel = await app.inject({ method: "POST", url: `${PATH}/cancel`, headers: billing });
    expect(cancel.statusCode).toBe(403);
    expect((await get(headers)).json().state).toBe("running");
  });
});
