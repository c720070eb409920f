import type { SyncState, Tenant } from "../directory/index.js";

/**
 * Microsoft Graph's `organization` resource for a tenant, with Graph's properties that Tenantry has
 * nothing for as null or empty. Tenantry adds three properties of its own, which Graph's SDKs keep
 * in `additionalData`:
 * - `onPremisesSyncStatus`: `neverSynced | on | turningOff | off`. While sync is turning off,
 *   `onPremisesSyncEnabled` is still `true` (synced users stay read-only) and the status says
 *   `turningOff`.
 * - `onPremisesSyncTurnOffCompletesDateTime`: when turning sync off completes; null otherwise.
 * - `onPremisesSyncTurnOnAvailableDateTime`: from when sync may be turned on (again, 72 h after it
 *   was turned off); null while it is on or turning off.
 */
export function toGraphOrganization(tenant: Tenant, sync: SyncState) {
  return {
    id: tenant.id,
    deletedDateTime: tenant.deletedDateTime ? tenant.deletedDateTime.toISOString() : null,
    businessPhones: [] as string[],
    city: null,
    country: null,
    countryLetterCode: null,
    createdDateTime: tenant.createdDateTime.toISOString(),
    displayName: tenant.displayName,
    marketingNotificationEmails: [] as string[],
    onPremisesLastSyncDateTime: null,
    onPremisesSyncEnabled: tenant.onPremisesSyncEnabled,
    postalCode: null,
    preferredLanguage: null,
    state: null,
    street: null,
    technicalNotificationMails: [] as string[],
    tenantType: "AAD",
    verifiedDomains: [
      {
        capabilities: "None",
        isDefault: true,
        isInitial: true,
        name: tenant.initialDomain,
        type: "Managed",
      },
    ],
    onPremisesSyncStatus: sync.status,
    onPremisesSyncTurnOffCompletesDateTime: sync.completesAt
      ? sync.completesAt.toISOString()
      : null,
    onPremisesSyncTurnOnAvailableDateTime: sync.canTurnOnAt ? sync.canTurnOnAt.toISOString() : null,
  };
}
