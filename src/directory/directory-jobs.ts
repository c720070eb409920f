/** Scheduler job kinds owned by the directory. Keys: the user id, or the tenant id. */
export const JOB_PURGE_USER = "directory.purgeUser";
export const JOB_COMPLETE_SYNC_OFF = "directory.completeSyncOff";
