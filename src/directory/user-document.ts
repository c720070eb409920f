/**
 * Users as JSON documents built by the store, for listings that go straight to a client: a page of
 * 999 users is serialized by the database instead of becoming 999 objects in JavaScript first. The
 * caller (a transport) names the properties and where each comes from; the directory reads them
 * under the same rules as `listUsers` and `getUser`.
 */

/** A user field a document can carry, named as on `User`. */
export type UserDocumentField =
  | "id"
  | "userPrincipalName"
  | "displayName"
  | "mail"
  | "mailNickname"
  | "accountEnabled"
  | "externalId"
  | "onPremisesSyncEnabled"
  | "createdDateTime"
  | "deletedDateTime";

/** One property of the document: a user field, or fixed JSON text (`null`, `[]`, `"text"`). */
export type UserDocumentProperty =
  | { name: string; field: UserDocumentField }
  | { name: string; json: string };

/** The properties of every document, in order. */
export type UserDocumentShape = readonly UserDocumentProperty[];

export interface UserDocumentPage {
  /** One JSON object text per user, in the listing's order. */
  documents: string[];
  /** Present when more users follow; pass it back as `cursor`. */
  nextCursor: string | null;
}
