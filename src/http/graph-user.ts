import type { FastifyRequest } from "fastify";
import type { User } from "../directory/index.js";
import { odataContext } from "./odata.js";

/**
 * Microsoft Graph's `user` resource. Graph's default properties come first (businessPhones …
 * userPrincipalName, null where Tenantry keeps nothing), then the ones admin tools read.
 */
export function toGraphUser(user: User) {
  return {
    id: user.id,
    businessPhones: [] as string[],
    displayName: user.displayName,
    givenName: null,
    jobTitle: null,
    mail: user.mail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: null,
    userPrincipalName: user.userPrincipalName,
    accountEnabled: user.accountEnabled,
    mailNickname: user.mailNickname,
    externalId: user.externalId,
    onPremisesSyncEnabled: user.onPremisesSyncEnabled,
    createdDateTime: user.createdDateTime.toISOString(),
    deletedDateTime: user.deletedDateTime ? user.deletedDateTime.toISOString() : null,
  };
}

export function userContext(request: FastifyRequest, entity: boolean): string {
  return odataContext(request, entity ? "users/$entity" : "users");
}
