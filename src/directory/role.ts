/**
 * The built-in directory roles Tenantry knows, with Microsoft Graph's display names and role
 * template ids (so Graph clients recognise them).
 */
export const ROLES = {
  globalAdministrator: {
    displayName: "Global Administrator",
    roleTemplateId: "62e90394-69f5-4237-9190-012177145e10",
  },
  billingAdministrator: {
    displayName: "Billing Administrator",
    roleTemplateId: "b0f54661-2d74-4c50-afa3-1ec803f12efe",
  },
  userAdministrator: {
    displayName: "User Administrator",
    roleTemplateId: "fe930be7-5e62-47db-91af-98c3a49a38b1",
  },
  authenticationAdministrator: {
    displayName: "Authentication Administrator",
    roleTemplateId: "c4e39bd9-1100-46d3-8c65-fb160da0071f",
  },
  privilegedAuthenticationAdministrator: {
    displayName: "Privileged Authentication Administrator",
    roleTemplateId: "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
  },
  privilegedRoleAdministrator: {
    displayName: "Privileged Role Administrator",
    roleTemplateId: "e8611ab8-c189-46e8-94e1-60213ab1f814",
  },
  globalReader: {
    displayName: "Global Reader",
    roleTemplateId: "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
  },
} as const;

export type RoleName = keyof typeof ROLES;

export const ROLE_NAMES = Object.keys(ROLES) as RoleName[];

export interface RoleDefinition {
  name: RoleName;
  displayName: string;
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
