import { createHash } from "node:crypto";
import { createMessage, uploadFile } from "../content/index.js";
import {
  addGroupMember,
  assignRole,
  createGroup,
  type ImportUserInput,
  importUsers,
  ROLES,
  setPerUserMfaState,
} from "../directory/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { isAppError } from "../shared/app-error.js";
import {
  contentEntry,
  type ImportFailure,
  MANIFEST_PATH,
  partPrefix,
  rewriteDomain,
} from "./backup.js";
import type {
  ArchivedDriveItem,
  ArchivedGroup,
  ArchivedGroupMember,
  ArchivedMessage,
  ArchivedRoleAssignment,
  ArchivedUser,
} from "./export-rows.js";
import { parseJsonLines } from "./json-lines-parts.js";
import { isManifestPart } from "./manifest.js";

const OPERATOR: Actor = { type: "operator" };

/** Kept in the archive as history, not imported: a new organization starts its own. */
const HISTORY = new Set([
  "applications",
  "subscriptions",
  "licenseAssignments",
  "paymentMethods",
  "invoices",
  "payments",
  "credits",
  "audit",
]);

export interface ImporterSetup {
  tenantId: string;
  domain: string;
  sourceDomains: readonly string[];
  /** The archive's Global Administrator the tenant was created with, and its new id. */
  admin: { archiveId: string; id: string };
}

/**
 * Applies a verified archive's entries, in archive order, to a new organization through the
 * areas' services (each writes its own audit entries, in batches or one item per transaction):
 * users without a password (they must set a new one), their roles and per-user MFA state, groups
 * and members, messages and files. Ids are new; the archive's are mapped (users, groups). Items
 * that fail are listed, not fatal; history (billing, applications, audit) is counted as skipped.
 */
export class TenantImporter {
  readonly counts: Record<string, number> = {
    users: 0,
    roleAssignments: 0,
    groups: 0,
    groupMembers: 0,
    messages: 0,
    driveItems: 0,
  };
  readonly skipped: Record<string, number> = {};
  readonly failures: ImportFailure[] = [];
  private readonly userIds = new Map<string, string>();
  private readonly groupIds = new Map<string, string>();
  private pendingRoles: ArchivedRoleAssignment[] = [];
  /** The metadata of the files whose bytes follow (the last files part read). */
  private files = new Map<string, ArchivedDriveItem>();

  constructor(
    private readonly ctx: AppContext,
    private readonly setup: ImporterSetup,
  ) {
    this.userIds.set(setup.admin.archiveId, setup.admin.id);
  }

  async apply(path: string, data: Buffer): Promise<void> {
    if (path === MANIFEST_PATH || path === "organization.json" || isManifestPart(path)) return;
    const prefix = partPrefix(path);
    if (prefix === "roleAssignments") {
      this.pendingRoles.push(...parseJsonLines<ArchivedRoleAssignment>(data));
      return;
    }
    if (prefix === "users") return this.importUsers(parseJsonLines<ArchivedUser>(data));
    // Every user is in by now: their roles can be given.
    await this.applyRoles();
    if (prefix === "groups") return this.importGroups(parseJsonLines<ArchivedGroup>(data));
    if (prefix === "groupMembers") {
      return this.importMembers(parseJsonLines<ArchivedGroupMember>(data));
    }
    if (prefix !== null && HISTORY.has(prefix)) {
      this.skip(prefix, parseJsonLines(data).length);
      return;
    }
    const content = contentEntry(path);
    if (content?.kind === "messages") {
      return this.importMessages(content.userId, parseJsonLines<ArchivedMessage>(data));
    }
    if (content?.kind === "filesMetadata") {
      this.files = new Map(parseJsonLines<ArchivedDriveItem>(data).map((f) => [f.id, f]));
      return;
    }
    if (content?.kind === "file" && content.itemId) {
      return this.importFile(content.userId, content.itemId, data);
    }
    this.skip("unknownEntries", 1);
  }

  /** Gives the archived roles (call once more at the end, for archives without later entries). */
  async applyRoles(): Promise<void> {
    const roles = this.pendingRoles;
    this.pendingRoles = [];
    for (const role of roles) {
      const userId = this.userIds.get(role.userId);
      if (!userId) {
        this.skip("roleAssignments", 1);
        continue;
      }
      if (role.userId === this.setup.admin.archiveId && isGlobalAdministrator(role)) {
        this.counts.roleAssignments = (this.counts.roleAssignments ?? 0) + 1;
        continue; // the tenant was created with it
      }
      if (
        await this.attempt("roleAssignment", `${role.userId}/${role.roleTemplateId}`, () =>
          assignRole(this.ctx, OPERATOR, this.setup.tenantId, userId, role.roleTemplateId),
        )
      ) {
        this.counts.roleAssignments = (this.counts.roleAssignments ?? 0) + 1;
      }
    }
  }

