import { invalid } from "../shared/app-error.js";

/** A message in a user's mailbox, in Graph's message shape (the parts Tenantry keeps). */
export interface Message {
  id: string;
  userId: string;
  subject: string;
  body: { contentType: MessageBodyType; content: string };
  from: EmailAddress | null;
  toRecipients: EmailAddress[];
  receivedDateTime: Date;
  createdDateTime: Date;
  sizeBytes: number;
}

export interface EmailAddress {
  address: string;
  name: string | null;
}

export const MESSAGE_BODY_TYPES = ["text", "html"] as const;
export type MessageBodyType = (typeof MESSAGE_BODY_TYPES)[number];

export const MAX_SUBJECT_LENGTH = 998;
export const MAX_BODY_LENGTH = 1_000_000;
export const MAX_RECIPIENTS = 500;

export const MESSAGE_ERROR = {
  NOT_FOUND: "MESSAGE_NOT_FOUND",
  INVALID: "MESSAGE_INVALID",
} as const;

/** What POST …/messages accepts, already shaped by the transport's schema. */
export interface CreateMessageInput {
  subject?: string | undefined;
  body?: { contentType?: string | undefined; content?: string | undefined } | undefined;
  from?: { emailAddress: { address: string; name?: string | undefined } } | undefined;
  toRecipients?: { emailAddress: { address: string; name?: string | undefined } }[] | undefined;
  receivedDateTime?: string | undefined;
}

export interface ParsedMessage {
  subject: string;
  body: { contentType: MessageBodyType; content: string };
  from: EmailAddress | null;
  toRecipients: EmailAddress[];
  receivedDateTime: Date;
  sizeBytes: number;
}

const ADDRESS = /^[^\s@]+@[^\s@]+$/;

function refuse(field: string, message: string) {
  return invalid(MESSAGE_ERROR.INVALID, message, { field });
}

function parseAddress(
  field: string,
  value: { address: string; name?: string | undefined },
): EmailAddress {
  const address = value.address.trim();
  if (!ADDRESS.test(address) || address.length > 320) {
    throw refuse(field, `'${field}' is not an email address.`);
  }
  return { address, name: value.name?.trim() || null };
}

/**
 * A new message from Graph's message body; throws MESSAGE_INVALID (400) naming the field.
 * `receivedDateTime` defaults to `now`. The size is the UTF-8 bytes of subject, body, sender and
 * recipients, which is what the message counts for in content totals. Pure.
 */
export function parseMessageInput(input: CreateMessageInput, now: Date): ParsedMessage {
  const subject = input.subject ?? "";
  if (subject.length > MAX_SUBJECT_LENGTH) {
    throw refuse("subject", `The subject is longer than ${MAX_SUBJECT_LENGTH} characters.`);
  }
  const contentType = (input.body?.contentType ?? "text").toLowerCase();
  if (!(MESSAGE_BODY_TYPES as readonly string[]).includes(contentType)) {
    throw refuse("body.contentType", "body.contentType must be one of: text, html.");
  }
  const content = input.body?.content ?? "";
  if (content.length > MAX_BODY_LENGTH) {
    throw refuse("body.content", `The body is longer than ${MAX_BODY_LENGTH} characters.`);
  }
  const from = input.from
    ? parseAddress("from.emailAddress.address", input.from.emailAddress)
    : null;
  const recipients = input.toRecipients ?? [];
  if (recipients.length > MAX_RECIPIENTS) {
    throw refuse("toRecipients", `A message has at most ${MAX_RECIPIENTS} recipients.`);
  }
  const toRecipients = recipients.map((r, i) =>
    parseAddress(`toRecipients[${i}].emailAddress.address`, r.emailAddress),
  );
  const receivedDateTime = parseReceived(input.receivedDateTime, now);
  const sizeBytes = [subject, content, JSON.stringify(from), JSON.stringify(toRecipients)]
    .map((part) => Buffer.byteLength(part, "utf8"))
    .reduce((a, b) => a + b, 0);
  return {
    subject,
    body: { contentType: contentType as MessageBodyType, content },
    from,
    toRecipients,
    receivedDateTime,
    sizeBytes,
  };
}

function parseReceived(value: string | undefined, now: Date): Date {
  if (value === undefined) return now;
  const isoWithZone = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
  const at = new Date(value);
  if (!isoWithZone.test(value) || Number.isNaN(at.getTime())) {
    throw refuse(
      "receivedDateTime",
      "receivedDateTime must be an ISO 8601 time with a zone, e.g. 2024-05-01T09:30:00Z.",
    );
  }
  return at;
}
