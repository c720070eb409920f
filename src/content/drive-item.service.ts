import { createHash } from "node:crypto";
import { recordAudit } from "../audit/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { invalid, notFound } from "../shared/app-error.js";
import { newId } from "../shared/ids.js";
import { authorizeContentOwner, type ContentOwnerRef } from "./content-access.js";
import {
  DRIVE_ITEM_ERROR,
  type DriveItem,
  type DriveItemContent,
  normalizeContentType,
} from "./drive-item.js";
import {
  type DriveItemRecord,
  deleteDriveItemRow,
  findDriveItemByPathKey,
  findDriveItemContent,
  findDriveItemRecord,
  insertDriveItemRow,
  listDriveItemRecords,
  replaceDriveItemContent,
} from "./drive-item.repository.js";
import { parseDrivePath } from "./drive-path.js";

function toDriveItem(row: DriveItemRecord): DriveItem {
  return {
    id: row.id,
    userId: row.user_id,
    path: row.path,
    name: row.name,
    size: Number(row.size_bytes),
    sha256: row.sha256,
    contentType: row.content_type,
    createdDateTime: new Date(row.created_at),
    lastModifiedDateTime: new Date(row.updated_at),
  };
}

function itemNotFound(id: string) {
  return notFound(DRIVE_ITEM_ERROR.NOT_FOUND, `No item with id ${id} in this drive.`);
}

export interface UploadFileInput {
  /** The path below the root, as in `root:/{path}:/content`. */
  path: string;
  content: Buffer;
  /** The upload's media type; application/octet-stream when absent. */
  contentType?: string | undefined;
}

/**
 * Creates the file at `path` in the owner's drive, or replaces the bytes of the one there (same
 * id, new lastModifiedDateTime). Files larger than TENANTRY_MAX_FILE_BYTES are refused
 * (FILE_TOO_LARGE; over HTTP the body limit answers 413 first). Audited with id and sizes only.
 */
export async function uploadFile(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  owner: ContentOwnerRef,
  input: UploadFileInput,
): Promise<{ item: DriveItem; created: boolean }> {
  const path = parseDrivePath(input.path);
  const limit = ctx.config.maxFileBytes;
  if (input.content.length > limit) {
    throw invalid(DRIVE_ITEM_ERROR.TOO_LARGE, `A file may have at most ${limit} bytes.`, {
      field: "content",
      maxBytes: limit,
    });
  }
  const now = ctx.clock.now().toISOString();
  const sha256 = createHash("sha256").update(input.content).digest("hex");
  const contentType = normalizeContentType(input.contentType);
  const content = { content: input.content, size_bytes: input.content.length, sha256 };
  return ctx.db.transaction().execute(async (trx) => {
    const userId = await authorizeContentOwner(trx, actor, tenantId, owner);
    const existing = await findDriveItemByPathKey(trx, tenantId, userId, path.key);
    const id = existing?.id ?? newId();
    if (existing) {
      await replaceDriveItemContent(trx, tenantId, id, {
        ...content,
        content_type: contentType,
        updated_at: now,
      });
    } else {
      await insertDriveItemRow(trx, {
        tenant_id: tenantId,
        id,
        user_id: userId,
        path: path.path,
        path_key: path.key,
        name: path.name,
        ...content,
        content_type: contentType,
        created_at: now,
        updated_at: now,
      });
    }
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: existing ? "driveItem.replace" : "driveItem.create",
      target: { type: "driveItem", id },
      details: {
        userId,
        sizeBytes: input.content.length,
        ...(existing ? { previousSizeBytes: Number(existing.size_bytes) } : {}),
      },
    });
    const row = await findDriveItemRecord(trx, tenantId, userId, id);
    if (!row) throw itemNotFound(id);
    return { item: toDriveItem(row), created: existing === undefined };
  });
}

/**
 * The owner's files in path order (case-insensitive), a page at a time after `afterPath`.
 * Folders are not items of their own: every file of the drive is listed, `path` saying where.
 */
export async function listDriveItems(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  owner: ContentOwnerRef,
  options: { afterPath?: string | undefined; limit: number },
): Promise<DriveItem[]> {
  const userId = await authorizeContentOwner(ctx.db, actor, tenantId, owner);
  const afterPathKey = options.afterPath?.toLowerCase();
  const rows = await listDriveItemRecords(ctx.db, tenantId, userId, {
    afterPathKey,
    limit: options.limit,
  });
  return rows.map(toDriveItem);
}

export async function getDriveItem(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  owner: ContentOwnerRef,
  id: string,
): Promise<DriveItem> {
  const userId = await authorizeContentOwner(ctx.db, actor, tenantId, owner);
  const row = await findDriveItemRecord(ctx.db, tenantId, userId, id);
  if (!row) throw itemNotFound(id);
  return toDriveItem(row);
}

/** The file's bytes and media type, as uploaded. */
export async function downloadFile(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  owner: ContentOwnerRef,
  id: string,
): Promise<DriveItemContent> {
  const userId = await authorizeContentOwner(ctx.db, actor, tenantId, owner);
  const row = await findDriveItemContent(ctx.db, tenantId, userId, id);
  if (!row) throw itemNotFound(id);
  return { content: Buffer.from(row.content), contentType: row.content_type };
}

/** Deletes a file for good (no recycle bin for content). Audited with id and size. */
export async function deleteDriveItem(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  owner: ContentOwnerRef,
  id: string,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const userId = await authorizeContentOwner(trx, actor, tenantId, owner);
    const row = await findDriveItemRecord(trx, tenantId, userId, id);
    if (!row || !(await deleteDriveItemRow(trx, tenantId, userId, id))) throw itemNotFound(id);
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "driveItem.delete",
      target: { type: "driveItem", id },
      details: { userId, sizeBytes: Number(row.size_bytes) },
    });
  });
}
