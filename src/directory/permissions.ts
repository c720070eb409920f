import type { RoleName } from "./role.js";

/**
 * Who may do what (SPEC §1), as one table. A Global Administrator may do everything except read
 * another user's content. Targets matter for a few actions: managing an admin (anyone holding a
 * directory role) needs a stronger role than managing a regular user.
 */
export type Permission =
  | "directory.read"
  | "users.manage"
  | "groups.manage"
  | "mfa.manage"
  | "mfa.read"
  | "billing.manage"
  | "licenses.assign"
  | "roles.manage"
  | "sync.manage"
  | "applications.manage"
  | "scim.manage"
  | "audit.read"
  | "content.read"
  | "tenant.update"
  | "tenant.export"
  | "tenant.close";

export interface PermissionTarget {
  /** The target user holds at least one directory role. */
  isAdmin?: boolean;
  /** The target is the acting user. */
  isSelf?: boolean;
  /** For `audit.read`: the entries are billing events. */
  billingOnly?: boolean;
}

type Rule = {
  /** Roles allowed whatever the target. */
  any: readonly RoleName[];
  /** Roles allowed only when the target is not an admin. */
  nonAdminOnly?: readonly RoleName[];
  /** Roles allowed only for billing audit events. */
  billingEventsOnly?: readonly RoleName[];
  /** The acting user on their own data, whatever their roles. */
  self?: boolean;
  /** Whether a Global Administrator is allowed (all but content). */
  globalAdministrator: boolean;
  /** Any signed-in member of the tenant. */
  everyMember?: boolean;
};

export const PERMISSION_RULES: Readonly<Record<Permission, Rule>> = {
  "directory.read": { any: [], everyMember: true, globalAdministrator: true },
  "users.manage": {
    any: ["privilegedAuthenticationAdministrator"],
    nonAdminOnly: ["userAdministrator"],
    globalAdministrator: true,
  },
  "groups.manage": { any: ["userAdministrator"], globalAdministrator: true },
  "mfa.manage": {
    any: ["privilegedAuthenticationAdministrator"],
    nonAdminOnly: ["authenticationAdministrator"],
    globalAdministrator: true,
  },
  "mfa.read": {
    any: ["privilegedAuthenticationAdministrator", "globalReader"],
    nonAdminOnly: ["authenticationAdministrator"],
    globalAdministrator: true,
  },
  "billing.manage": { any: ["billingAdministrator"], globalAdministrator: true },
  "licenses.assign": { any: ["userAdministrator"], globalAdministrator: true },
  "roles.manage": { any: ["privilegedRoleAdministrator"], globalAdministrator: true },
  "sync.manage": { any: [], globalAdministrator: true },
  "applications.manage": { any: [], globalAdministrator: true },
  "scim.manage": { any: [], globalAdministrator: true },
  "audit.read": {
    any: ["globalReader"],
    billingEventsOnly: ["billingAdministrator"],
    globalAdministrator: true,
  },
  "content.read": { any: [], self: true, globalAdministrator: false },
  "tenant.update": { any: [], globalAdministrator: true },
  "tenant.export": { any: [], globalAdministrator: true },
  "tenant.close": { any: [], globalAdministrator: true },
};

/** Pure decision: may someone holding `roles` do `permission` on `target`? */
export function isAllowed(
  roles: readonly RoleName[],
  permission: Permission,
  target: PermissionTarget = {},
): boolean {
  const rule = PERMISSION_RULES[permission];
  if (rule.self) return target.isSelf === true;
  if (rule.everyMember) return true;
  if (rule.globalAdministrator && roles.includes("globalAdministrator")) return true;
  if (roles.some((r) => rule.any.includes(r))) return true;
  if (!target.isAdmin && roles.some((r) => rule.nonAdminOnly?.includes(r))) return true;
  if (target.billingOnly && roles.some((r) => rule.billingEventsOnly?.includes(r))) return true;
  return false;
}

/** The roles that would allow the action, for error messages ("needs: …"). */
export function rolesAllowed(permission: Permission, target: PermissionTarget = {}): RoleName[] {
  const rule = PERMISSION_RULES[permission];
  const roles: RoleName[] = rule.globalAdministrator ? ["globalAdministrator"] : [];
  roles.push(...rule.any);
  if (!target.isAdmin) roles.push(...(rule.nonAdminOnly ?? []));
  if (target.billingOnly) roles.push(...(rule.billingEventsOnly ?? []));
  return roles;
}
