import { describe, expect, it } from "vitest";
import { isAllowed, type Permission, type PermissionTarget } from "./permissions.js";
import type { RoleName } from "./role.js";

/**
 * SPEC §1's matrix written out independently of PERMISSION_RULES, one row per action and target,
 * one column per role ("none" is a member without any role). Y = allowed.
 */
const MATRIX = `
action               target         GA  BA  UA  AA  PAA PRA GR  none
users.manage         user           Y   .   Y   .   Y   .   .   .
users.manage         admin          Y   .   .   .   Y   .   .   .
groups.manage        -              Y   .   Y   .   .   .   .   .
mfa.manage           user           Y   .   .   Y   Y   .   .   .
mfa.manage           admin          Y   .   .   .   Y   .   .   .
mfa.read             user           Y   .   .   Y   Y   .   Y   .
mfa.read             admin          Y   .   .   .   Y   .   Y   .
billing.manage       -              Y   Y   .   .   .   .   .   .
licenses.assign      -              Y   .   Y   .   .   .   .   .
roles.manage         -              Y   .   .   .   .   Y   .   .
sync.manage          -              Y   .   .   .   .   .   .   .
applications.manage  -              Y   .   .   .   .   .   .   .
scim.manage          -              Y   .   .   .   .   .   .   .
audit.read           -              Y   .   .   .   .   .   Y   .
audit.read           billing        Y   Y   .   .   .   .   Y   .
content.read         self           Y   Y   Y   Y   Y   Y   Y   Y
content.read         other          .   .   .   .   .   .   .   .
tenant.export        -              Y   .   .   .   .   .   .   .
tenant.close         -              Y   .   .   .   .   .   .   .
tenant.update        -              Y   .   .   .   .   .   .   .
directory.read       -              Y   Y   Y   Y   Y   Y   Y   Y
`;

const COLUMNS: Record<string, RoleName[]> = {
  GA: ["globalAdministrator"],
  BA: ["billingAdministrator"],
  UA: ["userAdministrator"],
  AA: ["authenticationAdministrator"],
  PAA: ["privilegedAuthenticationAdministrator"],
  PRA: ["privilegedRoleAdministrator"],
  GR: ["globalReader"],
  none: [],
};

const TARGETS: Record<string, PermissionTarget> = {
  "-": {},
  user: { isAdmin: false },
  admin: { isAdmin: true },
  billing: { billingOnly: true },
  self: { isSelf: true },
  other: { isSelf: false },
};

function cells() {
  const [header, ...rows] = MATRIX.trim().split("\n");
  const columns = (header ?? "").trim().split(/\s+/).slice(2);
  return rows.flatMap((line) => {
    const [action, target, ...marks] = line.trim().split(/\s+/);
    return columns.map((column, i) => ({
      action: action as Permission,
      target: target ?? "-",
      column,
      expected: marks[i] === "Y",
    }));
  });
}

describe("the permission matrix of SPEC §1", () => {
  it.each(cells())(
    "$action on $target by $column is allowed: $expected",
    ({ action, target, column, expected }) => {
      expect(isAllowed(COLUMNS[column] ?? [], action, TARGETS[target])).toBe(expected);
    },
  );

  it("combines roles: a User Administrator who is also Billing Administrator can do both", () => {
    const roles: RoleName[] = ["userAdministrator", "billingAdministrator"];
    expect(isAllowed(roles, "users.manage", { isAdmin: false })).toBe(true);
    expect(isAllowed(roles, "billing.manage")).toBe(true);
    expect(isAllowed(roles, "roles.manage")).toBe(false);
  });
});
