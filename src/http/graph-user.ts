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

export type GraphUser = ReturnType<typeof toGraphUser>;

/** The properties `$select` may name: every property `toGraphUser` returns, in its order. */
export const GRAPH_USER_PROPERTIES = [
  "id",
  "businessPhones",
  "displayName",
  "givenName",
  "jobTitle",
  "mail",
  "mobilePhone",
  "officeLocation",
  "preferredLanguage",
  "surname",
  "userPrincipalName",
  "accountEnabled",
  "mailNickname",
  "externalId",
  "onPremisesSyncEnabled",
  "createdDateTime",
  "deletedDateTime",
] as const satisfies readonly (keyof GraphUser)[];

/**
 * Graph's `$select`: only the selected properties, in the resource's order, and always `id` (as
 * Graph does), so that a client can address what it listed. Without a selection, everything.
 */
export function selectGraphUser(
  user: GraphUser,
  select: readonly string[] | undefined,
): Partial<GraphUser> {
  if (!select) return user;
  const picked: Record<string, unknown> = {};
  for (const property of GRAPH_USER_PROPERTIES) {
    if (property === "id" || select.includes(property)) picked[property] = user[property];
  }
  return picked as Partial<GraphUser>;
}

/** `…$metadata#users`, with the selection as Graph writes it: `users(displayName,mail)`. */
export function userContext(
  request: FastifyRequest,
  entity: boolean,
  select?: readonly string[],
): string {
  const set = select ? `users(${select.join(",")})` : "users";
  return odataContext(request, entity ? `${set}/$entity` : set);
}
