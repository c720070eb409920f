import type { Group } from "../directory/index.js";

/**
 * Microsoft Graph's `group` resource for Tenantry's groups, which are security groups only:
 * `mailEnabled` is always false, `groupTypes` always empty (no Microsoft 365 "Unified" groups).
 */
export function toGraphGroup(group: Group) {
  return {
    id: group.id,
    deletedDateTime: null,
    createdDateTime: group.createdDateTime.toISOString(),
    description: group.description,
    displayName: group.displayName,
    groupTypes: [] as string[],
    mail: null,
    mailEnabled: false,
    mailNickname: group.mailNickname,
    onPremisesSyncEnabled: group.onPremisesSyncEnabled,
    securityEnabled: group.securityEnabled,
  };
}
