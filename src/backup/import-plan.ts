import { ROLES } from "../directory/index.js";
import { partPrefix } from "./backup.js";
import type { ArchivedRoleAssignment, ArchivedUser } from "./export-rows.js";
import { parseJsonLines } from "./json-lines-parts.js";

const ORGANIZATION_PATH = "organization.json";
const GLOBAL_ADMINISTRATOR = ROLES.globalAdministrator.roleTemplateId;

/**
 * What the import must know before it changes anything, gathered while the archive is verified:
 * the source organization's domains (to move addresses to the new domain) and the Global
 * Administrator the new organization is created with — the first (oldest) live, enabled user
 * holding the role. The export writes role assignments before users, so one pass suffices and
 * only the Global Administrators' ids are held.
 */
export class ImportPlanner {
  sourceDomains: string[] = [];
  admin: ArchivedUser | null = null;
  private readonly globalAdministrators = new Set<string>();

  /** The entries the plan reads (organization, role assignments, users). */
  wants(path: string): boolean {
    const prefix = partPrefix(path);
    return path === ORGANIZATION_PATH || prefix === "roleAssignments" || prefix === "users";
  }

  /**
   * Takes one wanted entry. Malformed JSON is ignored here: verification reports a changed entry,
   * and an archive that verifies yet is malformed fails the import on that entry.
   */
  read(path: string, data: Buffer): void {
    try {
      if (path === ORGANIZATION_PATH) {
        const organization = JSON.parse(data.toString("utf8")) as {
          domains?: { name: string }[];
        };
        this.sourceDomains = (organization.domains ?? []).map((d) => d.name.toLowerCase());
        return;
      }
      if (partPrefix(path) === "roleAssignments") {
        for (const row of parseJsonLines<ArchivedRoleAssignment>(data)) {
          if (row.roleTemplateId === GLOBAL_ADMINISTRATOR)
            this.globalAdministrators.add(row.userId);
        }
        return;
      }
      if (this.admin) return;
      this.admin =
        parseJsonLines<ArchivedUser>(data).find(
          (user) =>
            this.globalAdministrators.has(user.id) &&
            user.deletedDateTime === null &&
            user.accountEnabled,
        ) ?? null;
    } catch {
      // See above: left to verification and the import.
    }
  }
}
