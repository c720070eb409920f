import { createMessage, uploadFile } from "../src/content/index.js";
import type { TenantFixture } from "./directory-fixtures.js";
import { userActor } from "./directory-fixtures.js";
import type { ForeignRequest } from "./foreign-tenant.js";
import type { TestContext } from "./test-context.js";

/** A message and a file of a tenant's user (SPEC §4), for cross-tenant.test.ts. */
export interface ContentObjects {
  messageId: string;
  itemId: string;
}

export async function createContentObjects(
  t: TestContext,
  org: TenantFixture,
  ownerId: string,
): Promise<ContentObjects> {
  const actor = userActor(org.tenantId, ownerId);
  const message = await createMessage(t, actor, org.tenantId, "me", { subject: "Payslip" });
  const { item } = await uploadFile(t, actor, org.tenantId, "me", {
    path: "payslip.txt",
    content: Buffer.from("salary"),
  });
  return { messageId: message.id, itemId: item.id };
}

/**
 * Content requests with another tenant's ids: its user's, or the caller's own mailbox and drive
 * (`/me`) with its message and file ids. Both are 404 (USER_NOT_FOUND, MESSAGE_NOT_FOUND, …).
 */
export const CONTENT_FOREIGN_REQUESTS: readonly ForeignRequest[] = [
  {
    name: "GET another tenant's user's messages",
    method: "GET",
    url: (o) => `/v1.0/users/${o.user.id}/messages`,
  },
  {
    name: "POST a message to another tenant's user",
    method: "POST",
    url: (o) => `/v1.0/users/${o.user.id}/messages`,
    body: () => ({ subject: "Planted" }),
  },
  {
    name: "GET another tenant's user's files",
    method: "GET",
    url: (o) => `/v1.0/users/${o.user.id}/drive/root/children`,
  },
  {
    name: "PUT a file into another tenant's user's drive",
    method: "PUT",
    url: (o) => `/v1.0/users/${o.user.id}/drive/root:/planted.txt:/content`,
    body: () => "planted",
  },
  {
    name: "GET another tenant's message in the caller's own mailbox",
    method: "GET",
    url: (o) => `/v1.0/me/messages/${o.content.messageId}`,
  },
  {
    name: "DELETE another tenant's message from the caller's own mailbox",
    method: "DELETE",
    url: (o) => `/v1.0/me/messages/${o.content.messageId}`,
  },
  {
    name: "GET the bytes of another tenant's file from the caller's own drive",
    method: "GET",
    url: (o) => `/v1.0/me/drive/items/${o.content.itemId}/content`,
  },
  {
    name: "DELETE another tenant's file from the caller's own drive",
    method: "DELETE",
    url: (o) => `/v1.0/me/drive/items/${o.content.itemId}`,
  },
];
