import type { FastifyRequest } from "fastify";
import type { User } from "../directory/index.js";

/** The request's own scheme and host, for absolute links (`@odata.context`, `@odata.nextLink`). */
export function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

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
  return `${baseUrl(request)}/v1.0/$metadata#users${entity ? "/$entity" : ""}`;
}
