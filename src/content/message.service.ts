import { recordAudit } from "../audit/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { notFound } from "../shared/app-error.js";
import { newId } from "../shared/ids.js";
import { authorizeContentOwner, type ContentOwnerRef } from "./content-access.js";
import {
  type CreateMessageInput,
  type EmailAddress,
  MESSAGE_ERROR,
  type Message,
  type MessageBodyType,
  parseMessageInput,
} from "./message.js";
import {
  deleteMessageRow,
  findMessageRow,
  insertMessageRow,
  listMessageRows,
  type MailMessageRow,
  type MessageCursor,
} from "./message.repository.js";

export type { MessageCursor } from "./message.repository.js";

function toMessage(row: MailMessageRow): Message {
  return {
    id: row.id,
    userId: row.user_id,
    subject: row.subject,
    body: { contentType: row.body_content_type as MessageBodyType, content: row.body_content },
    from: row.from_address === null ? null : { address: row.from_address, name: row.from_name },
    toRecipients: JSON.parse(row.to_recipients) as EmailAddress[],
    receivedDateTime: new Date(row.received_at),
    createdDateTime: new Date(row.created_at),
    sizeBytes: Number(row.size_bytes),
  };
}

function messageNotFound(id: string) {
  return notFound(MESSAGE_ERROR.NOT_FOUND, `No message with id ${id} in this mailbox.`);
}

/** Adds a message to the owner's mailbox. Audited with its id and size only, never its content. */
export async function createMessage(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  owner: ContentOwnerRef,
  input: CreateMessageInput,
): Promise<Message> {
  const now = ctx.clock.now();
  const parsed = parseMessageInput(input, now);
  return ctx.db.transaction().execute(async (trx) => {
    const userId = await authorizeContentOwner(trx, actor, tenantId, owner);
    const id = newId();
    await insertMessageRow(trx, {
      tenant_id: tenantId,
      id,
      user_id: userId,
      subject: parsed.subject,
      body_content_type: parsed.body.contentType,
      body_content: parsed.body.content,
      from_address: parsed.from?.address ?? null,
      from_name: parsed.from?.name ?? null,
      to_recipients: JSON.stringify(parsed.toRecipients),
      received_at: parsed.receivedDateTime.toISOString(),
      created_at: now.toISOString(),
      size_bytes: parsed.sizeBytes,
    });
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "message.create",
      target: { type: "message", id },
      details: { userId, sizeBytes: parsed.sizeBytes },
    });
    const row = await findMessageRow(trx, tenantId, userId, id);
    if (!row) throw messageNotFound(id);
    return toMessage(row);
  });
}

/** The owner's messages, newest first by receivedDateTime, a page at a time after `after`. */
export async function listMessages(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  owner: ContentOwnerRef,
  options: { after?: MessageCursor | undefined; limit: number },
): Promise<Message[]> {
  const userId = await authorizeContentOwner(ctx.db, actor, tenantId, owner);
  return (await listMessageRows(ctx.db, tenantId, userId, options)).map(toMessage);
}

export async function getMessage(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  owner: ContentOwnerRef,
  id: string,
): Promise<Message> {
  const userId = await authorizeContentOwner(ctx.db, actor, tenantId, owner);
  const row = await findMessageRow(ctx.db, tenantId, userId, id);
  if (!row) throw messageNotFound(id);
  return toMessage(row);
}

/** Deletes a message for good (Tenantry has no Deleted Items folder). Audited with id and size. */
export async function deleteMessage(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  owner: ContentOwnerRef,
  id: string,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const userId = await authorizeContentOwner(trx, actor, tenantId, owner);
    const row = await findMessageRow(trx, tenantId, userId, id);
    if (!row || !(await deleteMessageRow(trx, tenantId, userId, id))) throw messageNotFound(id);
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "message.delete",
      target: { type: "message", id },
      details: { userId, sizeBytes: Number(row.size_bytes) },
    });
  });
}
