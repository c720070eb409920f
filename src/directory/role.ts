/**
 * The built-in directory roles Tenantry knows, with Microsoft Graph's display names and role
 * template ids (so Graph clients recognise them).
 */
export const ROLES = {
  globalAdministrator: {
    displayName: "Global Administrator",
    roleTemplateId: "62e90394-69f5-4237-9190-012177145e10",
    description: "Can manage every aspect of the organization, including closing it.",
  },
  billingAdministrator: {
    displayName: "Billing Administrator",
    roleTemplateId: "b0f54661-2d74-4c50-afa3-1ec803f12efe",
    description: "Can manage subscriptions, payment methods and invoices.",
  },
  userAdministrator: {
    displayName: "User Administrator",
    roleTemplateId: "fe930be7-5e62-47db-91af-98c3a49a38b1",
    description: "Can manage non-admin users and groups, and assign licenses.",
  },
  authenticationAdministrator: {
    displayName: "Authentication Administrator",
    roleTemplateId: "c4e39bd9-1100-46d3-8c65-fb160da0071f",
    description: "Can set and reset authentication methods and per-user MFA of non-admin users.",
  },
  privilegedAuthenticationAdministrator: {
    displayName: "Privileged Authentication Administrator",
    roleTemplateId: "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
    description: "Can manage any user, admins included, and their authentication methods.",
  },
  privilegedRoleAdministrator: {
    displayName: "Privileged Role Administrator",
    roleTemplateId: "e8611ab8-c189-46e8-94e1-60213ab1f814",
    description: "Can assign and remove directory roles.",
  },
  globalReader: {
    displayName: "Global Reader",
    roleTemplateId: "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
    description: "Can read everything a Global Administrator can, but not change anything.",
  },
} as const;

export type RoleName = keyof typeof ROLES;

export const ROLE_NAMES = Object.keys(ROLES) as RoleName[];

export interface RoleDefinition {
  name: RoleName;
  displayName: string;
  /** What the role may do, in Tenantry's terms (SPEC §1); Graph's `directoryRole.description`. */
  description: string;
  roleTemplateId: string;
}

export function listRoleDefinitions(): RoleDefinition[] {
  return ROLE_NAMES.map((name) => ({ name, ...ROLES[name] }));
}

/** Finds a role by its name, Graph display name or template id (case-insensitive). */
export function findRole(nameOrId: string): RoleDefinition | undefined {
  const wanted = nameOrId.trim().toLowerCase();
  return listRoleDefinitions().find(
    (r) =>
      r.name.toLowerCase() === wanted ||
      r.displayName.toLowerCase() === wanted ||
      r.roleTemplateId === wanted,
  );
}

export function roleByTemplateId(roleTemplateId: string): RoleDefinition | undefined {
  return listRoleDefinitions().find((r) => r.roleTemplateId === roleTemplateId);
}
