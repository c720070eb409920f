import type { SubscriptionClosurePreview } from "../commerce/index.js";
import type { SyncStatus } from "../directory/index.js";
import { CLOSURE_STEP_PATH } from "./closure-checks.js";
import { formatMoney } from "./closure-texts.js";

/**
 * The closure plan (SPEC §6, dry run) as a pure rule: from the facts of a tenant, what each step
 * would delete, cancel, credit, keep or be blocked by, with counts and the fix for every blocker.
 * It decides nothing the services do not: subscription outcomes come from commerce's own state
 * machine (`previewSubscriptionClosure`), the rest from the directory's rules for synced users.
 */

export interface PlanUser {
  id: string;
  deleted: boolean;
  synced: boolean;
  licensed: boolean;
  admin: boolean;
  mfaState: string;
}

export interface PlanContent {
  messages: number;
  files: number;
  bytes: number;
}

export interface PlanInput {
  now: Date;
  sync: SyncStatus;
  syncOffCompletesAt: Date | null;
  /** Every user but the caller, live and in the recycle bin. */
  users: readonly PlanUser[];
  liveContent: PlanContent;
  recycleBinContent: PlanContent;
  subscriptions: readonly SubscriptionClosurePreview[];
  applications: number;
  balance: {
    balanceMinor: number;
    currency: string;
    unpaidInvoices: readonly { id: string; number: string; amountDueMinor: number }[];
  };
}

export interface PlanBlocker {
  step: "deleteUsers" | "cancelSubscriptions" | "deleteDisabledSubscriptions" | "deleteTenant";
  code: string;
  message: string;
  /** The API path or admin-center page where it is fixed. */
  fixUrl: string;
  /** The subscription or invoice it is about, if one. */
  id?: string;
  /** When it resolves by itself, if it does. */
  dateTime?: string;
}

export interface ClosurePlan {
  generatedDateTime: string;
  steps: {
    deleteUsers: {
      users: {
        total: number;
        synced: number;
        licensed: number;
        admins: number;
        contentItems: number;
        contentBytes: number;
      };
      /** Synced users step 1 refuses while directory sync is on. */
      blockedSynced: number;
      recycleBin: { total: number; contentItems: number; contentBytes: number };
    };
    cancelSubscriptions: {
      subscriptions: {
        id: string;
        skuPartNumber: string;
        billingModel: string;
        quantity: number;
        outcome: "cancel" | "blocked";
        credit: { amountMinor: number; currency: string; kind: string } | null;
      }[];
      totalCreditMinor: number;
    };
    deleteDisabledSubscriptions: {
      subscriptions: {
        id: string;
        skuPartNumber: string;
        status: string;
        outcome: "delete" | "alreadyDeleted" | "blocked";
        /** When it is deprovisioned: after the delete, or (blocked) when it goes by itself. */
        deprovisionDateTime: string | null;
      }[];
    };
    disableMfa: { users: number; enabled: number; enforced: number };
    deleteTenant: {
      applications: number;
      balance: PlanInput["balance"];
    };
  };
  blockers: PlanBlocker[];
}

const BILLING_SUBSCRIPTIONS = "/v1.0/billing/subscriptions";
const INVOICES_PAGE = "/admin/billing/invoices";

