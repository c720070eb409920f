import {
  deleteApplicationsForClosure,
  deleteUsersForClosure,
  disableMfaForClosure,
  listRecycleBinUserIds,
  loadTenant,
  purgeUsersForClosure,
  ROLES,
  syncStatus,
  turnOffSyncIn,
} from "../directory/index.js";
import { deleteContentOfUsers } from "../content/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import type { Transaction } from "kysely";
import type { Database } from "../store/database.js";
import type { ClosureOperationTable, ClosureStepProgressTable } from "./closure.table.js";
import { countApplications, countUsers, listRoleHolderIds } from "./closure.repository.js";
import { cancelSubscriptions, deleteDisabledSubscriptions } from "./closure-subscription-steps.js";
import type { ClosureBlocker, GuidedStep } from "./guided-closure.js";

/**
 * The batch work of each guided step that runs inside the worker's per-batch transaction (the
 * export, the cooling-off and the certificate are run by the worker itself). A batch does a bounded
 * amount of work and says how far it got; the worker records that in the same transaction, so a
 * crash leaves each batch done or not done and a restart resumes from the recorded cursor.
 */
export interface StepBatchContext {
  ctx: AppContext;
  trx: Transaction<Database>;
  operation: ClosureOperationTable;
  progress: ClosureStepProgressTable;
  /** The closing Global Administrator, on whose behalf the work is done and audited. */
  actor: Actor;
  batchSize: number;
}

export interface StepBatchResult {
  /** Items handled by this batch, added to the step's `done`. */
  done: number;
  /** Where the next batch starts. */
  cursor: string | null;
  finished: boolean;
  /** Replaces the step's total when the batch learns it (the erasure counts its rows first). */
  total?: number;
  /** Added to the step's counts (e.g. failed items, erased rows per table). */
  counts?: Record<string, number>;
  /** Come back at this time (a durable timer): sync-off or deprovisioning is under way. */
  wait?: { until: Date; for: string; blockers: ClosureBlocker[] };
}

export interface StepRunner {
  /** How many items the step has, counted when it starts. */
  total(sc: StepBatchContext): Promise<number>;
  batch(sc: StepBatchContext): Promise<StepBatchResult>;
}

const tenantId = (sc: StepBatchContext) => sc.operation.tenant_id;
const keeper = (sc: StepBatchContext) => sc.operation.requested_by;

/**
 * The other Global Administrators stay until the cooling-off period ends, so that any of them can
 * still sign in and cancel (SPEC §6); the irreversible phase deletes them first.
 */
async function otherGlobalAdministrators(sc: StepBatchContext): Promise<string[]> {
  const ids = await listRoleHolderIds(
    sc.trx,
    tenantId(sc),
    ROLES.globalAdministrator.roleTemplateId,
  );
  return ids.filter((id) => id !== keeper(sc));
}

const turnOffSync: StepRunner = {
  total: async () => 1,
  async batch(sc) {
    const tenant = await loadTenant(sc.trx, sc.actor, tenantId(sc));
    const status = syncStatus(tenant);
    if (status === "neverSynced" || status === "off") {
      return { done: 1, cursor: null, finished: true };
    }
    const state =
      status === "on" ? await turnOffSyncIn(sc.ctx, sc.trx, sc.actor, tenantId(sc)) : null;
    const completes = state?.completesAt ?? tenant.syncOffCompletesDateTime;
    const now = sc.ctx.clock.now();
    // The scheduler completes it at that time; look again a little after.
    const until = new Date(Math.max(completes?.getTime() ?? 0, now.getTime()) + 1000);
    return {
      done: 0,
      cursor: null,
      finished: false,
      wait: { until, for: "syncOff", blockers: [] },
    };
  },
};

const deleteUsers: StepRunner = {
  total: async (sc) =>
    (await countUsers(sc.trx, tenantId(sc), { deleted: false, exceptId: keeper(sc) })) -
    (await otherGlobalAdministrators(sc)).length,
  async batch(sc) {
    const result = await deleteUsersForClosure(sc.ctx, sc.trx, sc.actor, tenantId(sc), {
      afterId: sc.progress.cursor,
      keepId: keeper(sc),
      alsoKeep: await otherGlobalAdministrators(sc),
      limit: sc.batchSize,
    });
    return {
      done: result.handled,
      cursor: result.lastId,
      finished: result.handled === 0,
      counts: { deleted: result.handled - result.failed.length, failed: result.failed.length },
    };
  },
};

const disableMfa: StepRunner = {
  // Other Global Administrators keep their MFA while they can still sign in; they are deleted in
  // the irreversible phase, and deleted users do not count for the check.
  total: async (sc) => {
    const others = await otherGlobalAdministrators(sc);
    const rows = await countUsers(sc.trx, tenantId(sc), {
      deleted: false,
      exceptId: keeper(sc),
      mfaOn: true,
    });
    return Math.max(0, rows - others.length);
  },
  async batch(sc) {
    const result = await disableMfaForClosure(sc.ctx, sc.trx, sc.actor, tenantId(sc), {
      afterId: sc.progress.cursor,
      keepId: keeper(sc),
      alsoKeep: await otherGlobalAdministrators(sc),
      limit: sc.batchSize,
    });
    return { done: result.handled, cursor: result.lastId, finished: result.handled === 0 };
  },
};

const removeApplications: StepRunner = {
  total: (sc) => countApplications(sc.trx, tenantId(sc)),
  async batch(sc) {
    const n = await deleteApplicationsForClosure(
      sc.ctx,
      sc.trx,
      sc.actor,
      tenantId(sc),
      sc.batchSize,
    );
    return { done: n, cursor: null, finished: n === 0 };
  },
};

const purgeRecycleBin: StepRunner = {
  total: (sc) => countUsers(sc.trx, tenantId(sc), { deleted: true, exceptId: null }),
  async batch(sc): Promise<StepBatchResult> {
    // First the Global Administrators kept for the cooling-off period go to the recycle bin.
    const admins = await deleteUsersForClosure(sc.ctx, sc.trx, sc.actor, tenantId(sc), {
      afterId: null,
      keepId: keeper(sc),
      limit: sc.batchSize,
    });
    if (admins.handled > 0) {
      return {
        done: 0,
        cursor: null,
        finished: false,
        counts: { deletedAdministrators: admins.handled },
      };
    }
    const ids = await listRecycleBinUserIds(sc.trx, tenantId(sc), sc.batchSize);
    if (ids.length === 0) return { done: 0, cursor: null, finished: true };
    // Their mail and files first, set-based (the cascade would go row by row).
    const content = await deleteContentOfUsers(sc.trx, tenantId(sc), ids);
    await purgeUsersForClosure(sc.ctx, sc.trx, sc.actor, tenantId(sc), ids);
    return {
      done: ids.length,
      cursor: null,
      finished: false,
      counts: { users: ids.length, mailMessages: content.messages, driveItems: content.files },
    };
  },
};

/** The steps run batch by batch in a transaction each (see closure-worker.ts for the rest). */
export const BATCH_STEPS: Partial<Record<GuidedStep, StepRunner>> = {
  turnOffSync,
  deleteUsers,
  cancelSubscriptions,
  deleteDisabledSubscriptions,
  disableMfa,
  removeApplications,
  purgeRecycleBin,
};
