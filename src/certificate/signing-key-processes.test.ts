import { type ChildProcess, spawn } from "node:child_process";
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collect } from "../../test/cli-runner.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { createSecretBox } from "../security/secret-box.js";
import { listSigningKeys } from "./signing-key.service.js";

const PROCESSES = 3;
const DIST = new URL("../../dist/", import.meta.url).href;

/**
 * One server process: opens the store from the built dist/ (test/global-setup.ts builds it), says
 * "ready", waits for "go" on stdin, then takes the signing key and prints its id. The "go" lets
 * every process pass its first look for a key before any of them creates one.
 */
const PROCESS_SCRIPT = `
const { openStore } = await import(new URL("store/open-store.js", process.env.DIST).href);
const { createSecretBox } = await import(new URL("security/secret-box.js", process.env.DIST).href);
const { systemClock } = await import(new URL("shared/clock.js", process.env.DIST).href);
const { ensureSigningKey } = await import(new URL("certificate/index.js", process.env.DIST).href);
const location = process.env.LOCATION;
const store = openStore(
  location.startsWith("postgres") ? { databaseUrl: location } : { sqliteFile: location },
);
const secrets = createSecretBox(Buffer.from(process.env.MASTER_KEY, "base64"));
const ctx = { engine: store.engine, clock: systemClock, secrets };
await store.db.selectFrom("signing_key").select("id").execute();
process.stdout.write("ready\\n");
await new Promise((resolve) => process.stdin.once("data", resolve));
const key = await ensureSigningKey(ctx, store.db);
process.stdout.write(key.keyId + "\\n");
await store.close();
`;

// Several processes share one store (SPEC §7: --workers on SQLite or PostgreSQL, several servers
// on PostgreSQL); each has its own connections, as here.
describe.each(TEST_ENGINES)("the signing key across processes on %s", (engine) => {
  let t: TestContext;
  const masterKey = crypto.randomBytes(32);
  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  function startProcess(): ChildProcess {
    return spawn(process.execPath, ["--input-type=module", "-e", PROCESS_SCRIPT], {
      env: {
        ...process.env,
        DIST,
        LOCATION: t.location,
        MASTER_KEY: masterKey.toString("base64"),
      },
      stdio: "pipe",
    });
  }

  it("ends with one current key when several processes create it at the same time", async () => {
    const children = Array.from({ length: PROCESSES }, startProcess);
    const runs = children.map(collect);
    await Promise.all(
      runs.map(async ({ output }, i) => {
        while (!output.stdout.includes("ready\n")) {
          if (children[i]?.exitCode !== null) throw new Error(output.stderr);
          await new Promise((resolve) => setImmediate(resolve));
        }
      }),
    );
    for (const child of children) child.stdin?.end("go\n");
    const outcomes = await Promise.all(runs.map((run) => run.exited));

    for (const outcome of outcomes) expect(outcome.code, outcome.stderr).toBe(0);
    const printed = outcomes.map((o) => o.stdout.replace("ready\n", "").trim());
    const listed = await listSigningKeys(t.db);
    expect(listed.map((k) => k.keyId)).toEqual([printed[0]]);
    expect(new Set(printed)).toEqual(new Set([listed[0]?.keyId]));
    // The one key is usable by this process too: it was sealed with the shared master key.
    const row = await t.db.selectFrom("signing_key").selectAll().executeTakeFirstOrThrow();
    expect(() => createSecretBox(masterKey).open(row.private_key_sealed)).not.toThrow();
  });
});
