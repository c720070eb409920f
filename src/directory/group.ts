import { invalid } from "../shared/app-error.js";

export interface Group {
  id: string;
  tenantId: string;
  displayName: string;
  description: string | null;
  mailNickname: string;
  securityEnabled: boolean;
  externalId: string | null;
  onPremisesSyncEnabled: boolean | null;
  createdDateTime: Date;
}

export const MAX_DESCRIPTION_LENGTH = 1024;

export function normalizeDescription(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value.trim() === "") return null;
  if (value.length > MAX_DESCRIPTION_LENGTH) {
    throw invalid(
      "DESCRIPTION_TOO_LONG",
      `description must have at most ${MAX_DESCRIPTION_LENGTH} characters.`,
      {
        field: "description",
      },
    );
  }
  return value.trim();
}

/** A mail nickname derived from a display name when none is given ("Sales Team" → "SalesTeam"). */
export function nicknameFromDisplayName(displayName: string): string {
  const nickname = displayName.replace(/[^A-Za-z0-9._-]/g, "").slice(0, 64);
  return nickname.length > 0 ? nickname : "group";
}
