import { isAppError } from "../shared/app-error.js";

/** The closure's steps (SPEC §6), in the seed's order; each can be run on its own. */
export const CLOSURE_STEPS = [
  "deleteUsers",
  "cancelSubscriptions",
  "deleteDisabledSubscriptions",
  "disableMfa",
  "deleteTenant",
] as const;
export type ClosureStep = (typeof CLOSURE_STEPS)[number];

/** One item a step handled: done (`ok`), left alone with the reason (`skipped`), or refused. */
export interface ClosureStepItem {
  /** The user's, subscription's or tenant's id. */
  id: string;
  outcome: "ok" | "skipped" | "failed";
  /** What was done to the item, when a step does more than one thing (delete, purge). */
  action?: string;
  /** The service's stable code, for `skipped` and `failed`. */
  code?: string;
  /** The service's explanation, naming the fix. */
  message?: string;
}

export interface ClosureStepResult {
  step: ClosureStep;
  value: ClosureStepItem[];
}

/** A failed item from the error a service refused it with; anything unforeseen is rethrown. */
export function failedItem(id: string, error: unknown, action?: string): ClosureStepItem {
  if (!isAppError(error)) throw error;
  return {
    id,
    outcome: "failed",
    ...(action ? { action } : {}),
    code: error.code,
    message: error.message,
  };
}

/** Counts for the step's audit entry. */
export function outcomeCounts(items: readonly ClosureStepItem[]) {
  const counts = { ok: 0, skipped: 0, failed: 0 };
  for (const item of items) counts[item.outcome] += 1;
  return counts;
}
