import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { createSecretBox } from "../security/secret-box.js";
import { openStore } from "../store/open-store.js";
import { signCertificate } from "./certificate.service.js";
import { verifyCertificate } from "./certificate-signature.js";
import { exampleCertificateBody } from "./example-certificate-body.js";
import { ensureSigningKey, listSigningKeys, rotateSigningKey } from "./signing-key.service.js";

describe.each(TEST_ENGINES)("the installation's signing key on %s", (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  /** Starts each test with no key at all, as a fresh installation. */
  async function withoutKeys(): Promise<void> {
    await t.db.deleteFrom("signing_key").execute();
  }

  it("is created on first use and the same key is returned afterwards", async () => {
    await withoutKeys();
    const first = await ensureSigningKey(t, t.db);
    const again = await ensureSigningKey(t, t.db);
    expect(again.keyId).toBe(first.keyId);
    expect(again.publicKey).toBe(first.publicKey);
    expect(first).toMatchObject({
      algorithm: "Ed25519",
      createdDateTime: t.clock.now().toISOString(),
    });
    expect(await t.db.selectFrom("signing_key").select("id").execute()).toEqual([
      { id: first.keyId },
    ]);
  });

  it("keeps the private key sealed with the master key, never in the clear", async () => {
    await withoutKeys();
    const key = await ensureSigningKey(t, t.db);
    const row = await t.db.selectFrom("signing_key").selectAll().executeTakeFirstOrThrow();
    const der = key.privateKey.export({ format: "der", type: "pkcs8" });
    expect(row.private_key_sealed).toMatch(/^v1\./);
    for (const encoding of ["base64", "base64url", "hex"] as const) {
      expect(row.private_key_sealed).not.toContain(der.toString(encoding).slice(-40));
    }
    expect(t.secrets.open(row.private_key_sealed)).toEqual(der);
    expect(row.public_key).toBe(key.publicKey);
  });

  it("cannot be used under another master key, and says which key to restore", async () => {
    await withoutKeys();
    await ensureSigningKey(t, t.db);
    const otherMasterKey = { ...t, secrets: createSecretBox(Buffer.alloc(32, 7)) };
    await expect(ensureSigningKey(otherMasterKey, t.db)).rejects.toThrow(
      /cannot be unsealed: is the master key/,
    );
  });

  it("is created within the caller's transaction, and not at all if it rolls back", async () => {
    await withoutKeys();
    const rollback = new Error("roll back");
    await expect(
      t.db.transaction().execute(async (trx) => {
        await ensureSigningKey(t, trx);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(await listSigningKeys(t.db)).toEqual([]);
    const key = await t.db.transaction().execute((trx) => ensureSigningKey(t, trx));
    expect((await listSigningKeys(t.db)).map((k) => k.keyId)).toEqual([key.keyId]);
  });

  it("ends with one current key when requests of one process create it at the same time", async () => {
    await withoutKeys();
    const keys = await Promise.all([
      ensureSigningKey(t, t.db),
      t.db.transaction().execute((trx) => ensureSigningKey(t, trx)),
      ensureSigningKey(t, t.db),
    ]);
    expect(new Set(keys.map((k) => k.keyId)).size).toBe(1);
    expect((await listSigningKeys(t.db)).map((k) => k.keyId)).toEqual([keys[0]?.keyId]);
  });

  it("lists public parts only, retired keys too, and makes a new key once the current one is retired", async () => {
    await withoutKeys();
    const old = await ensureSigningKey(t, t.db);
    t.clock.advance(60_000);
    const retiredAt = t.clock.now().toISOString();
    await t.db.updateTable("signing_key").set({ retired_at: retiredAt }).execute();
    t.clock.advance(60_000);
    const current = await ensureSigningKey(t, t.db);
    expect(current.keyId).not.toBe(old.keyId);
    expect(await listSigningKeys(t.db)).toEqual([
      {
        keyId: old.keyId,
        algorithm: "Ed25519",
        publicKey: old.publicKey,
        createdDateTime: old.createdDateTime,
        retiredDateTime: retiredAt,
      },
      {
        keyId: current.keyId,
        algorithm: "Ed25519",
        publicKey: current.publicKey,
        createdDateTime: current.createdDateTime,
      },
    ]);
  });

  it("rotates: the current key is retired, a new one signs, and what the old one signed still verifies", async () => {
    await withoutKeys();
    const before = await signCertificate(t, t.db, exampleCertificateBody());
    t.clock.advance(60_000);
    const rotated = await rotateSigningKey(t, t.db);
    expect(rotated.retiredKeyIds).toEqual([before.keyId]);
    expect(rotated.current.keyId).not.toBe(before.keyId);
    expect(rotated.current.retiredDateTime).toBeUndefined();

    const after = await signCertificate(t, t.db, { ...exampleCertificateBody(), tenantId: "next" });
    expect(after.keyId).toBe(rotated.current.keyId);
    const trustedKeys = await listSigningKeys(t.db);
    expect(trustedKeys.map((k) => [k.keyId, k.retiredDateTime])).toEqual([
      [before.keyId, t.clock.now().toISOString()],
      [rotated.current.keyId, undefined],
    ]);
    for (const certificate of [before, after]) {
      expect(verifyCertificate(certificate, { trustedKeys })).toEqual({
        valid: true,
        keyId: certificate.keyId,
      });
    }
  });

  it("rotates a fresh installation into its first key, and twice in a row into one current key", async () => {
    await withoutKeys();
    const first = await rotateSigningKey(t, t.db);
    expect(first.retiredKeyIds).toEqual([]);
    const second = await rotateSigningKey(t, t.db);
    expect(second.retiredKeyIds).toEqual([first.current.keyId]);
    const current = (await listSigningKeys(t.db)).filter((k) => k.retiredDateTime === undefined);
    expect(current.map((k) => k.keyId)).toEqual([second.current.keyId]);
    expect((await ensureSigningKey(t, t.db)).keyId).toBe(second.current.keyId);
  });

  // PostgreSQL: two connections' rotations overlap and queue on the lock. SQLite serializes every
  // writer already (BEGIN IMMEDIATE); two connections in one process would only wait on each other.
  it.runIf(engine === "postgres")(
    "ends with one current key when two rotations run at the same time",
    async () => {
      await withoutKeys();
      await ensureSigningKey(t, t.db);
      const store = openStore(
        engine === "postgres" ? { databaseUrl: t.location } : { sqliteFile: t.location },
      );
      try {
        await Promise.all([rotateSigningKey(t, t.db), rotateSigningKey(t, store.db)]);
      } finally {
        await store.close();
      }
      const keys = await listSigningKeys(t.db);
      expect(keys).toHaveLength(3);
      expect(keys.filter((k) => k.retiredDateTime === undefined)).toHaveLength(1);
    },
  );

  it("signs a certificate that verifies offline and against the listed keys", async () => {
    await withoutKeys();
    const certificate = await signCertificate(t, t.db, exampleCertificateBody());
    const key = await ensureSigningKey(t, t.db);
    expect(certificate).toMatchObject({ keyId: key.keyId, publicKey: key.publicKey });
    const trustedKeys = await listSigningKeys(t.db);
    expect(verifyCertificate(certificate, { trustedKeys })).toEqual({
      valid: true,
      keyId: key.keyId,
    });
  });

  it("signs with the same key from another process sharing the store and master key", async () => {
    await withoutKeys();
    const store = openStore(
      engine === "postgres" ? { databaseUrl: t.location } : { sqliteFile: t.location },
    );
    try {
      const first = await signCertificate(t, t.db, exampleCertificateBody());
      const second = await signCertificate(t, store.db, {
        ...exampleCertificateBody(),
        tenantId: "another",
      });
      expect(second.keyId).toBe(first.keyId);
      expect(verifyCertificate(second).valid).toBe(true);
    } finally {
      await store.close();
    }
  });
});
