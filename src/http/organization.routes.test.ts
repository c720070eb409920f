import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTenantWithAdmin,
  createUserWithRoles,
  type TenantFixture,
} from "../../test/directory-fixtures.js";
import { bearerFor, buildTestServer } from "../../test/http-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { directoryJobHandlers } from "../directory/index.js";
import { Scheduler } from "../scheduler/index.js";
import { HOUR } from "../shared/clock.js";

const SYNC_OFF_DELAY_MS = HOUR;

describe.each(TEST_ENGINES)("/v1.0/organization on %s", (engine) => {
  let t: TestContext;
  let app: FastifyInstance;
  let scheduler: Scheduler;

  beforeAll(async () => {
    t = await createTestContext(engine, { config: { syncOffDelayMs: SYNC_OFF_DELAY_MS } });
    app = await buildTestServer(t);
    scheduler = new Scheduler(t, directoryJobHandlers(t));
  });
  afterAll(async () => {
    await scheduler.stop();
    await app.close();
    await t.close();
  });

  async function signedIn(): Promise<{ org: TenantFixture; headers: { authorization: string } }> {
    const org = await createTenantWithAdmin(t);
    return { org, headers: await bearerFor(t, org.tenantId, org.admin.id) };
  }

  async function patch(tenantId: string, headers: Record<string, string>, payload: object) {
    return app.inject({ method: "PATCH", url: `/v1.0/organization/${tenantId}`, headers, payload });
  }

  async function read(tenantId: string, headers: Record<string, string>) {
    const res = await app.inject({ method: "GET", url: `/v1.0/organization/${tenantId}`, headers });
    expect(res.statusCode).toBe(200);
    return res.json();
  }

  it("lists the caller's organization as Graph's one-item collection", async () => {
    const { org, headers } = await signedIn();
    const res = await app.inject({ method: "GET", url: "/v1.0/organization", headers });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      "@odata.context": "http://localhost:80/v1.0/$metadata#organization",
      value: [
        {
          id: org.tenantId,
          displayName: `Org ${org.domain}`,
          verifiedDomains: [
            { name: org.domain, isDefault: true, isInitial: true, type: "Managed" },
          ],
          onPremisesSyncEnabled: null,
          onPremisesSyncStatus: "neverSynced",
          createdDateTime: t.clock.now().toISOString(),
        },
      ],
    });
    expect(res.json().value).toHaveLength(1);
  });

  it("lets any member read the organization by id", async () => {
    const { org } = await signedIn();
    const { user } = await createUserWithRoles(t, org, "member");
    const body = await read(org.tenantId, await bearerFor(t, org.tenantId, user.id));
    expect(body).toMatchObject({
      "@odata.context": "http://localhost:80/v1.0/$metadata#organization/$entity",
      id: org.tenantId,
    });
  });

  it("answers 404 for another tenant's organization, read or patched", async () => {
    const { headers } = await signedIn();
    const other = await createTenantWithAdmin(t);
    const res = await app.inject({
      method: "GET",
      url: `/v1.0/organization/${other.tenantId}`,
      headers,
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.details[0].code).toBe("TENANT_NOT_FOUND");
    expect((await patch(other.tenantId, headers, { displayName: "Mine" })).statusCode).toBe(404);
  });

  it("renames the organization for a Global Administrator with 204", async () => {
    const { org, headers } = await signedIn();
    const res = await patch(org.tenantId, headers, { displayName: "Fabrikam Ltd" });
    expect(res.statusCode).toBe(204);
    expect((await read(org.tenantId, headers)).displayName).toBe("Fabrikam Ltd");
  });

  it("applies a rename and a sync change together or not at all", async () => {
    const { org, headers } = await signedIn();
    const before = (await read(org.tenantId, headers)).displayName;
    // Sync was never on, so turning it off is refused; the rename in the same PATCH must not stay.
    const res = await patch(org.tenantId, headers, {
      displayName: "Half Renamed",
      onPremisesSyncEnabled: false,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details[0].code).toBe("SYNC_NOT_ON");
    expect((await read(org.tenantId, headers)).displayName).toBe(before);
  });

  it("refuses a PATCH from an administrator who is not Global Administrator with 403", async () => {
    const { org } = await signedIn();
    const { user } = await createUserWithRoles(t, org, "ua", ["userAdministrator"]);
    const headers = await bearerFor(t, org.tenantId, user.id);
    const res = await patch(org.tenantId, headers, { displayName: "Taken over" });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe("Authorization_RequestDenied");
    const sync = await patch(org.tenantId, headers, { onPremisesSyncEnabled: true });
    expect(sync.statusCode).toBe(403);
  });

  it.each([null, "false", 0, "yes"])("refuses onPremisesSyncEnabled %j with 400", async (value) => {
    const { org, headers } = await signedIn();
    const res = await patch(org.tenantId, headers, { onPremisesSyncEnabled: value });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe("Request_BadRequest");
  });

  it("turns sync on with onPremisesSyncEnabled true", async () => {
    const { org, headers } = await signedIn();
    expect((await patch(org.tenantId, headers, { onPremisesSyncEnabled: true })).statusCode).toBe(
      204,
    );
    expect(await read(org.tenantId, headers)).toMatchObject({
      onPremisesSyncEnabled: true,
      onPremisesSyncStatus: "on",
      onPremisesSyncTurnOffCompletesDateTime: null,
    });
  });

  it("starts turning sync off, still shows it on while turning off, and completes on schedule", async () => {
    const { org, headers } = await signedIn();
    await patch(org.tenantId, headers, { onPremisesSyncEnabled: true });
    const off = await patch(org.tenantId, headers, {
      displayName: "Cloud only",
      onPremisesSyncEnabled: false,
    });
    expect(off.statusCode).toBe(204);
    const completesAt = new Date(t.clock.now().getTime() + SYNC_OFF_DELAY_MS).toISOString();
    expect(await read(org.tenantId, headers)).toMatchObject({
      displayName: "Cloud only",
      onPremisesSyncEnabled: true,
      onPremisesSyncStatus: "turningOff",
      onPremisesSyncTurnOffCompletesDateTime: completesAt,
    });

    t.clock.advance(SYNC_OFF_DELAY_MS);
    await scheduler.runDueJobs();
    // A new token: the first one expired while the clock moved on.
    const later = await bearerFor(t, org.tenantId, org.admin.id);
    expect(await read(org.tenantId, later)).toMatchObject({
      onPremisesSyncEnabled: false,
      onPremisesSyncStatus: "off",
      onPremisesSyncTurnOffCompletesDateTime: null,
      onPremisesSyncTurnOnAvailableDateTime: expect.any(String),
    });
  });

  it("answers 409 when sync is turned off while it is already turning off", async () => {
    const { org, headers } = await signedIn();
    await patch(org.tenantId, headers, { onPremisesSyncEnabled: true });
    await patch(org.tenantId, headers, { onPremisesSyncEnabled: false });
    const again = await patch(org.tenantId, headers, { onPremisesSyncEnabled: false });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details[0].code).toBe("SYNC_ALREADY_TURNING_OFF");
  });
});
