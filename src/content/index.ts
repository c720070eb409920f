// The content area (SPEC §4): users' mailbox messages and drive files, read by their owner only.
// Transport (src/http, src/cli) and other areas (closure) import from here only.
export type { ContentTables } from "./content.table.js";
export { type ContentOwnerRef, authorizeContentOwner } from "./content-access.js";
export {
  type ContentTotals,
  contentTotals,
  deleteContentOfUsers,
} from "./content-totals.repository.js";
export {
  DEFAULT_CONTENT_TYPE,
  DRIVE_ITEM_ERROR,
  type DriveItem,
  type DriveItemContent,
  normalizeContentType,
} from "./drive-item.js";
export {
  deleteDriveItem,
  downloadFile,
  getDriveItem,
  listDriveItems,
  type UploadFileInput,
  uploadFile,
} from "./drive-item.service.js";
export { DRIVE_PATH_INVALID, MAX_DRIVE_PATH_LENGTH, parseDrivePath } from "./drive-path.js";
export {
  type CreateMessageInput,
  type EmailAddress,
  MAX_BODY_LENGTH,
  MAX_RECIPIENTS,
  MAX_SUBJECT_LENGTH,
  MESSAGE_BODY_TYPES,
  MESSAGE_ERROR,
  type Message,
  type MessageBodyType,
} from "./message.js";
export {
  createMessage,
  deleteMessage,
  getMessage,
  listMessages,
  type MessageCursor,
} from "./message.service.js";
