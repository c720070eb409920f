import type { SyncStatus } from "../directory/index.js";
import {
  CHECK_TEXTS,
  CLOSURE_CHECK_IDS,
  type ClosureCheckId,
  type ClosureLanguage,
  formatMoney,
} from "./closure-texts.js";

/**
 * The deletion checks of SPEC §6 as a pure rule: the facts of a tenant in, one result per check
 * out (status, count, explanation and where it is fixed). The tenant is deleted only when all pass.
 */

export const CLOSURE_STEP_PATH = "/v1.0/organization/closure/steps";

/** What the checks need to know, loaded by closure-checks.service.ts. */
export interface ClosureFacts {
  callerIsGlobalAdministrator: boolean;
  /** Users not in the recycle bin, the caller aside. */
  otherLiveUsers: number;
  /** Users in the recycle bin. */
  deletedUsers: number;
  sync: SyncStatus;
  syncOffCompletesAt: Date | null;
  applications: number;
  /** Subscriptions by status, deprovisioned ones aside. */
  activeSubscriptions: number;
  notDeprovisionedSubscriptions: number;
  unpaidInvoices: number;
  balanceMinor: number;
  currency: string;
  /** Other live users whose per-user MFA state is not `disabled`. */
  mfaUsers: number;
}

export interface ClosureCheck {
  id: ClosureCheckId;
  status: "passed" | "failed";
  /** How many things stand in the way (0 when passed). */
  count: number;
  title: string;
  detail: string;
  /** The API path or admin-center page where it is fixed. */
  fixUrl: string;
}

function countOf(id: ClosureCheckId, facts: ClosureFacts): number {
  switch (id) {
    case "callerIsGlobalAdministrator":
      return facts.callerIsGlobalAdministrator ? 0 : 1;
    case "noOtherUsers":
      return facts.otherLiveUsers + facts.deletedUsers;
    case "syncOff":
      return facts.sync === "on" || facts.sync === "turningOff" ? 1 : 0;
    case "noApplications":
      return facts.applications;
    case "subscriptionsDeprovisioned":
      return facts.notDeprovisionedSubscriptions;
    case "noUnpaidBalance":
      return facts.unpaidInvoices;
    case "mfaOff":
      return facts.mfaUsers;
  }
}

function fixUrlOf(id: ClosureCheckId, facts: ClosureFacts): string {
  switch (id) {
    case "callerIsGlobalAdministrator":
      return "/admin/roles";
    case "noOtherUsers":
      return `${CLOSURE_STEP_PATH}/deleteUsers`;
    case "syncOff":
      return "/admin/settings/directory-sync";
    case "noApplications":
      return "/admin/applications";
    case "subscriptionsDeprovisioned":
      return facts.activeSubscriptions > 0
        ? `${CLOSURE_STEP_PATH}/cancelSubscriptions`
        : `${CLOSURE_STEP_PATH}/deleteDisabledSubscriptions`;
    case "noUnpaidBalance":
      return "/admin/billing/invoices";
    case "mfaOff":
      return `${CLOSURE_STEP_PATH}/disableMfa`;
  }
}

/** Every check, in the seed's order, worded in `language`. */
export function evaluateClosureChecks(
  facts: ClosureFacts,
  language: ClosureLanguage = "en-US",
): ClosureCheck[] {
  return CLOSURE_CHECK_IDS.map((id) => {
    const count = countOf(id, facts);
    const text = CHECK_TEXTS[id][language];
    const wording = {
      count,
      otherUsers: facts.otherLiveUsers,
      deletedUsers: facts.deletedUsers,
      syncTurningOffUntil: facts.sync === "turningOff" ? facts.syncOffCompletesAt : null,
      activeSubscriptions: facts.activeSubscriptions,
      balance: formatMoney(facts.balanceMinor, facts.currency),
    };
    const passed = count === 0;
    return {
      id,
      status: passed ? "passed" : "failed",
      count,
      title: text.title,
      detail: passed ? text.passed(wording) : text.failed(wording),
      fixUrl: fixUrlOf(id, facts),
    };
  });
}

export function failedChecks(checks: readonly ClosureCheck[]): ClosureCheck[] {
  return checks.filter((c) => c.status === "failed");
}
