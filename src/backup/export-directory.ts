import type { Executor } from "../store/database.js";
import {
  listApplicationRoles,
  listApplicationSecretMetadata,
  listApplicationsPage,
  listGroupMembersPage,
  listGroupsPage,
  listRoleAssignmentsPage,
  listUsersPage,
} from "./export-directory.repository.js";
import {
  type ArchivedGroupMember,
  type ArchivedRoleAssignment,
  toArchivedGroup,
  toArchivedUser,
} from "./export-rows.js";
import { type AddEntry, JsonLinesParts } from "./json-lines-parts.js";
import { forEachPage } from "./paging.js";

/**
 * The directory's entries, in the order the import needs them: role assignments first (the import
 * chooses the Global Administrator it hands the new organization to before creating any user),
 * then users, groups, group members and applications. Each adds its row count to `counts`.
 */
export async function writeDirectoryEntries(
  db: Executor,
  tenantId: string,
  add: AddEntry,
  counts: Record<string, number>,
): Promise<void> {
  const roles = new JsonLinesParts("roleAssignments", add);
  await forEachPage(
    (after: { userId: string; roleTemplateId: string } | undefined, limit) =>
      listRoleAssignmentsPage(db, tenantId, after, limit),
    (row) => ({ userId: row.user_id, roleTemplateId: row.role_template_id }),
    async (rows) => {
      for (const row of rows) {
        const assignment: ArchivedRoleAssignment = {
          userId: row.user_id,
          roleTemplateId: row.role_template_id,
          createdDateTime: row.created_at,
        };
        await roles.add(assignment);
      }
    },
  );
  counts.roleAssignments = await done(roles);

  const users = new JsonLinesParts("users", add);
  await forEachPage(
    (after: string | undefined, limit) => listUsersPage(db, tenantId, after, limit),
    (row) => row.id,
    async (rows) => {
      for (const row of rows) await users.add(toArchivedUser(row));
    },
  );
  counts.users = await done(users);

  const groups = new JsonLinesParts("groups", add);
  await forEachPage(
    (after: string | undefined, limit) => listGroupsPage(db, tenantId, after, limit),
    (row) => row.id,
    async (rows) => {
      for (const row of rows) await groups.add(toArchivedGroup(row));
    },
  );
  counts.groups = await done(groups);

  const members = new JsonLinesParts("groupMembers", add);
  await forEachPage(
    (after: { groupId: string; userId: string } | undefined, limit) =>
      listGroupMembersPage(db, tenantId, after, limit),
    (row) => ({ groupId: row.group_id, userId: row.user_id }),
    async (rows) => {
      for (const row of rows) {
        const member: ArchivedGroupMember = {
          groupId: row.group_id,
          userId: row.user_id,
          createdDateTime: row.created_at,
        };
        await members.add(member);
      }
    },
  );
  counts.groupMembers = await done(members);

  counts.applications = await writeApplications(db, tenantId, add);
}

/** Applications with their roles and their credentials' metadata; never a secret or its hint. */
async function writeApplications(db: Executor, tenantId: string, add: AddEntry): Promise<number> {
  const applications = new JsonLinesParts("applications", add);
  await forEachPage(
    (after: string | undefined, limit) => listApplicationsPage(db, tenantId, after, limit),
    (row) => row.id,
    async (rows) => {
      const ids = rows.map((row) => row.id);
      const secrets = await listApplicationSecretMetadata(db, tenantId, ids);
      const roles = await listApplicationRoles(db, tenantId, ids);
      for (const row of rows) {
        await applications.add({
          id: row.id,
          appId: row.app_id,
          displayName: row.display_name,
          createdDateTime: row.created_at,
          passwordCredentials: secrets
            .filter((s) => s.application_id === row.id)
            .map((s) => ({
              keyId: s.key_id,
              displayName: s.display_name,
              startDateTime: s.created_at,
              endDateTime: s.end_at,
            })),
          roleTemplateIds: roles
            .filter((r) => r.application_id === row.id)
            .map((r) => r.role_template_id),
        });
      }
    },
  );
  return done(applications);
}

async function done(parts: JsonLinesParts): Promise<number> {
  await parts.flush();
  return parts.count;
}
