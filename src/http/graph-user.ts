import { Type } from "@fastify/type-provider-typebox";
import type { FastifyRequest } from "fastify";
import type {
  User,
  UserDocumentField,
  UserDocumentProperty,
  UserDocumentShape,
} from "../directory/index.js";
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
 * Where each property of `toGraphUser` comes from when the store writes the JSON
 * (`listUserDocuments`, `getUserDocument`): the same properties, values and order, so a page
 * serialized by the database reads exactly like `toGraphUser` (graph-user.test.ts compares them).
 */
const GRAPH_USER_SOURCES: Record<
  GraphUserProperty,
  { field: UserDocumentField } | { json: string }
> = {
  id: { field: "id" },
  businessPhones: { json: "[]" },
  displayName: { field: "displayName" },
  givenName: { json: "null" },
  jobTitle: { json: "null" },
  mail: { field: "mail" },
  mobilePhone: { json: "null" },
  officeLocation: { json: "null" },
  preferredLanguage: { json: "null" },
  surname: { json: "null" },
  userPrincipalName: { field: "userPrincipalName" },
  accountEnabled: { field: "accountEnabled" },
  mailNickname: { field: "mailNickname" },
  externalId: { field: "externalId" },
  onPremisesSyncEnabled: { field: "onPremisesSyncEnabled" },
  createdDateTime: { field: "createdDateTime" },
  deletedDateTime: { field: "deletedDateTime" },
};

type GraphUserProperty = (typeof GRAPH_USER_PROPERTIES)[number];

/**
 * The document shape of Graph's user, `$select`ed as `pickSelected` does (always `id`, the
 * resource's order), after any annotations given (`@odata.context`, `@odata.type`) in their order.
 */
export function graphUserShape(
  select: readonly string[] | undefined,
  annotations: Readonly<Record<string, string>> = {},
): UserDocumentShape {
  // The same few shapes serve every request; the same object also lets the store reuse its key.
  const key = JSON.stringify([select ?? null, annotations]);
  const known = shapes.get(key);
  if (known) return known;
  const shape: UserDocumentProperty[] = Object.entries(annotations).map(([name, value]) => ({
    name,
    json: JSON.stringify(value),
  }));
  for (const property of GRAPH_USER_PROPERTIES) {
    if (select && property !== "id" && !select.includes(property)) continue;
    shape.push({ name: property, ...GRAPH_USER_SOURCES[property] });
  }
  if (shapes.size >= MAX_KEPT_SHAPES) shapes.delete(shapes.keys().next().value ?? "");
  shapes.set(key, shape);
  return shape;
}

/** Shapes kept: `$select`s are subsets of 17 properties, so requests could ask for many. */
const MAX_KEPT_SHAPES = 100;
const shapes = new Map<string, UserDocumentShape>();

/** `…$metadata#users`, with the selection as Graph writes it: `users(displayName,mail)`. */
export function userContext(
  request: FastifyRequest,
  entity: boolean,
  select?: readonly string[],
): string {
  const set = select ? `users(${select.join(",")})` : "users";
  return odataContext(request, entity ? `${set}/$entity` : set);
}

const NullableString = Type.Union([Type.String(), Type.Null()]);

/**
 * Graph's `user` as a response schema: every property optional, so `$select`ed subsets serialize
 * too. Fastify compiles it into a dedicated serializer (much faster than `JSON.stringify` on pages
 * of 999 users), and the OpenAPI document describes the response from it.
 */
export const GraphUserSchema = Type.Object(
  {
    "@odata.type": Type.Optional(Type.String()),
    id: Type.Optional(Type.String()),
    businessPhones: Type.Optional(Type.Array(Type.String())),
    displayName: Type.Optional(NullableString),
    givenName: Type.Optional(NullableString),
    jobTitle: Type.Optional(NullableString),
    mail: Type.Optional(NullableString),
    mobilePhone: Type.Optional(NullableString),
    officeLocation: Type.Optional(NullableString),
    preferredLanguage: Type.Optional(NullableString),
    surname: Type.Optional(NullableString),
    userPrincipalName: Type.Optional(Type.String()),
    accountEnabled: Type.Optional(Type.Boolean()),
    mailNickname: Type.Optional(Type.String()),
    externalId: Type.Optional(NullableString),
    onPremisesSyncEnabled: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
    createdDateTime: Type.Optional(Type.String()),
    deletedDateTime: Type.Optional(NullableString),
  },
  { additionalProperties: false },
);

/** A page of users: Graph's collection envelope around `GraphUserSchema`. */
export const GraphUserCollectionSchema = Type.Object(
  {
    "@odata.context": Type.String(),
    "@odata.count": Type.Optional(Type.Integer()),
    "@odata.nextLink": Type.Optional(Type.String()),
    value: Type.Array(GraphUserSchema),
  },
  { additionalProperties: false },
);
