import { AppError, invalid } from "../../shared/app-error.js";
import { t } from "../i18n.js";
import type { ApiClient } from "./api-client.js";

/** Graph's user as the CLI reads it. */
export interface ApiUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  accountEnabled: boolean;
  onPremisesSyncEnabled: boolean | null;
  deletedDateTime?: string | null;
  mail?: string | null;
}

/** The role template id of Global Administrator (Graph's, src/directory/role.ts). */
export const GLOBAL_ADMINISTRATOR_ROLE_ID = "62e90394-69f5-4237-9190-012177145e10";

/**
 * The rule of `--all-except UPN` (issue 8, the seed's steps 1 and 4): UPN must be the signed-in
 * user and a Global Administrator, else the command refuses before it changes anything. The
 * server keeps the caller whatever the CLI sends; this check makes a typo in UPN an error instead
 * of a surprise.
 */
export async function assertSignedInGlobalAdministrator(
  client: ApiClient,
  upn: string,
): Promise<ApiUser> {
  const me = await client.get<ApiUser>("/v1.0/me");
  if (me.userPrincipalName.toLowerCase() !== upn.trim().toLowerCase()) {
    throw invalid(
      "ALL_EXCEPT_NOT_SIGNED_IN_USER",
      t("notYourself", { upn, me: me.userPrincipalName }),
      {
        field: "all-except",
      },
    );
  }
  const members = await client.getAll<{ id: string }>(
    `/v1.0/directoryRoles/${GLOBAL_ADMINISTRATOR_ROLE_ID}/members`,
  );
  if (!members.some((m) => m.id === me.id)) {
    throw new AppError(
      "Forbidden",
      "ALL_EXCEPT_NOT_GLOBAL_ADMINISTRATOR",
      t("notGlobalAdmin", { upn }),
    );
  }
  return me;
}

/** Every user (not deleted), all pages. */
export function listAllUsers(client: ApiClient): Promise<ApiUser[]> {
  return client.getAll<ApiUser>("/v1.0/users", { $top: 999 });
}

/** Every user in the recycle bin, all pages. */
export function listDeletedUsers(client: ApiClient): Promise<ApiUser[]> {
  return client.getAll<ApiUser>("/v1.0/directory/deletedItems/microsoft.graph.user", { $top: 999 });
}
