import { listAuditEntries } from "../audit/index.js";
import type { AppContext } from "../shared/app-context.js";
import type { Executor } from "../store/database.js";
import { PART_MAX_BYTES } from "./backup.js";
import {
  findDriveItemContents,
  findMessagesByIds,
  listDriveItemsPage,
  listMessageKeysPage,
  type MessageKey,
} from "./export-content.repository.js";
import { toArchivedDriveItem, toArchivedMessage } from "./export-rows.js";
import { type AddEntry, JsonLinesParts } from "./json-lines-parts.js";
import { forEachPage } from "./paging.js";

/** Audit entries per read: bulk entries list their items, so a page is kept smaller. */
const AUDIT_PAGE_SIZE = 250;

/**
 * The audit log (SPEC §5) as a Global Administrator reads it: details decrypted (null once
 * crypto-shredded), with each entry's position and hashes, so the chain can be followed offline.
 */
export async function writeAuditEntries(
  ctx: Pick<AppContext, "secrets" | "db">,
  tenantId: string,
  add: AddEntry,
  counts: Record<string, number>,
): Promise<void> {
  const parts = new JsonLinesParts("audit", add);
  await forEachPage(
    (after: number | undefined, limit) =>
      listAuditEntries(ctx, ctx.db, tenantId, { afterSeq: after ?? 0, limit }),
    (entry) => Number(entry.seq),
    async (entries) => {
      for (const entry of entries) await parts.add({ ...entry, seq: Number(entry.seq) });
    },
    AUDIT_PAGE_SIZE,
  );
  await parts.flush();
  counts.audit = parts.count;
}

/**
 * Every user's content (SPEC §4), users in the recycle bin included (their content exists until
 * purge): `content/<userId>/messages/part-NNNNN.jsonl`, then `content/<userId>/files/part-NNNNN.jsonl`
 * (metadata) each followed by the bytes of the files it lists, `content/<userId>/files/<itemId>`.
 */
export async function writeContentEntries(
  db: Executor,
  tenantId: string,
  add: AddEntry,
  counts: Record<string, number>,
): Promise<void> {
  counts.messages = await writeMessages(db, tenantId, add);
  counts.driveItems = await writeDriveItems(db, tenantId, add);
}

async function writeMessages(db: Executor, tenantId: string, add: AddEntry): Promise<number> {
  let owner: { userId: string; parts: JsonLinesParts } | null = null;
  let count = 0;
  await forEachPage(
    (after: MessageKey | undefined, limit) => listMessageKeysPage(db, tenantId, after, limit),
    (key) => ({ userId: key.user_id, receivedAt: key.received_at, id: key.id }),
    async (keys) => {
      // Full rows in groups of bounded size: a page of large messages never sits in memory.
      for (const group of groupBySize(keys, (key) => Number(key.size_bytes))) {
        const rows = await findMessagesByIds(
          db,
          tenantId,
          group.map((key) => key.id),
        );
        const byId = new Map(rows.map((row) => [row.id, row]));
        for (const key of group) {
          const row = byId.get(key.id);
          if (!row) continue; // deleted since its key was read; the tenant is frozen, so rare
          if (owner?.userId !== row.user_id) {
            await owner?.parts.flush();
            owner = {
              userId: row.user_id,
              parts: new JsonLinesParts(`content/${row.user_id}/messages`, add),
            };
          }
          await owner.parts.add(toArchivedMessage(row));
          count += 1;
        }
      }
    },
  );
  await (owner as { parts: JsonLinesParts } | null)?.parts.flush();
  return count;
}

async function writeDriveItems(db: Executor, tenantId: string, add: AddEntry): Promise<number> {
  let owner: { userId: string; parts: JsonLinesParts } | null = null;
  let count = 0;
  await forEachPage(
    (after: { userId: string; pathKey: string } | undefined, limit) =>
      listDriveItemsPage(db, tenantId, after, limit),
    (row) => ({ userId: row.user_id, pathKey: row.path_key }),
    async (rows) => {
      // Each run of one owner's files: its metadata part first, then the bytes of each file.
      for (const run of runsByOwner(rows)) {
        const userId = run[0]?.user_id as string;
        if (owner?.userId !== userId) {
          owner = { userId, parts: new JsonLinesParts(`content/${userId}/files`, add) };
        }
        for (const row of run) await owner.parts.add(toArchivedDriveItem(row));
        await owner.parts.flush();
        for (const group of groupBySize(run, (row) => Number(row.size_bytes))) {
          const contents = await findDriveItemContents(
            db,
            tenantId,
            group.map((row) => row.id),
          );
          for (const row of group) {
            const bytes = contents.get(row.id);
            if (!bytes) continue; // deleted since its metadata was read; the tenant is frozen
            await add(`content/${userId}/files/${row.id}`, bytes);
            count += 1;
          }
        }
      }
    },
  );
  return count;
}

/** Splits keys into groups whose sizes add up to about PART_MAX_BYTES (at least one key each). */
function groupBySize<T>(items: readonly T[], sizeOf: (item: T) => number): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const item of items) {
    if (current.length > 0 && size + sizeOf(item) > PART_MAX_BYTES) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += sizeOf(item);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

function runsByOwner<T extends { user_id: string }>(rows: readonly T[]): T[][] {
  const runs: T[][] = [];
  for (const row of rows) {
    const last = runs.at(-1);
    if (last && last[0]?.user_id === row.user_id) last.push(row);
    else runs.push([row]);
  }
  return runs;
}
