import { recordAudit } from "../audit/index.js";
import type { JobHandler } from "../scheduler/index.js";
import type { AppContext } from "../shared/app-context.js";
import { JOB_COMPLETE_SYNC_OFF, JOB_PURGE_USER } from "./directory-jobs.js";
import { completeSyncOff } from "./sync.service.js";
import { deleteUserRows, findUserRowById } from "./user.repository.js";
import { purgeDueAt } from "./user-rules.js";

/**
 * The directory's scheduled work. Each handler runs inside the scheduler's claim transaction and
 * re-checks the current state, so a job that lost its reason (user restored, re-deleted later)
 * does nothing.
 */
export function directoryJobHandlers(ctx: AppContext): Record<string, JobHandler> {
  return {
    [JOB_PURGE_USER]: async (trx, job) => {
      const userId = String(job.payload.userId ?? job.key);
      const row = await findUserRowById(trx, job.tenantId, userId);
      if (!row || row.deleted_at === null) return;
      if (purgeDueAt(new Date(row.deleted_at)) > ctx.clock.now()) return;
      await deleteUserRows(trx, job.tenantId, [userId]);
      await recordAudit(ctx, trx, {
        tenantId: job.tenantId,
        actor: { type: "system" },
        action: "user.purge",
        target: { type: "user", id: userId },
        details: {
          userPrincipalName: row.user_principal_name,
          reason: "30 days in the recycle bin",
        },
      });
    },
    [JOB_COMPLETE_SYNC_OFF]: async (trx, job) => {
      await completeSyncOff(ctx, trx, job.tenantId);
    },
  };
}
