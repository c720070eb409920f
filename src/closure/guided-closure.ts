import { conflict, notFound } from "../shared/app-error.js";
import type { ClosureOperationTable, ClosureStepProgressTable } from "./closure.table.js";

/**
 * The guided closure (SPEC §6, issue 7): the seed's steps and what Tenantry adds, in this order.
 * Everything before `purgeRecycleBin` can be undone by cancelling (users are restorable from the
 * recycle bin, subscriptions reactivatable); from `purgeRecycleBin` on it cannot.
 */
export const GUIDED_STEPS = [
  "export",
  "turnOffSync",
  "deleteUsers",
  "cancelSubscriptions",
  "deleteDisabledSubscriptions",
  "disableMfa",
  "removeApplications",
  "coolingOff",
  "purgeRecycleBin",
  "deleteTenant",
  "signCertificate",
] as const;
export type GuidedStep = (typeof GUIDED_STEPS)[number];

export const FIRST_IRREVERSIBLE_STEP: GuidedStep = "purgeRecycleBin";

export function isIrreversible(step: string | null): boolean {
  if (step === null) return false;
  return GUIDED_STEPS.indexOf(step as GuidedStep) >= GUIDED_STEPS.indexOf(FIRST_IRREVERSIBLE_STEP);
}

export function nextStep(step: GuidedStep): GuidedStep | null {
  return GUIDED_STEPS[GUIDED_STEPS.indexOf(step) + 1] ?? null;
}

export const CLOSURE_STATES = [
  "running",
  "waiting",
  "coolingOff",
  "completed",
  "cancelled",
  "failed",
] as const;
export type ClosureState = (typeof CLOSURE_STATES)[number];
/** States in which the operation still has work; at most one such operation per tenant. */
export const OPEN_STATES: readonly ClosureState[] = ["running", "waiting", "coolingOff"];

/** The closing admin's tokens stay valid, read-only, this long after the tenant is deleted. */
export const READER_TOKEN_LIFETIME_MS = 7 * 24 * 3600 * 1000;

export interface ClosureBlocker {
  code: string;
  message: string;
}

export interface ClosureStepView {
  name: GuidedStep;
  done: number;
  total: number;
  startedDateTime: string | null;
  finishedDateTime: string | null;
}

/** What `GET /v1.0/organization/closure` answers. */
export interface ClosureOperationView {
  id: string;
  state: ClosureState;
  step: GuidedStep | null;
  steps: ClosureStepView[];
  blockers: ClosureBlocker[];
  reason: string;
  exportRequested: boolean;
  /** Where the backup archive can be downloaded, while it can. */
  exportUrl?: string;
  exportSha256: string | null;
  exportBytes: number | null;
  coolingOffEndsDateTime: string | null;
  waitUntil: string | null;
  waitingFor: string | null;
  irreversible: boolean;
  createdDateTime: string;
  finishedDateTime: string | null;
  error: string | null;
}

export const EXPORT_PATH = "/v1.0/organization/closure/export";

export function toOperationView(
  row: ClosureOperationTable,
  progress: readonly ClosureStepProgressTable[],
): ClosureOperationView {
  const steps = [...progress]
    .sort((a, b) => Number(a.position) - Number(b.position))
    .map((p) => ({
      name: p.step as GuidedStep,
      done: Number(p.done),
      total: Number(p.total),
      startedDateTime: p.started_at,
      finishedDateTime: p.finished_at,
    }));
  const exportReady =
    row.export_sha256 !== null && !isIrreversible(row.step) && row.state !== "completed";
  return {
    id: row.id,
    state: row.state as ClosureState,
    step: row.step as GuidedStep | null,
    steps,
    blockers: JSON.parse(row.blockers) as ClosureBlocker[],
    reason: row.reason,
    exportRequested: Number(row.export_requested) === 1,
    ...(exportReady ? { exportUrl: EXPORT_PATH } : {}),
    exportSha256: row.export_sha256,
    exportBytes: row.export_bytes === null ? null : Number(row.export_bytes),
    coolingOffEndsDateTime: row.cooling_off_until,
    waitUntil: row.wait_until,
    waitingFor: row.waiting_for,
    irreversible: isIrreversible(row.step) || row.state === "completed",
    createdDateTime: row.created_at,
    finishedDateTime: row.finished_at,
    error: row.error,
  };
}

export const GUIDED_CLOSURE_ERROR = {
  NOT_FOUND: "CLOSURE_NOT_FOUND",
  IRREVERSIBLE: "CLOSURE_IRREVERSIBLE",
  NOT_RUNNING: "CLOSURE_NOT_RUNNING",
  EXPORT_UNAVAILABLE: "CLOSURE_EXPORT_UNAVAILABLE",
  CERTIFICATE_NOT_READY: "CLOSURE_CERTIFICATE_NOT_READY",
} as const;

export function closureNotFound() {
  return notFound(
    GUIDED_CLOSURE_ERROR.NOT_FOUND,
    "No closure of this organization was started: POST /v1.0/organization/closure starts one.",
  );
}

export function closureIrreversible() {
  return conflict(
    GUIDED_CLOSURE_ERROR.IRREVERSIBLE,
    "The closure has entered its irreversible phase (the recycle bin is being purged and the organization erased); it can no longer be cancelled.",
  );
}
