import type { RoleName } from "./role.js";
import { roleByTemplateId } from "./role.js";
import type { Tenant, TenantState } from "./tenant.js";
import type { TenantRow } from "./tenant.repository.js";
import type { PerUserMfaState, User } from "./user.js";
import type { UserRecord, UserRow } from "./user.repository.js";

/** Rows stay inside the area: services hand out these domain objects. */
export function toTenant(row: TenantRow): Tenant {
  return {
    id: row.id,
    displayName: row.display_name,
    initialDomain: row.initial_domain,
    state: row.state as TenantState,
    onPremisesSyncEnabled: toNullableBool(row.on_premises_sync_enabled),
    syncOffStartedDateTime: toDate(row.sync_off_started_at),
    syncOffCompletesDateTime: toDate(row.sync_off_completes_at),
    syncReenableAfterDateTime: toDate(row.sync_reenable_after),
    createdDateTime: new Date(row.created_at),
    deletedDateTime: toDate(row.deleted_at),
  };
}

export function toUser(row: UserRow | UserRecord, roleTemplateIds: readonly string[] = []): User {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    userPrincipalName: row.user_principal_name,
    displayName: row.display_name,
    mail: row.mail,
    mailNickname: row.mail_nickname,
    accountEnabled: Boolean(row.account_enabled),
    hasPassword: "has_password" in row ? Boolean(row.has_password) : row.password_hash !== null,
    forceChangePasswordNextSignIn: Boolean(row.force_change_password),
    externalId: row.external_id,
    onPremisesSyncEnabled: toNullableBool(row.on_premises_sync_enabled),
    perUserMfaState: row.per_user_mfa_state as PerUserMfaState,
    roles: toRoleNames(roleTemplateIds),
    createdDateTime: new Date(row.created_at),
    updatedDateTime: new Date(row.updated_at),
    deletedDateTime: toDate(row.deleted_at),
  };
}

export function toRoleNames(roleTemplateIds: readonly string[]): RoleName[] {
  return roleTemplateIds.flatMap((id) => {
    const role = roleByTemplateId(id);
    return role ? [role.name] : [];
  });
}

function toNullableBool(value: unknown): boolean | null {
  return value === null || value === undefined ? null : Boolean(value);
}

function toDate(value: string | null): Date | null {
  return value === null ? null : new Date(value);
}
