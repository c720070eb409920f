export type {
  AddPasswordInput,
  Application,
  NewPasswordCredential,
  PasswordCredential,
} from "./application.js";
export { DEFAULT_SECRET_LIFETIME_MS, MAX_SECRET_LIFETIME_YEARS } from "./application.js";
export {
  addApplicationPassword,
  type CreateApplicationInput,
  createApplication,
  deleteApplication,
  getApplication,
  listApplications,
  removeApplicationPassword,
  type UpdateApplicationInput,
  updateApplication,
} from "./application.service.js";
export {
  assignApplicationRole,
  listApplicationRoles,
  listApplicationsWithRole,
  removeApplicationRole,
} from "./application-role.service.js";
export {
  type AfterIdBatch,
  type ClosureBatch,
  deleteApplicationsForClosure,
  deleteUsersForClosure,
  disableMfaForClosure,
  listRecycleBinUserIds,
  purgeUsersForClosure,
} from "./closure-batches.service.js";
export { loadTenant, requirePermission } from "./directory-access.js";
export { directoryJobHandlers } from "./directory-job-handlers.js";
export { JOB_COMPLETE_SYNC_OFF, JOB_PURGE_USER } from "./directory-jobs.js";
export {
  addDirectoryRoleMember,
  type DirectoryRoleMember,
  getDirectoryRole,
  listDirectoryRoleMembers,
  listDirectoryRoles,
  removeDirectoryRoleMember,
} from "./directory-role.service.js";
export type { Group } from "./group.js";
export {
  addGroupMember,
  type CreateGroupInput,
  createGroup,
  deleteGroup,
  getGroup,
  listGroupMembers,
  listGroups,
  removeGroupMember,
  type UpdateGroupInput,
  updateGroup,
} from "./group.service.js";
export { type UpdateOrganizationInput, updateOrganization } from "./organization.service.js";
export {
  isAllowed,
  PERMISSION_RULES,
  type Permission,
  type PermissionTarget,
  rolesAllowed,
} from "./permissions.js";
export {
  findRole,
  listRoleDefinitions,
  ROLE_NAMES,
  ROLES,
  type RoleDefinition,
  type RoleName,
} from "./role.js";
export { assignRole, listRoleMembers, removeRole, requireRole } from "./role.service.js";
export { SYNC_REENABLE_WAIT_MS, type SyncStatus, syncStatus } from "./sync.js";
export {
  completeSyncOff,
  getSyncState,
  type SyncState,
  turnOffSync,
  turnOffSyncIn,
  turnOnSync,
} from "./sync.service.js";
export type { Tenant, TenantState } from "./tenant.js";
export {
  type CreateTenantInput,
  createTenant,
  getTenant,
  storeHasHadTenants,
  updateTenantDisplayName,
} from "./tenant.service.js";
export { PER_USER_MFA_STATES, type PerUserMfaState, type User } from "./user.js";
export type { SortDirection, UserOrder } from "./user.repository.js";
export {
  type CreateUserInput,
  createUser,
  deleteUser,
  getUser,
  purgeUser,
  restoreUser,
  type UpdateUserInput,
  updateUser,
} from "./user.service.js";
export {
  type BulkDeleteOptions,
  type BulkDeleteResult,
  type BulkDeleteTarget,
  type BulkItemResult,
  bulkDeleteUsers,
} from "./user-bulk.service.js";
export {
  type FilterExpression,
  type FilterLiteral,
  toUserFilter,
  type UserFilter,
} from "./user-filter.js";
export {
  type ImportItemResult,
  type ImportUserInput,
  type ImportUsersOptions,
  importUsers,
} from "./user-import.service.js";
export { setPerUserMfaState } from "./user-mfa.service.js";
export type {
  UserDocumentField,
  UserDocumentPage,
  UserDocumentProperty,
  UserDocumentShape,
} from "./user-document.js";
export {
  countUsers,
  DEFAULT_PAGE_SIZE,
  getUserDocument,
  type ListUsersOptions,
  listUserDocuments,
  listUsers,
  MAX_PAGE_SIZE,
  type UserPage,
} from "./user-query.service.js";
export { RECYCLE_BIN_RETENTION_MS, tenantWriteBlocker } from "./user-rules.js";
