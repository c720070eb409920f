import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CliServer,
  DEMO_ADMIN,
  endAgreementTerm,
  parseJson,
  startCliServer,
  waitFor,
} from "../../test/cli-server.js";
import { TEST_ENGINES } from "../../test/test-context.js";

/**
 * Issue 8: a full closure of the demo tenant driven only by CLI commands, in the seed's order —
 * the real built binary against a real server, on both engines. The one thing a CLI cannot do is
 * make a year pass: the demo's annual agreement subscription can only go at its term's end
 * (SPEC §3), so the test stands in for that wait by ending it in the store (test/cli-server.ts).
 */

interface Item {
  id: string;
  outcome: string;
  code?: string;
}
interface Subscription {
  id: string;
  skuPartNumber: string;
  status: string;
  billingModel: string;
  markedForDeletionDateTime: string | null;
}
interface Check {
  id: string;
  status: string;
}

describe.each(TEST_ENGINES)("closing the demo tenant with the CLI on %s", (engine) => {
  let server: CliServer;
  const run = (...args: string[]) => server.run(args);

  beforeAll(async () => {
    server = await startCliServer(engine);
    await server.login();
  }, 180_000);
  afterAll(async () => {
    await server.stop();
  });

  async function subscriptions(): Promise<Subscription[]> {
    const result = await run("subscriptions", "list", "--json");
    expect(result.code, result.stderr).toBe(0);
    return parseJson<{ value: Subscription[] }>(result).value;
  }
  async function userCount(): Promise<number> {
    return parseJson<{ value: unknown[] }>(await run("users", "list", "--json")).value.length;
  }
  async function failedChecks(): Promise<string[]> {
    const result = await run("close", "checks", "--json");
    const checks = parseJson<{ value: Check[] }>(result).value;
    return checks.filter((c) => c.status === "failed").map((c) => c.id);
  }

  it("close checks lists what blocks deletion as JSON and exits 3", async () => {
    const result = await run("close", "checks", "--json");
    expect(result.code).toBe(3);
    const failed = parseJson<{ value: Check[] }>(result).value.filter((c) => c.status === "failed");
    expect(failed.map((c) => c.id)).toEqual(
      expect.arrayContaining(["noOtherUsers", "syncOff", "subscriptionsDeprovisioned", "mfaOff"]),
    );
  });

  it("close plan prints the API's plan, with blockers, and changes nothing", async () => {
    const before = await userCount();
    const result = await run("close", "plan", "--json");
    expect(result.code, result.stderr).toBe(0);
    const plan = parseJson<{ blockers: { code: string }[]; steps: { deleteUsers: unknown } }>(
      result,
    );
    expect(plan.blockers.map((b) => b.code)).toContain("SYNCED_USER_READ_ONLY");
    expect(await userCount()).toBe(before);
  });

  it("refuses destructive work off a terminal without --yes (exit 2), deleting nothing", async () => {
    const before = await userCount();
    const result = await run("users", "delete", "--all-except", DEMO_ADMIN);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("tenantry: CONFIRMATION_REQUIRED:");
    expect(await userCount()).toBe(before);
  });

  it("refuses --all-except naming someone other than the signed-in admin, deleting nothing", async () => {
    const before = await userCount();
    const result = await run("users", "delete", "--all-except", "adele@contoso.example", "--yes");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("tenantry: ALL_EXCEPT_NOT_SIGNED_IN_USER:");
    expect(await userCount()).toBe(before);
  });

  it("sync disable --wait turns directory sync off and waits until it is off", async () => {
    const result = await run("sync", "disable", "--wait", "--yes", "--json");
    expect(result.code, result.stderr).toBe(0);
    expect(parseJson(result)).toMatchObject({
      onPremisesSyncStatus: "off",
      onPremisesSyncEnabled: false,
    });
  });

  it("step 1: users delete --all-except deletes everyone but the admin, per-item results in JSON", async () => {
    const dryRun = await run("users", "delete", "--all-except", DEMO_ADMIN, "--dry-run", "--json");
    expect(dryRun.code, dryRun.stderr).toBe(0);
    const planned = parseJson<{ value: unknown[] }>(dryRun).value.length;
    expect(await userCount()).toBe(planned + 1);
    const result = await run("users", "delete", "--all-except", DEMO_ADMIN, "--yes", "--json");
    expect(result.code, result.stderr).toBe(0);
    const items = parseJson<{ value: Item[] }>(result).value;
    expect(items).toHaveLength(planned);
    expect(items.every((i) => i.outcome === "ok")).toBe(true);
    expect(await userCount()).toBe(1);
  });

  it("step 2: subscriptions cancel --all cancels the active ones and exits 4 for the agreement it cannot cancel", async () => {
    const result = await run(
      "subscriptions",
      "cancel",
      "--all",
      "--reason",
      "unused",
      "--feedback",
      "Closing",
      "--yes",
      "--json",
    );
    expect(result.code).toBe(4);
    const items = parseJson<{ value: Item[] }>(result).value;
    const agreement = (await subscriptions()).find((s) => s.billingModel === "agreement");
    expect(items.find((i) => i.outcome === "failed")).toMatchObject({
      id: agreement?.id,
      code: "CANCEL_WINDOW_CLOSED",
    });
    expect(items.filter((i) => i.outcome === "ok").length).toBeGreaterThan(0);
    expect(result.stderr).toContain("failed");
  });

  it("cancels the expired one now and the agreement at renewal, each on its own", async () => {
    const all = await subscriptions();
    const expired = all.find((s) => s.status === "expired");
    const agreement = all.find((s) => s.billingModel === "agreement");
    const now = await run(
      "subscriptions",
      "cancel",
      expired?.id ?? "",
      "--reason",
      "unused",
      "--yes",
      "--json",
    );
    expect(now.code, now.stderr).toBe(0);
    expect(parseJson(now)).toMatchObject({ id: expired?.id, status: "disabled" });
    const renewal = await run(
      "subscriptions",
      "cancel",
      agreement?.id ?? "",
      "--reason",
      "unused",
      "--when",
      "renewal",
      "--yes",
      "--json",
    );
    expect(renewal.code, renewal.stderr).toBe(0);
    expect(parseJson(renewal)).toMatchObject({ id: agreement?.id, autoRenew: false });
  });

  it("pays the invoice that is due, which step 3 would otherwise name", async () => {
    const due = parseJson<{ value: { id: string; status: string }[] }>(
      await run("invoices", "list", "--json"),
    ).value.filter((i) => i.status !== "paid");
    expect(due.length).toBeGreaterThan(0);
    for (const invoice of due) {
      const paid = await run("invoices", "pay", invoice.id, "--json");
      expect(paid.code, paid.stderr).toBe(0);
      expect(parseJson(paid)).toMatchObject({ id: invoice.id, status: "paid" });
    }
  });

  it("step 3: subscriptions delete --all-disabled marks every disabled subscription for deletion", async () => {
    const result = await run("subscriptions", "delete", "--all-disabled", "--yes", "--json");
    expect(result.code, result.stderr).toBe(0);
    const items = parseJson<{ value: Item[] }>(result).value;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.outcome === "ok")).toBe(true);
  });

  it("step 4: mfa disable --all-except turns MFA off for everyone but the admin", async () => {
    const result = await run("mfa", "disable", "--all-except", DEMO_ADMIN, "--yes", "--json");
    expect(result.code, result.stderr).toBe(0);
    expect(parseJson<{ value: Item[] }>(result).value.every((i) => i.outcome === "ok")).toBe(true);
    expect(await failedChecks()).not.toContain("mfaOff");
  });

  it("users purge --all empties the recycle bin", async () => {
    const result = await run("users", "purge", "--all", "--yes", "--json");
    expect(result.code, result.stderr).toBe(0);
    expect(parseJson<{ value: Item[] }>(result).value.length).toBeGreaterThan(0);
    const bin = parseJson<{ value: unknown[] }>(await run("users", "list", "--deleted", "--json"));
    expect(bin.value).toEqual([]);
  });

  it("step 5 is refused while a subscription is not deprovisioned: exit 3 with the failed check", async () => {
    const result = await run(
      "close",
      "delete-tenant",
      "--confirm",
      "contoso.example",
      "--yes",
      "--json",
    );
    expect(result.code).toBe(3);
    const body = parseJson<{ error: { code: string } }>(result);
    expect(body.error.code).toBe("CLOSURE_CHECKS_FAILED");
    expect(result.stdout).toContain("subscriptionsDeprovisioned");
  });

  it("step 5: close delete-tenant deletes the organization once every check passes", async () => {
    await endAgreementTerm(
      server,
      (await subscriptions()).find((s) => s.billingModel === "agreement")?.id ?? "",
    );
    await waitFor(async () => (await failedChecks()).length === 0);
    const result = await run(
      "close",
      "delete-tenant",
      "--confirm",
      "CONTOSO.example",
      "--yes",
      "--json",
    );
    expect(result.code, result.stderr).toBe(0);
    expect(parseJson<{ value: Item[] }>(result).value).toEqual([
      expect.objectContaining({ outcome: "ok" }),
    ]);
    const after = await run("whoami", "--json");
    expect(after.code).toBe(1);
  });
});
