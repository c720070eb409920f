export { BASE_BACKOFF_MS, backoffDelayMs, DEFAULT_MAX_BACKOFF_MS } from "./backoff.js";
export type { JobHandler, JobRef, ScheduledJob, ScheduleJobInput } from "./scheduled-job.js";
export {
  cancelJob,
  cancelJobs,
  findJob,
  scheduleJob,
  scheduleJobs,
} from "./scheduled-job.service.js";
export type { ScheduledJobTable } from "./scheduled-job.table.js";
export {
  type RunResult,
  Scheduler,
  type SchedulerContext,
  type SchedulerOptions,
} from "./scheduler.js";
