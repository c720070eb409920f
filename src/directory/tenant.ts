import { invalid } from "../shared/app-error.js";

export type TenantState = "active" | "closing" | "deleted";

export interface Tenant {
  id: string;
  displayName: string;
  initialDomain: string;
  state: TenantState;
  /** null: never synced; true: syncing; false: was synced. */
  onPremisesSyncEnabled: boolean | null;
  syncOffStartedDateTime: Date | null;
  syncOffCompletesDateTime: Date | null;
  syncReenableAfterDateTime: Date | null;
  createdDateTime: Date;
  deletedDateTime: Date | null;
}

export const MAX_DISPLAY_NAME_LENGTH = 256;
const DOMAIN =
  /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/** Lower-cases and checks a DNS domain name such as `contoso.example`. */
export function normalizeDomain(domain: string): string {
  const normalized = domain.trim().toLowerCase();
  if (!DOMAIN.test(normalized)) {
    throw invalid(
      "DOMAIN_INVALID",
      `"${domain}" is not a valid domain name; give it in full, e.g. contoso.example.`,
      { field: "domain" },
    );
  }
  return normalized;
}

export function normalizeDisplayName(displayName: string, field = "displayName"): string {
  const value = displayName.trim();
  if (value.length === 0)
    throw invalid("DISPLAY_NAME_REQUIRED", `${field} must not be empty.`, { field });
  if (value.length > MAX_DISPLAY_NAME_LENGTH) {
    throw invalid(
      "DISPLAY_NAME_TOO_LONG",
      `${field} must have at most ${MAX_DISPLAY_NAME_LENGTH} characters.`,
      { field },
    );
  }
  return value;
}
