import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditEntries,
  createTenantWithAdmin,
  createUserWithRoles,
  expectAppError,
  expectAuditChainValid,
  OPERATOR,
  type TenantFixture,
  type UserFixture,
} from "../../test/directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { Scheduler } from "../scheduler/index.js";
import { HOUR, MINUTE, SECOND } from "../shared/clock.js";
import { directoryJobHandlers } from "./directory-job-handlers.js";
import { getSyncState, turnOffSync, turnOnSync } from "./sync.service.js";
import { getTenant } from "./tenant.service.js";
import { createUser, deleteUser, getUser, updateUser } from "./user.service.js";

const SYNC_OFF_DELAY_MS = HOUR;

describe.each(TEST_ENGINES)("directory sync on %s", (engine) => {
  let t: TestContext;
  let scheduler: Scheduler;

  beforeAll(async () => {
    t = await createTestContext(engine, { config: { syncOffDelayMs: SYNC_OFF_DELAY_MS } });
    scheduler = new Scheduler(t, directoryJobHandlers(t));
  });
  afterAll(async () => {
    await scheduler.stop();
    await t.close();
  });

  /** A tenant with sync on and one synced user (created through the sync channel: the operator). */
  async function syncedTenant(): Promise<{ org: TenantFixture; synced: UserFixture }> {
    const org = await createTenantWithAdmin(t);
    await turnOnSync(t, org.adminActor, org.tenantId);
    const synced = await createUserWithRoles(t, org, "onprem", [], { onPremisesSyncEnabled: true });
    return { org, synced };
  }

  it("a Global Administrator turns sync on", async () => {
    const org = await createTenantWithAdmin(t);
    expect((await getSyncState(t, org.adminActor, org.tenantId)).status).toBe("neverSynced");
    const state = await turnOnSync(t, org.adminActor, org.tenantId);
    expect(state).toMatchObject({ status: "on", onPremisesSyncEnabled: true });
    expect((await getTenant(t, org.adminActor, org.tenantId)).onPremisesSyncEnabled).toBe(true);
    expect((await auditEntries(t, org.tenantId)).at(-1)?.action).toBe("sync.turnOn");
  });

  it("a signed-in admin cannot create synced users: they come only through the sync channel", async () => {
    const org = await createTenantWithAdmin(t);
    await turnOnSync(t, org.adminActor, org.tenantId);
    await expectAppError(
      createUser(t, org.adminActor, org.tenantId, {
        userPrincipalName: `forged@${org.domain}`,
        displayName: "Forged",
        onPremisesSyncEnabled: true,
      }),
      "SYNC_CHANNEL_ONLY",
      "Forbidden",
    );
  });

  it("synced users can only be created while sync is on", async () => {
    const org = await createTenantWithAdmin(t);
    await expectAppError(
      createUser(t, OPERATOR, org.tenantId, {
        userPrincipalName: `early@${org.domain}`,
        displayName: "Early",
        onPremisesSyncEnabled: true,
      }),
      "SYNC_NOT_ON",
      "Blocked",
    );
  });

  it("a synced user is read-only while sync is on, with an error naming the rule", async () => {
    const { org, synced } = await syncedTenant();
    expect(synced.user.onPremisesSyncEnabled).toBe(true);
    const error = await expectAppError(
      updateUser(t, org.adminActor, org.tenantId, synced.user.id, { displayName: "Changed" }),
      "SYNCED_USER_READ_ONLY",
      "Blocked",
    );
    expect(error.message).toContain("read-only while directory sync is on");
    await expectAppError(
      deleteUser(t, org.adminActor, org.tenantId, synced.user.id),
      "SYNCED_USER_READ_ONLY",
      "Blocked",
    );
    expect(await getUser(t, org.adminActor, org.tenantId, synced.user.id)).toEqual(synced.user);
  });

  it("cloud users stay editable while sync is on", async () => {
    const { org } = await syncedTenant();
    const { user } = await createUserWithRoles(t, org, "cloud.user");
    const updated = await updateUser(t, org.adminActor, org.tenantId, user.id, {
      displayName: "Cloud",
    });
    expect(updated.displayName).toBe("Cloud");
  });

  it("turning sync off is scheduled after the configured delay and cannot be started twice", async () => {
    const { org } = await syncedTenant();
    const state = await turnOffSync(t, org.adminActor, org.tenantId);
    expect(state).toMatchObject({
      status: "turningOff",
      onPremisesSyncEnabled: true,
      turningOffSince: t.clock.now(),
      completesAt: new Date(t.clock.now().getTime() + SYNC_OFF_DELAY_MS),
    });
    await expectAppError(
      turnOffSync(t, org.adminActor, org.tenantId),
      "SYNC_ALREADY_TURNING_OFF",
      "Conflict",
    );
    await expectAppError(
      turnOnSync(t, org.adminActor, org.tenantId),
      "SYNC_TURNING_OFF",
      "Blocked",
    );
  });

  it("a synced user stays read-only while sync is turning off", async () => {
    const { org, synced } = await syncedTenant();
    await turnOffSync(t, org.adminActor, org.tenantId);
    await expectAppError(
      updateUser(t, org.adminActor, org.tenantId, synced.user.id, { displayName: "Too soon" }),
      "SYNCED_USER_READ_ONLY",
    );
  });

  it("nothing changes before the delay; afterwards sync is off and synced users are cloud-managed", async () => {
    const { org, synced } = await syncedTenant();
    await turnOffSync(t, org.adminActor, org.tenantId);
    t.clock.advance(SYNC_OFF_DELAY_MS - MINUTE);
    await scheduler.runDueJobs();
    expect((await getSyncState(t, org.adminActor, org.tenantId)).status).toBe("turningOff");
    expect(
      (await getUser(t, org.adminActor, org.tenantId, synced.user.id)).onPremisesSyncEnabled,
    ).toBe(true);

    t.clock.advance(MINUTE + SECOND);
    expect((await scheduler.runDueJobs()).failed).toBe(0);
    expect((await getTenant(t, org.adminActor, org.tenantId)).onPremisesSyncEnabled).toBe(false);
    expect((await getSyncState(t, org.adminActor, org.tenantId)).status).toBe("off");
    const user = await getUser(t, org.adminActor, org.tenantId, synced.user.id);
    expect(user.onPremisesSyncEnabled).toBe(false);
    const edited = await updateUser(t, org.adminActor, org.tenantId, user.id, {
      displayName: "Now cloud",
    });
    expect(edited.displayName).toBe("Now cloud");
    await deleteUser(t, org.adminActor, org.tenantId, user.id);
    const completed = (await auditEntries(t, org.tenantId)).find(
      (e) => e.action === "sync.turnOffCompleted",
    );
    expect(completed).toMatchObject({ actor: { type: "system" } });
    expect(completed?.details).toMatchObject({ convertedUsers: 1 });
    await expectAuditChainValid(t, org.tenantId);
  });

  it("sync cannot be turned on again until 72 hours after turning off completed", async () => {
    const { org } = await syncedTenant();
    await turnOffSync(t, org.adminActor, org.tenantId);
    t.clock.advance(SYNC_OFF_DELAY_MS);
    await scheduler.runDueJobs();
    const completedAt = t.clock.now();
    const state = await getSyncState(t, org.adminActor, org.tenantId);
    expect(state.canTurnOnAt).toEqual(new Date(completedAt.getTime() + 72 * HOUR));

    t.clock.advance(72 * HOUR - SECOND);
    const error = await expectAppError(
      turnOnSync(t, org.adminActor, org.tenantId),
      "SYNC_REENABLE_TOO_SOON",
      "Blocked",
    );
    expect(error.details).toMatchObject({ availableAt: state.canTurnOnAt?.toISOString() });

    t.clock.advance(SECOND);
    expect((await turnOnSync(t, org.adminActor, org.tenantId)).status).toBe("on");
  });

  it("only a Global Administrator turns sync off or on", async () => {
    const { org } = await syncedTenant();
    for (const role of ["userAdministrator", "privilegedRoleAdministrator"] as const) {
      const { actor } = await createUserWithRoles(t, org, role.toLowerCase(), [role]);
      await expectAppError(turnOffSync(t, actor, org.tenantId), "INSUFFICIENT_ROLE", "Forbidden");
    }
    expect((await getSyncState(t, org.adminActor, org.tenantId)).status).toBe("on");
    const other = await createTenantWithAdmin(t);
    const reader = await createUserWithRoles(t, other, "reader", ["globalReader"]);
    await expectAppError(
      turnOnSync(t, reader.actor, other.tenantId),
      "INSUFFICIENT_ROLE",
      "Forbidden",
    );
  });

  it("turning sync off when it is not on is refused", async () => {
    const org = await createTenantWithAdmin(t);
    await expectAppError(turnOffSync(t, org.adminActor, org.tenantId), "SYNC_NOT_ON", "Conflict");
    await turnOnSync(t, org.adminActor, org.tenantId);
    await expectAppError(
      turnOnSync(t, org.adminActor, org.tenantId),
      "SYNC_ALREADY_ON",
      "Conflict",
    );
  });
});
