// The closure area (SPEC §6): the five steps, the deletion checks and the plan (part 1); the
// durable guided closure with its worker, export and certificate (part 2).
// Transport (src/http, src/cli) imports from here only.
export { type ClosureCaller, CLOSURE_ERROR } from "./closure-access.js";
export {
  type ClosureCheck,
  type ClosureFacts,
  CLOSURE_STEP_PATH,
  evaluateClosureChecks,
  failedChecks,
} from "./closure-checks.js";
export { getClosureChecks, loadClosureFacts } from "./closure-checks.service.js";
export {
  KEPT_AFTER_DELETION,
  runDeleteTenantStep,
  tenantOwnedTables,
} from "./closure-delete.service.js";
export {
  buildClosurePlan,
  type ClosurePlan,
  type PlanBlocker,
  type PlanInput,
  STEP_URLS,
} from "./closure-plan.js";
export { getClosurePlan } from "./closure-plan.service.js";
export {
  CLOSURE_STEPS,
  type ClosureStep,
  type ClosureStepItem,
  type ClosureStepResult,
} from "./closure-step.js";
export {
  runCancelSubscriptionsStep,
  runDeleteDisabledSubscriptionsStep,
  runDeleteUsersStep,
  runDisableMfaStep,
} from "./closure-steps.service.js";
export {
  CHECK_TEXTS,
  CLOSURE_CHECK_IDS,
  type ClosureCheckId,
  type ClosureLanguage,
} from "./closure-texts.js";
export { CERTIFICATE_KIND } from "./closure-certificate.service.js";
export { ClosureWorker, type ClosureWorkerOptions, SimulatedCrash } from "./closure-worker.js";
export {
  type ClosureBlocker,
  type ClosureOperationView,
  type ClosureState,
  type ClosureStepView,
  CLOSURE_STATES,
  GUIDED_CLOSURE_ERROR,
  GUIDED_STEPS,
  type GuidedStep,
} from "./guided-closure.js";
export {
  type ClosureReader,
  cancelGuidedClosure,
  downloadClosureExport,
  findClosedTenantReader,
  getClosureCertificate,
  getGuidedClosure,
  type StartClosureInput,
  startGuidedClosure,
} from "./guided-closure.service.js";
