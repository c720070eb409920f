import type { Kysely, Transaction } from "kysely";
import type { AuditChainHeadTable, AuditKeyTable, AuditLogTable } from "../audit/audit.table.js";
import type { ClosureTables } from "../closure/closure.table.js";
import type { CommerceTables } from "../commerce/commerce.table.js";
import type { ContentTables } from "../content/content.table.js";
import type {
  ApplicationRoleAssignmentTable,
  ApplicationSecretTable,
  ApplicationTable,
} from "../directory/application.table.js";
import type { GroupMemberTable, GroupTable } from "../directory/group.table.js";
import type { TenantDomainTable, TenantTable } from "../directory/tenant.table.js";
import type { RoleAssignmentTable, UserTable } from "../directory/user.table.js";
import type { ScheduledJobTable } from "../scheduler/scheduled-job.table.js";
import type { SecurityTables } from "../security/security.table.js";

/** Every table, as Kysely sees it. Each area declares its own rows in `*.table.ts`. */
export interface Database extends SecurityTables, CommerceTables, ContentTables, ClosureTables {
  tenant: TenantTable;
  tenant_domain: TenantDomainTable;
  app_user: UserTable;
  role_assignment: RoleAssignmentTable;
  directory_group: GroupTable;
  group_member: GroupMemberTable;
  audit_log: AuditLogTable;
  audit_chain_head: AuditChainHeadTable;
  audit_key: AuditKeyTable;
  scheduled_job: ScheduledJobTable;
  application: ApplicationTable;
  application_secret: ApplicationSecretTable;
  application_role_assignment: ApplicationRoleAssignmentTable;
}

/** Repositories take either the database or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;
export type Db = Kysely<Database>;
