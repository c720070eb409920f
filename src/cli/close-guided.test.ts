import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CliServer,
  endAgreementTerm,
  parseJson,
  startCliServer,
} from "../../test/cli-server.js";
import { TEST_ENGINES } from "../../test/test-context.js";

/**
 * Issue 8: the guided closure from the CLI — `close start|status|cancel|export` against the real
 * server's durable operation (issue 7), on both engines. The demo's annual agreement subscription
 * would hold the closure for a year; the test ends its term in the store (test/cli-server.ts).
 */

interface View {
  id: string;
  state: string;
  step: string;
  steps: { name: string; done: number; total: number; finishedDateTime: string | null }[];
  blockers: { code: string }[];
}
interface Subscription {
  id: string;
  status: string;
  billingModel: string;
}

describe.each(TEST_ENGINES)("the guided closure from the CLI on %s", (engine) => {
  let server: CliServer;
  const run = (...args: string[]) => server.run(args);

  beforeAll(async () => {
    server = await startCliServer(engine, {
      demoUsers: 10,
      serverEnv: { TENANTRY_CLOSURE_COOLING_OFF: "1" },
    });
    await server.login();
  }, 180_000);
  afterAll(async () => {
    await server.stop();
  });

  it("close status exits 1 with the server's CLOSURE_NOT_FOUND before any closure started", async () => {
    const result = await run("close", "status");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("tenantry: CLOSURE_NOT_FOUND:");
  });

  it("close start refuses off a terminal without --yes, starting nothing (exit 2)", async () => {
    const result = await run(
      "close",
      "start",
      "--confirm",
      "contoso.example",
      "--reason",
      "unused",
    );
    expect(result.code).toBe(2);
    expect((await run("close", "status")).code).toBe(1);
  });

  it("close start refuses a wrong domain with the server's code (exit 2), starting nothing", async () => {
    const result = await run(
      "close",
      "start",
      "--confirm",
      "fabrikam.example",
      "--reason",
      "unused",
      "--yes",
      "--json",
    );
    expect(result.code).toBe(2);
    expect(parseJson<{ error: { code: string } }>(result).error.code).toMatch(/DOMAIN/);
    expect((await run("close", "status")).code).toBe(1);
  });

  it("close start starts the closure and prints its view; a second start answers the same one", async () => {
    const started = await run(
      "close",
      "start",
      "--confirm",
      "contoso.example",
      "--reason",
      "unused",
      "--yes",
      "--json",
    );
    expect(started.code, started.stderr).toBe(0);
    const view = parseJson<View>(started);
    expect(view.steps.map((s) => s.name)).toEqual([
      "export",
      "turnOffSync",
      "deleteUsers",
      "cancelSubscriptions",
      "deleteDisabledSubscriptions",
      "disableMfa",
      "removeApplications",
      "coolingOff",
      "purgeRecycleBin",
      "deleteTenant",
      "signCertificate",
    ]);
    const again = await run(
      "close",
      "start",
      "--confirm",
      "contoso.example",
      "--reason",
      "unused",
      "--yes",
      "--json",
    );
    expect(again.code, again.stderr).toBe(0);
    expect(parseJson<View>(again).id).toBe(view.id);
  });

  it("close status --json shows progress and the blockers it waits for", async () => {
    await waitForState(
      server,
      (v) => v.state === "waiting" && v.step === "deleteDisabledSubscriptions",
    );
    const view = parseJson<View>(await run("close", "status", "--json"));
    expect(view.step).toBe("deleteDisabledSubscriptions");
    expect(view.steps.find((s) => s.name === "deleteUsers")?.done).toBeGreaterThan(0);
    expect(view.blockers.map((b) => b.code)).toContain("SUBSCRIPTION_NOT_DELETABLE_YET");
  });

  it("close export --out saves the backup archive (gzip)", async () => {
    const file = path.join(server.configHome, "export.tar.gz");
    const result = await run("close", "export", "--out", file, "--json");
    expect(result.code, result.stderr).toBe(0);
    const saved = parseJson<{ file: string; bytes: number }>(result);
    expect(saved.bytes).toBe(fs.statSync(file).size);
    expect([...fs.readFileSync(file).subarray(0, 2)]).toEqual([0x1f, 0x8b]);
  });

  it("close cancel cancels the waiting closure; status --watch then ends at once, cancelled", async () => {
    const cancelled = await run("close", "cancel", "--json");
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(parseJson<View>(cancelled).state).toBe("cancelled");
    const status = await run("close", "status", "--watch", "--json");
    expect(status.code, status.stderr).toBe(0);
    expect(parseJson<View>(status).state).toBe("cancelled");
  });
});

describe.each(TEST_ENGINES)("a guided closure from the CLI to its end on %s", (engine) => {
  let server: CliServer;
  const run = (...args: string[]) => server.run(args);

  beforeAll(async () => {
    server = await startCliServer(engine, {
      demoUsers: 5,
      serverEnv: { TENANTRY_CLOSURE_COOLING_OFF: "1" },
    });
    await server.login();
  }, 180_000);
  afterAll(async () => {
    await server.stop();
  });

  /** What would hold the closure for days: the unpaid invoice, the expired and the agreement subscriptions. */
  async function clearLongWaits(): Promise<void> {
    const invoices = parseJson<{ value: { id: string; status: string }[] }>(
      await run("invoices", "list", "--json"),
    ).value;
    for (const invoice of invoices.filter((i) => i.status !== "paid")) {
      expect((await run("invoices", "pay", invoice.id)).code).toBe(0);
    }
    const subscriptions = parseJson<{ value: Subscription[] }>(
      await run("subscriptions", "list", "--json"),
    ).value;
    const expired = subscriptions.find((s) => s.status === "expired");
    const cancel = await run(
      "subscriptions",
      "cancel",
      expired?.id ?? "",
      "--reason",
      "unused",
      "--yes",
    );
    expect(cancel.code, cancel.stderr).toBe(0);
    await endAgreementTerm(
      server,
      subscriptions.find((s) => s.billingModel === "agreement")?.id ?? "",
    );
  }

  it("close status --watch follows the closure through every step to completed, exit 0", async () => {
    await clearLongWaits();
    const started = await run(
      "close",
      "start",
      "--confirm",
      "contoso.example",
      "--reason",
      "unused",
      "--feedback",
      "Closing",
      "--yes",
    );
    expect(started.code, started.stderr).toBe(0);
    const watched = await run("close", "status", "--watch", "--json");
    expect(watched.code, `${watched.stderr}${watched.stdout}`).toBe(0);
    const view = parseJson<View>(watched);
    expect(view.state).toBe("completed");
    expect(view.steps.filter((s) => s.finishedDateTime === null)).toEqual([]);
    expect(watched.stderr).toMatch(/: \d+\/\d+/);
    expect((await run("whoami")).code).toBe(1);
  }, 120_000);
});

async function waitForState(server: CliServer, done: (view: View) => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const view = parseJson<View>(await server.run(["close", "status", "--json"]));
    if (done(view)) return;
    if (Date.now() > deadline) throw new Error(`closure still ${view.state} at ${view.step}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
