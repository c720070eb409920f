import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { exampleCertificateBody } from "../certificate/example-certificate-body.js";
import { ensureSigningKey, signCertificate, verifyCertificate } from "../certificate/index.js";
import { registerErrorHandling } from "./error-handler.js";
import { signingKeysRoutes } from "./signing-keys.routes.js";

const KEYS_URL = "/.well-known/tenantry-signing-keys";

describe.each(TEST_ENGINES)("GET /.well-known/tenantry-signing-keys on %s", (engine) => {
  let t: TestContext;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await createTestContext(engine);
    // Only this route, with the real error handling: build-server.ts registers it for real.
    app = Fastify({ logger: false });
    registerErrorHandling(app, t.clock);
    await app.register(signingKeysRoutes(t));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });
  beforeEach(async () => {
    await t.db.deleteFrom("signing_key").execute();
  });

  it("answers an empty list, without sign-in, before any key exists", async () => {
    const response = await app.inject({ method: "GET", url: KEYS_URL });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ keys: [] });
  });

  it("lists the installation's key with its public parts only", async () => {
    const key = await ensureSigningKey(t, t.db);
    const response = await app.inject({ method: "GET", url: KEYS_URL });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      keys: [
        {
          keyId: key.keyId,
          algorithm: "Ed25519",
          publicKey: key.publicKey,
          createdDateTime: key.createdDateTime,
        },
      ],
    });
    expect(response.body).not.toContain("v1.");
  });

  it("lists a retired key with its retiredDateTime next to the current one", async () => {
    const old = await ensureSigningKey(t, t.db);
    const retiredAt = t.clock.now().toISOString();
    await t.db.updateTable("signing_key").set({ retired_at: retiredAt }).execute();
    t.clock.advance(1000);
    const current = await ensureSigningKey(t, t.db);
    const { keys } = (await app.inject({ method: "GET", url: KEYS_URL })).json();
    expect(keys).toEqual([
      expect.objectContaining({ keyId: old.keyId, retiredDateTime: retiredAt }),
      expect.not.objectContaining({ retiredDateTime: expect.anything() }),
    ]);
    expect(keys[1].keyId).toBe(current.keyId);
  });

  it("serves the keys a certificate of this installation verifies against", async () => {
    const certificate = await signCertificate(t, t.db, exampleCertificateBody());
    const { keys } = (await app.inject({ method: "GET", url: KEYS_URL })).json();
    expect(verifyCertificate(certificate, { trustedKeys: keys })).toEqual({
      valid: true,
      keyId: certificate.keyId,
    });
  });
});