  private async importUsers(rows: ArchivedUser[]): Promise<void> {
    const { domain, sourceDomains, tenantId } = this.setup;
    const live = rows.filter((u) => u.deletedDateTime === null);
    // The recycle bin is not carried over: those users were on their way out.
    this.skip("deletedUsers", rows.length - live.length);
    const others = live.filter((u) => u.id !== this.setup.admin.archiveId);
    if (others.length < live.length) this.counts.users = (this.counts.users ?? 0) + 1;
    const inputs: ImportUserInput[] = others.map((u) => ({
      userPrincipalName: rewriteDomain(u.userPrincipalName, sourceDomains, domain),
      displayName: u.displayName,
      mailNickname: u.mailNickname,
      mail: u.mail === null ? null : rewriteDomain(u.mail, sourceDomains, domain),
      accountEnabled: u.accountEnabled,
      externalId: u.externalId,
    }));
    const result =
      inputs.length === 0
        ? { value: [] }
        : await importUsers(this.ctx, OPERATOR, tenantId, inputs, {
            forceChangePasswordNextSignIn: true,
          });
    for (const [i, item] of result.value.entries()) {
      const user = others[i];
      if (!user) continue;
      if (item.outcome !== "created" || !item.id) {
        this.failures.push({
          kind: "user",
          id: user.id,
          code: item.code ?? "IMPORT_FAILED",
          message: item.message ?? "not imported",
        });
        continue;
      }
      this.userIds.set(user.id, item.id);
      this.counts.users = (this.counts.users ?? 0) + 1;
    }
    for (const user of live) {
      const id = this.userIds.get(user.id);
      if (!id || user.perUserMfaState === "disabled") continue;
      await this.attempt("perUserMfaState", user.id, () =>
        setPerUserMfaState(this.ctx, OPERATOR, tenantId, id, user.perUserMfaState),
      );
    }
  }

  private async importGroups(rows: ArchivedGroup[]): Promise<void> {
    for (const group of rows) {
      await this.attempt("group", group.id, async () => {
        const created = await createGroup(this.ctx, OPERATOR, this.setup.tenantId, {
          displayName: group.displayName,
          description: group.description,
          mailNickname: group.mailNickname,
          securityEnabled: group.securityEnabled,
          externalId: group.externalId,
        });
        this.groupIds.set(group.id, created.id);
        this.counts.groups = (this.counts.groups ?? 0) + 1;
      });
    }
  }

  private async importMembers(rows: ArchivedGroupMember[]): Promise<void> {
    for (const member of rows) {
      const groupId = this.groupIds.get(member.groupId);
      const userId = this.userIds.get(member.userId);
      if (!groupId || !userId) {
        this.skip("groupMembers", 1);
        continue;
      }
      await this.attempt("groupMember", `${member.groupId}/${member.userId}`, async () => {
        await addGroupMember(this.ctx, OPERATOR, this.setup.tenantId, groupId, userId);
        this.counts.groupMembers = (this.counts.groupMembers ?? 0) + 1;
      });
    }
  }

  private async importMessages(archiveUserId: string, rows: ArchivedMessage[]): Promise<void> {
    const userId = this.userIds.get(archiveUserId);
    if (!userId) {
      this.skip("messages", rows.length);
      return;
    }
    for (const message of rows) {
      await this.attempt("message", message.id, async () => {
        await createMessage(
          this.ctx,
          OPERATOR,
          this.setup.tenantId,
          { idOrUpn: userId },
          {
            subject: message.subject,
            body: message.body,
            from: message.from ? { emailAddress: withName(message.from.emailAddress) } : undefined,
            toRecipients: message.toRecipients.map((r) => ({
              emailAddress: withName(r.emailAddress),
            })),
            receivedDateTime: message.receivedDateTime,
          },
        );
        this.counts.messages = (this.counts.messages ?? 0) + 1;
      });
    }
  }

  private async importFile(archiveUserId: string, itemId: string, data: Buffer): Promise<void> {
    const userId = this.userIds.get(archiveUserId);
    const item = this.files.get(itemId);
    if (!userId || !item) {
      this.skip("driveItems", 1);
      return;
    }
    const sha256 = createHash("sha256").update(data).digest("hex");
    if (sha256 !== item.sha256) {
      this.failures.push({
        kind: "driveItem",
        id: itemId,
        code: "FILE_HASH_MISMATCH",
        message: `The bytes of ${item.path} do not match the SHA-256 its metadata lists.`,
      });
      return;
    }
    await this.attempt("driveItem", itemId, async () => {
      await uploadFile(
        this.ctx,
        OPERATOR,
        this.setup.tenantId,
        { idOrUpn: userId },
        {
          path: item.path,
          content: data,
          contentType: item.contentType,
        },
      );
      this.counts.driveItems = (this.counts.driveItems ?? 0) + 1;
    });
  }

  /** Runs one item's import; an AppError is listed as that item's failure, not thrown. */
  private async attempt(kind: string, id: string, work: () => Promise<unknown>): Promise<boolean> {
    try {
      await work();
      return true;
    } catch (error) {
      if (!isAppError(error)) throw error;
      this.failures.push({ kind, id, code: error.code, message: error.message });
      return false;
    }
  }

  private skip(kind: string, count: number): void {
    if (count > 0) this.skipped[kind] = (this.skipped[kind] ?? 0) + count;
  }
}

function isGlobalAdministrator(role: ArchivedRoleAssignment): boolean {
  return role.roleTemplateId === ROLES.globalAdministrator.roleTemplateId;
}

function withName(address: { address: string; name: string | null }) {
  return { address: address.address, name: address.name ?? undefined };
}