export function buildClosurePlan(input: PlanInput): ClosurePlan {
  const blockers: PlanBlocker[] = [];
  const live = input.users.filter((u) => !u.deleted);
  const binned = input.users.filter((u) => u.deleted);
  const syncOn = input.sync === "on" || input.sync === "turningOff";
  const synced = live.filter((u) => u.synced).length;
  const blockedSynced = syncOn ? synced : 0;
  if (blockedSynced > 0) {
    blockers.push({
      step: "deleteUsers",
      code: "SYNCED_USER_READ_ONLY",
      message: `${blockedSynced} users are synchronized from the on-premises directory and cannot be deleted while directory sync is on: turn directory sync off, or delete them at the source (SCIM).`,
      fixUrl: "/admin/settings/directory-sync",
      ...(input.sync === "turningOff" && input.syncOffCompletesAt
        ? { dateTime: input.syncOffCompletesAt.toISOString() }
        : {}),
    });
  }

  const cancels: ClosurePlan["steps"]["cancelSubscriptions"]["subscriptions"] = [];
  const deletes: ClosurePlan["steps"]["deleteDisabledSubscriptions"]["subscriptions"] = [];
  for (const preview of input.subscriptions) {
    const s = preview.subscription;
    if (preview.cancel) {
      const ok = preview.cancel.ok;
      cancels.push({
        id: s.id,
        skuPartNumber: s.skuPartNumber,
        billingModel: s.billingModel,
        quantity: s.quantity,
        outcome: ok ? "cancel" : "blocked",
        credit: preview.cancel.ok
          ? {
              amountMinor: preview.cancel.creditMinor,
              currency: preview.currency,
              kind: preview.cancel.kind,
            }
          : null,
      });
      if (!preview.cancel.ok) {
        const { refusal } = preview.cancel;
        blockers.push({
          step: "cancelSubscriptions",
          code: refusal.code,
          message: refusal.message,
          fixUrl: `${BILLING_SUBSCRIPTIONS}/${s.id}`,
          id: s.id,
          ...(refusal.remedy.date ? { dateTime: refusal.remedy.date.toISOString() } : {}),
        });
      }
    }
    if (preview.delete) {
      const d = preview.delete;
      deletes.push({
        id: s.id,
        skuPartNumber: s.skuPartNumber,
        status: s.status,
        outcome: d.ok ? (d.alreadyMarked ? "alreadyDeleted" : "delete") : "blocked",
        deprovisionDateTime: d.ok
          ? d.deprovisionAt.toISOString()
          : (d.refusal.remedy.date?.toISOString() ?? null),
      });
      if (!d.ok) {
        const invoice = d.refusal.remedy.invoice;
        blockers.push({
          step: "deleteDisabledSubscriptions",
          code: d.refusal.code,
          message: d.refusal.message,
          fixUrl: invoice ? INVOICES_PAGE : `${BILLING_SUBSCRIPTIONS}/${s.id}`,
          id: s.id,
          ...(d.refusal.remedy.date ? { dateTime: d.refusal.remedy.date.toISOString() } : {}),
        });
      }
    }
  }

  if (input.applications > 0) {
    blockers.push({
      step: "deleteTenant",
      code: "APPLICATIONS_REGISTERED",
      message: `${input.applications} applications are registered; any application blocks the deletion. Delete them first.`,
      fixUrl: "/admin/applications",
    });
  }
  for (const invoice of input.balance.unpaidInvoices) {
    blockers.push({
      step: "deleteTenant",
      code: "INVOICE_UNPAID",
      message: `Invoice ${invoice.number} is unpaid (${formatMoney(invoice.amountDueMinor, input.balance.currency)} due); an unpaid balance blocks the deletion. Pay it first.`,
      fixUrl: INVOICES_PAGE,
      id: invoice.id,
    });
  }
  if (syncOn) {
    blockers.push({
      step: "deleteTenant",
      code: input.sync === "on" ? "SYNC_ON" : "SYNC_TURNING_OFF",
      message:
        input.sync === "on"
          ? "Directory sync is on; turn it off (it completes after a delay and cannot be cancelled)."
          : "Directory sync is turning off; the organization can be deleted once it completed.",
      fixUrl: "/admin/settings/directory-sync",
      ...(input.syncOffCompletesAt ? { dateTime: input.syncOffCompletesAt.toISOString() } : {}),
    });
  }

  const mfaOn = live.filter((u) => u.mfaState !== "disabled");
  return {
    generatedDateTime: input.now.toISOString(),
    steps: {
      deleteUsers: {
        users: {
          total: live.length,
          synced,
          licensed: live.filter((u) => u.licensed).length,
          admins: live.filter((u) => u.admin).length,
          contentItems: input.liveContent.messages + input.liveContent.files,
          contentBytes: input.liveContent.bytes,
        },
        blockedSynced,
        recycleBin: {
          total: binned.length,
          contentItems: input.recycleBinContent.messages + input.recycleBinContent.files,
          contentBytes: input.recycleBinContent.bytes,
        },
      },
      cancelSubscriptions: {
        subscriptions: cancels,
        totalCreditMinor: cancels.reduce((sum, c) => sum + (c.credit?.amountMinor ?? 0), 0),
      },
      deleteDisabledSubscriptions: { subscriptions: deletes },
      disableMfa: {
        users: mfaOn.length,
        enabled: mfaOn.filter((u) => u.mfaState === "enabled").length,
        enforced: mfaOn.filter((u) => u.mfaState === "enforced").length,
      },
      deleteTenant: { applications: input.applications, balance: input.balance },
    },
    blockers,
  };
}

/** Where each step is run, for clients that show the plan next to its actions. */
export const STEP_URLS = {
  deleteUsers: `${CLOSURE_STEP_PATH}/deleteUsers`,
  cancelSubscriptions: `${CLOSURE_STEP_PATH}/cancelSubscriptions`,
  deleteDisabledSubscriptions: `${CLOSURE_STEP_PATH}/deleteDisabledSubscriptions`,
  disableMfa: `${CLOSURE_STEP_PATH}/disableMfa`,
  deleteTenant: `${CLOSURE_STEP_PATH}/deleteTenant`,
} as const;
