import { Type } from "@fastify/type-provider-typebox";
import type { DriveItem, EmailAddress, Message } from "../content/index.js";

/**
 * Graph's shapes for users' content (SPEC §4): `message` (the parts Tenantry keeps) and
 * `driveItem` (files only; `parentReference.path` says where a file lies below the root).
 */

const EmailAddressSchema = Type.Object({
  address: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
});
const Recipient = Type.Object({ emailAddress: EmailAddressSchema });

export const GraphMessageSchema = Type.Object({
  id: Type.String(),
  createdDateTime: Type.String(),
  receivedDateTime: Type.String(),
  subject: Type.String(),
  bodyPreview: Type.String(),
  body: Type.Object({
    contentType: Type.Union([Type.Literal("text"), Type.Literal("html")]),
    content: Type.String(),
  }),
  from: Type.Union([Recipient, Type.Null()]),
  toRecipients: Type.Array(Recipient),
});

export const GraphDriveItemSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  size: Type.Integer(),
  createdDateTime: Type.String(),
  lastModifiedDateTime: Type.String(),
  parentReference: Type.Object({ path: Type.String() }),
  file: Type.Object({
    mimeType: Type.String(),
    hashes: Type.Object({ sha256Hash: Type.String() }),
  }),
});

const PREVIEW_LENGTH = 255;

function recipient(address: EmailAddress) {
  return { emailAddress: { address: address.address, name: address.name } };
}

/** Graph's bodyPreview: the body's first characters as plain text. */
function preview(message: Message): string {
  const text =
    message.body.contentType === "html"
      ? message.body.content.replace(/<[^>]*>/g, " ")
      : message.body.content;
  return text.replace(/\s+/g, " ").trim().slice(0, PREVIEW_LENGTH);
}

export function toGraphMessage(message: Message) {
  return {
    id: message.id,
    createdDateTime: message.createdDateTime.toISOString(),
    receivedDateTime: message.receivedDateTime.toISOString(),
    subject: message.subject,
    bodyPreview: preview(message),
    body: message.body,
    from: message.from ? recipient(message.from) : null,
    toRecipients: message.toRecipients.map(recipient),
  };
}

export function toGraphDriveItem(item: DriveItem) {
  const folder = item.path.includes("/") ? item.path.slice(0, item.path.lastIndexOf("/")) : "";
  return {
    id: item.id,
    name: item.name,
    size: item.size,
    createdDateTime: item.createdDateTime.toISOString(),
    lastModifiedDateTime: item.lastModifiedDateTime.toISOString(),
    parentReference: { path: folder ? `/drive/root:/${folder}` : "/drive/root:" },
    file: { mimeType: item.contentType, hashes: { sha256Hash: item.sha256.toUpperCase() } },
  };
}
