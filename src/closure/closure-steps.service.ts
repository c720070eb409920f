import { recordAudit } from "../audit/index.js";
import {
  cancelSubscription,
  checkCancelInput,
  deleteSubscription,
  listSubscriptions,
  type Subscription,
} from "../commerce/index.js";
import {
  bulkDeleteUsers,
  listUsers,
  purgeUser,
  setPerUserMfaState,
  type User,
} from "../directory/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { authorizeClosure } from "./closure-access.js";
import {
  type ClosureStep,
  type ClosureStepItem,
  type ClosureStepResult,
  failedItem,
  outcomeCounts,
} from "./closure-step.js";

/**
 * Steps 1–4 of SPEC §6, each on its own, as an admin does them by hand — through the directory's
 * and commerce's own services, so every rule (synced users, the last Global Administrator, the
 * subscription lifecycle, unpaid invoices) and every per-change audit entry is theirs. Each item
 * gets its own outcome; one refusal never stops the others. The step itself is audited once more
 * (`closure.<step>`) with its counts.
 */

const PAGE = 500;

/** Step 1: soft-delete every user except the caller; `purge` then empties the recycle bin. */
export async function runDeleteUsersStep(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  input: { purge?: boolean } = {},
): Promise<ClosureStepResult> {
  const caller = await authorizeClosure(ctx.db, actor, tenantId);
  const deleted = await bulkDeleteUsers(ctx, actor, tenantId, { allExcept: caller.userId });
  const value: ClosureStepItem[] = deleted.value.map((item) =>
    item.outcome === "deleted"
      ? { id: item.id, outcome: "ok", action: "delete" }
      : {
          id: item.id,
          outcome: "failed",
          action: "delete",
          ...(item.code ? { code: item.code } : {}),
          ...(item.message ? { message: item.message } : {}),
        },
  );
  if (input.purge) {
    for (const user of await allUsers(ctx, actor, tenantId, true)) {
      try {
        await purgeUser(ctx, actor, tenantId, user.id);
        value.push({ id: user.id, outcome: "ok", action: "purge" });
      } catch (error) {
        value.push(failedItem(user.id, error, "purge"));
      }
    }
  }
  return audited(ctx, actor, tenantId, "deleteUsers", value, { purge: input.purge === true });
}

/** Step 2: cancel every active subscription now, with one reason (and feedback) for all. */
export async function runCancelSubscriptionsStep(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  input: { reason: string; feedback?: string | null | undefined },
): Promise<ClosureStepResult> {
  const cancel = { reason: input.reason, feedback: input.feedback ?? null, when: "now" };
  checkCancelInput(cancel);
  await authorizeClosure(ctx.db, actor, tenantId);
  const value: ClosureStepItem[] = [];
  for (const subscription of await allSubscriptions(ctx, actor, tenantId)) {
    if (subscription.status === "expired") {
      value.push(expiredSkipped(subscription));
      continue;
    }
    if (subscription.status !== "active") continue;
    try {
      await cancelSubscription(ctx, actor, tenantId, subscription.id, cancel);
      value.push({ id: subscription.id, outcome: "ok" });
    } catch (error) {
      value.push(failedItem(subscription.id, error));
    }
  }
  return audited(ctx, actor, tenantId, "cancelSubscriptions", value, { reason: input.reason });
}

/** Step 3: delete every disabled subscription; each that cannot go yet says why and when. */
export async function runDeleteDisabledSubscriptionsStep(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
): Promise<ClosureStepResult> {
  await authorizeClosure(ctx.db, actor, tenantId);
  const value: ClosureStepItem[] = [];
  for (const subscription of await allSubscriptions(ctx, actor, tenantId)) {
    if (subscription.status !== "disabled") continue;
    if (subscription.markedForDeletionAt) {
      const at = subscription.deprovisionAt ?? subscription.nextLifecycleAt;
      value.push({
        id: subscription.id,
        outcome: "skipped",
        code: "SUBSCRIPTION_ALREADY_MARKED_FOR_DELETION",
        message: `Already deleted; it is deprovisioned on ${at?.toISOString() ?? "its deprovision date"}.`,
      });
      continue;
    }
    try {
      await deleteSubscription(ctx, actor, tenantId, subscription.id, { confirm: true });
      value.push({ id: subscription.id, outcome: "ok" });
    } catch (error) {
      value.push(failedItem(subscription.id, error));
    }
  }
  return audited(ctx, actor, tenantId, "deleteDisabledSubscriptions", value, {});
}

/** Step 4: per-user MFA `disabled` for every user except the caller. */
export async function runDisableMfaStep(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
): Promise<ClosureStepResult> {
  const caller = await authorizeClosure(ctx.db, actor, tenantId);
  const value: ClosureStepItem[] = [];
  for (const user of await allUsers(ctx, actor, tenantId, false)) {
    if (user.id === caller.userId || user.perUserMfaState === "disabled") continue;
    try {
      await setPerUserMfaState(ctx, actor, tenantId, user.id, "disabled");
      value.push({ id: user.id, outcome: "ok" });
    } catch (error) {
      value.push(failedItem(user.id, error));
    }
  }
  return audited(ctx, actor, tenantId, "disableMfa", value, {});
}

function expiredSkipped(subscription: Subscription): ClosureStepItem {
  const disableAt = subscription.nextLifecycleAt;
  return {
    id: subscription.id,
    outcome: "skipped",
    code: "SUBSCRIPTION_NOT_ACTIVE",
    message: `This subscription already expired; it is disabled automatically on ${disableAt?.toISOString() ?? "its disable date"}, or cancel it now on its own page to disable it at once.`,
  };
}

async function allSubscriptions(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
): Promise<Subscription[]> {
  const all: Subscription[] = [];
  let afterId: string | undefined;
  for (;;) {
    const page = await listSubscriptions(ctx, actor, tenantId, { afterId, limit: PAGE });
    all.push(...page);
    if (page.length < PAGE) return all;
    afterId = page[page.length - 1]?.id;
  }
}

async function allUsers(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  deleted: boolean,
): Promise<User[]> {
  const all: User[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await listUsers(ctx, actor, tenantId, { limit: 999, cursor, deleted });
    all.push(...page.users);
    if (!page.nextCursor) return all;
    cursor = page.nextCursor;
  }
}

async function audited(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  step: ClosureStep,
  value: ClosureStepItem[],
  details: Record<string, unknown>,
): Promise<ClosureStepResult> {
  const counts = outcomeCounts(value);
  await ctx.db.transaction().execute((trx) =>
    recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: `closure.${step}`,
      target: { type: "tenant", id: tenantId },
      outcome: counts.failed === 0 ? "success" : "failure",
      details: {
        ...details,
        ...counts,
        items: value.map(({ id, outcome, code }) => ({ id, outcome, code })),
      },
    }),
  );
  return { step, value };
}
