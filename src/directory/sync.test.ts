import { describe, expect, it } from "vitest";
import { HOUR } from "../shared/clock.js";
import { assertCanTurnOnSync, isReadOnlySyncedUser, planTurnOffSync, syncStatus } from "./sync.js";
import type { Tenant } from "./tenant.js";

const now = new Date("2026-03-01T10:00:00.000Z");

function tenant(overrides: Partial<Tenant>): Tenant {
  return {
    id: "t",
    displayName: "Contoso",
    initialDomain: "contoso.example",
    state: "active",
    onPremisesSyncEnabled: null,
    syncOffStartedDateTime: null,
    syncOffCompletesDateTime: null,
    syncReenableAfterDateTime: null,
    createdDateTime: now,
    deletedDateTime: null,
    ...overrides,
  };
}

describe("directory sync rules", () => {
  it("reports the four sync states", () => {
    expect(syncStatus(tenant({}))).toBe("neverSynced");
    expect(syncStatus(tenant({ onPremisesSyncEnabled: true }))).toBe("on");
    expect(syncStatus(tenant({ onPremisesSyncEnabled: true, syncOffCompletesDateTime: now }))).toBe(
      "turningOff",
    );
    expect(syncStatus(tenant({ onPremisesSyncEnabled: false }))).toBe("off");
  });

  it("makes synced users read-only while sync is on, and cloud users never", () => {
    expect(
      isReadOnlySyncedUser({ onPremisesSyncEnabled: true }, { onPremisesSyncEnabled: true }),
    ).toBe(true);
    expect(
      isReadOnlySyncedUser({ onPremisesSyncEnabled: null }, { onPremisesSyncEnabled: true }),
    ).toBe(false);
    expect(
      isReadOnlySyncedUser({ onPremisesSyncEnabled: false }, { onPremisesSyncEnabled: false }),
    ).toBe(false);
  });

  it("plans turning sync off to complete after the configured delay", () => {
    const plan = planTurnOffSync(tenant({ onPremisesSyncEnabled: true }), now, 2 * HOUR);
    expect(plan.completesAt.toISOString()).toBe("2026-03-01T12:00:00.000Z");
  });

  it("refuses to turn sync off twice, since the operation cannot be cancelled or restarted", () => {
    const turningOff = tenant({ onPremisesSyncEnabled: true, syncOffCompletesDateTime: now });
    expect(() => planTurnOffSync(turningOff, now, HOUR)).toThrow(
      expect.objectContaining({ code: "SYNC_ALREADY_TURNING_OFF" }),
    );
  });

  it("refuses to turn off a sync that is not on", () => {
    expect(() => planTurnOffSync(tenant({}), now, HOUR)).toThrow(
      expect.objectContaining({ code: "SYNC_NOT_ON" }),
    );
  });

  it("blocks turning sync on while it turns off and until the 72-hour wait ends", () => {
    const turningOff = tenant({ onPremisesSyncEnabled: true, syncOffCompletesDateTime: now });
    expect(() => assertCanTurnOnSync(turningOff, now)).toThrow(
      expect.objectContaining({ code: "SYNC_TURNING_OFF" }),
    );
    const recentlyOff = tenant({
      onPremisesSyncEnabled: false,
      syncReenableAfterDateTime: new Date(now.getTime() + HOUR),
    });
    expect(() => assertCanTurnOnSync(recentlyOff, now)).toThrow(
      expect.objectContaining({ code: "SYNC_REENABLE_TOO_SOON" }),
    );
    expect(() =>
      assertCanTurnOnSync(recentlyOff, new Date(now.getTime() + 2 * HOUR)),
    ).not.toThrow();
  });
});
